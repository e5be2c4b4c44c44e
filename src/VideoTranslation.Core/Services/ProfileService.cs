using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// A JSON status API described by a <see cref="TranslationServiceProfile"/>: a profile of the caller's, or one of the
/// built-in HeyGen services (which add job creation). Checks the profile once, up front, and reads every answer by it.
/// </summary>
internal class ProfileService : TranslationService
{
    private const string Placeholder = "{id}";
    private static readonly char[] s_braces = { '{', '}' };
    private readonly string _statusUrl;
    private readonly bool _idIsSegment; // "jobs/{id}/…": a dot-segment id would be resolved away; "?id={id}", "r-{id}": not
    private readonly JsonPath _status;
    private readonly Dictionary<string, TranslationState> _words;
    private readonly string _known;
    private readonly JsonPath? _videoUrl;
    private readonly JsonPath? _failureMessage;
    private readonly JsonPath? _progress;
    private readonly JsonPath? _language;
    private readonly JsonPath? _completedAt;
    private readonly JsonPath? _errorCode;
    private readonly JsonPath? _errorMessage;
    private readonly JsonPath?[] _read;
    private readonly bool _unknownJobHasCode; // the paths of a status answer: none may lead through a member given twice

    public ProfileService(TranslationServiceProfile profile)
        : this(profile, TranslationWaitOptions.DefaultMaxWait, TranslationBatchOptions.DefaultMaxConcurrency)
    {
    }

    /// <param name="profile">The service's paths and words.</param>
    /// <param name="defaultMaxWait">The deadline of a wait that sets none.</param>
    /// <param name="defaultMaxConcurrency">A batch's requests in flight when not set.</param>
    /// <param name="unknownJobHasCode">Whether the service's 404 for an unknown job always carries its error code (HeyGen's
    /// envelope), so a 404 without one is a missing route; a caller's profile cannot tell.</param>
    private protected ProfileService(TranslationServiceProfile profile, TimeSpan defaultMaxWait, int defaultMaxConcurrency, bool unknownJobHasCode = false)
        : base(CheckName(profile.Name), defaultMaxWait, defaultMaxConcurrency)
    {
        _unknownJobHasCode = unknownJobHasCode;
        _statusUrl = CheckStatusUrl(profile.StatusUrl);
        _idIsSegment = IsWholePathSegment(_statusUrl);
        _status = Path(profile.StatusPath, nameof(profile.StatusPath), required: true)!;
        _words = new Dictionary<string, TranslationState>(StringComparer.OrdinalIgnoreCase);
        AddWords(profile.PendingValues, nameof(profile.PendingValues), TranslationState.Pending);
        AddWords(profile.CompletedValues, nameof(profile.CompletedValues), TranslationState.Completed);
        AddWords(profile.FailedValues, nameof(profile.FailedValues), TranslationState.Error);
        _known = string.Join("; ", new[] { TranslationState.Pending, TranslationState.Completed, TranslationState.Error }.Select(state =>
            (state == TranslationState.Error ? "failed" : state.ToString().ToLowerInvariant()) + ": " +
            string.Join(", ", _words.Where(w => w.Value == state).Select(w => "\"" + w.Key + "\""))));
        _videoUrl = Path(profile.VideoUrlPath, nameof(profile.VideoUrlPath), required: false);
        _failureMessage = Path(profile.FailureMessagePath, nameof(profile.FailureMessagePath), required: false);
        _progress = Path(profile.ProgressPath, nameof(profile.ProgressPath), required: false);
        _language = Path(profile.LanguagePath, nameof(profile.LanguagePath), required: false);
        _completedAt = Path(profile.CompletedAtPath, nameof(profile.CompletedAtPath), required: false);
        _errorCode = Path(profile.ErrorCodePath, nameof(profile.ErrorCodePath), required: false);
        _errorMessage = Path(profile.ErrorMessagePath, nameof(profile.ErrorMessagePath), required: false);
        _read = new[] { _status, _videoUrl, _failureMessage, _progress, _language, _completedAt };
    }

    internal override Uri GetStatusUri(Uri baseUri, string? jobId)
    {
        if (jobId is null)
        {
            throw new ArgumentNullException(nameof(jobId), $"The {Name} service has no single-job status endpoint: give the job's id.");
        }

        return new Uri(baseUri, _statusUrl.Replace(Placeholder, _idIsSegment ? PathSegment(jobId) : Uri.EscapeDataString(jobId)));
    }

    internal override TranslationStatus ReadStatus(ServerAnswer answer, string? jobId, bool held)
    {
        using JsonDocument doc = StatusParser.ParseJson(answer);
        try
        {
            JsonElement root = doc.RootElement;
            foreach (JsonPath? path in _read)
            {
                if (path?.FindRepeated(root) is { } repeated)
                {
                    throw JsonMembers.Ambiguous(answer, string.Empty, repeated);
                }
            }

            if (!_status.TryFind(root, out JsonElement word))
            {
                throw answer.Fail($"the answer has no \"{_status}\", where the {Name} service's status word should be.");
            }

            if (word.ValueKind != JsonValueKind.String)
            {
                throw answer.Fail($"\"{_status}\" is {StatusParser.Describe(word.ValueKind)}, not a status word.");
            }

            string raw = word.GetString()!;
            if (!_words.TryGetValue(raw, out TranslationState state))
            {
                string shown = raw.Length > 50 ? raw.Substring(0, 50) + "…" : raw;
                throw answer.Fail($"\"{_status}\" is \"{shown}\", a status word the {Name} service is not known to use ({_known}).");
            }

            return new TranslationStatus(state, raw, answer.ReceivedAt, answer.SafeUri, jobId, ReadProgress(root), retryAfter: answer.RetryAfter)
            {
                VideoUrl = _videoUrl?.FindText(root) is { } url && Uri.TryCreate(url, UriKind.Absolute, out Uri? video) &&
                           (video.Scheme == Uri.UriSchemeHttps || video.Scheme == Uri.UriSchemeHttp) ? video : null,
                FailureMessage = state == TranslationState.Error ? answer.QuoteOrNull(ErrorEnvelope.Clean(_failureMessage?.FindText(root))) : null,
                Language = ErrorEnvelope.Clean(_language?.FindText(root)),
                CompletedAt = state != TranslationState.Pending && _completedAt is not null && _completedAt.TryFind(root, out JsonElement end)
                    ? StatusParser.ReadTime(end)
                    : null,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // JsonDocument validates UTF-8 inside strings only when one is read, and reports it this way.
            throw answer.Fail("the body is not valid UTF-8 JSON.", ex);
        }
    }

    internal override (string? Code, string? Message) ReadError(byte[] body, int length) =>
        ErrorEnvelope.Read(body, length, _errorCode, _errorMessage);

    internal override bool IsNoSuchJob(string? jobId, byte[] body, int length) =>
        !_unknownJobHasCode || ReadError(body, length).Code is not null;

    private double? ReadProgress(JsonElement root) =>
        _progress is not null && _progress.TryFind(root, out JsonElement p) && p.ValueKind == JsonValueKind.Number &&
        p.TryGetDouble(out double v) && v >= 0 && v <= 1
            ? v
            : null;

    // Whether {id} is a whole segment of the URL's path (not in its query, not part of a longer segment).
    private static bool IsWholePathSegment(string template)
    {
        int at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        int query = template.IndexOf('?');
        int end = at + Placeholder.Length;
        return (query < 0 || at < query) &&
               (at == 0 || template[at - 1] == '/') &&
               (end == template.Length || template[end] == '/' || template[end] == '?');
    }

    private static string CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name!.Any(char.IsControl))
        {
            throw Wrong(nameof(TranslationServiceProfile.Name), "must be a name without line breaks, like 'Acme'");
        }

        return name!.Trim();
    }

    private static string CheckStatusUrl(string? template)
    {
        const string name = nameof(TranslationServiceProfile.StatusUrl);
        if (string.IsNullOrWhiteSpace(template))
        {
            throw Wrong(name, "is missing: give the job's status URL with {id} where the id goes, like 'v1/jobs/{id}'");
        }

        int at = template!.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0)
        {
            int brace = template.IndexOf('{');
            string found = brace >= 0 && template.IndexOf('}', brace) is int end && end > brace
                ? $" (it has {template.Substring(brace, end - brace + 1)}; the placeholder is spelled {{id}})"
                : string.Empty;
            throw Wrong(name, $"'{template}' has no {{id}} where the job id goes{found}");
        }

        string filled = template.Replace(Placeholder, "x");
        if (filled.IndexOfAny(s_braces) >= 0)
        {
            throw Wrong(name, $"'{template}' has a placeholder other than {{id}}, the only one there is");
        }

        if (!Uri.TryCreate(filled, UriKind.RelativeOrAbsolute, out Uri? uri) || filled.Any(char.IsWhiteSpace) ||
            (uri.IsAbsoluteUri && uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || filled.Contains('#'))
        {
            throw Wrong(name, $"'{template}' is not a URL: give a path relative to -Uri, like 'v1/jobs/{{id}}', or an absolute http(s) URL");
        }

        return template;
    }

    private static JsonPath? Path(string? text, string name, bool required)
    {
        if (text is null && !required)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Wrong(name, required ? "is missing: give where the status word is in the answer, like 'data.status'" : "is empty; leave it out instead");
        }

        return JsonPath.TryParse(text, out string? problem) ??
               throw Wrong(name, $"'{text}' is not a path ({problem}); write member names with dots and [n] for array items, like 'data.jobs[0].status'");
    }

    private void AddWords(IList<string>? words, string name, TranslationState state)
    {
        if (words is null || words.Count == 0)
        {
            throw Wrong(name, "is empty: give at least one status word");
        }

        foreach (string? word in words)
        {
            if (string.IsNullOrWhiteSpace(word))
            {
                throw Wrong(name, "has an empty word");
            }

            if (_words.TryGetValue(word!, out TranslationState other) && other != state)
            {
                throw Wrong(name, $"has '{word}', which is also in {ListName(other)}: a word must mean one thing");
            }

            _words[word!] = state;
        }
    }

    private static string ListName(TranslationState state) => state switch
    {
        TranslationState.Pending => nameof(TranslationServiceProfile.PendingValues),
        TranslationState.Completed => nameof(TranslationServiceProfile.CompletedValues),
        _ => nameof(TranslationServiceProfile.FailedValues),
    };

    private static ArgumentException Wrong(string setting, string problem) =>
        new(string.Format(CultureInfo.InvariantCulture, "The service profile's {0} {1}.", setting, problem), setting);
}
