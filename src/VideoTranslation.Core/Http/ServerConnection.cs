using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// Sends requests to one server and turns every answer into a result or a typed <see cref="TranslationException"/>:
/// the request timeout, the size cap, the headers of every request, HTTP errors and what is transient. The only
/// type that sends; what the requests and answers look like is its <see cref="TranslationService"/>'s.
/// </summary>
internal sealed class ServerConnection
{
    private const int ErrorExcerptBytes = 1024;

    private static readonly MediaTypeWithQualityHeaderValue s_acceptJson = new("application/json");
    private static readonly ProductInfoHeaderValue s_userAgent = new(
        "VideoTranslation.PS",
        typeof(ServerConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpClient _http;
    private readonly TranslationClientOptions _options;
    private readonly TimeProvider _time;

    public ServerConnection(Uri baseUri, TranslationService service, HttpClient http, TranslationClientOptions options)
    {
        BaseUri = baseUri;
        Service = service;
        SafeBaseUri = new Uri(UriRedaction.Redact(baseUri).AbsoluteUri); // normalized: no ":80" from UriBuilder in OriginalString
        _http = http;
        _options = options;
        _time = options.TimeProvider;
        Groups = new GroupSupport(this, _time);
        Pace = new ServerPace(_time);
    }

    /// <summary>The server's pace after a 429 with <c>Retry-After</c>: every request of this client holds back until it ends.</summary>
    public ServerPace Pace { get; }

    public TranslationClientOptions Options => _options;

    public Uri BaseUri { get; }

    /// <summary>The base address without secrets: what contexts, logs and errors may show.</summary>
    public Uri SafeBaseUri { get; }

    public TranslationService Service { get; }

    public TimeProvider Time => _time;

    /// <summary>Whether this server offers group long-poll, asked once and remembered.</summary>
    public GroupSupport Groups { get; }

    public Uri GetStatusUri(string? jobId) => Service.GetStatusUri(BaseUri, jobId);

    /// <summary>One status check; a held one (<paramref name="hold"/> above zero) gets the hold added to its timeout.</summary>
    public Task<TranslationStatus> CheckAsync(string? jobId, TimeSpan hold, CancellationToken cancellationToken)
    {
        // Whole milliseconds: a hold below one is an ordinary check.
        hold = TimeSpan.FromMilliseconds(Math.Floor(hold.TotalMilliseconds));
        bool held = hold > TimeSpan.Zero;
        return SendAsync(
            Service.CreateStatusRequest(BaseUri, jobId, hold),
            _options.RequestTimeout + hold,
            answer => Service.ReadStatus(answer, jobId, held).From(SafeBaseUri, Service.Name),
            cancellationToken,
            body => Service.IsNoSuchJob(jobId, body.Buffer, body.Length));
    }

    /// <summary>
    /// Asks once whether the server offers group long-poll; <see langword="null"/> when its service never does. A failure
    /// is thrown (404 and the like mean "not offered"; the caller decides).
    /// </summary>
    public Task<GroupCapability?> GetGroupCapabilityAsync(CancellationToken cancellationToken) =>
        Service.CreateCapabilitiesRequest(BaseUri) is { } request
            ? SendAsync(request, _options.RequestTimeout, Service.ReadCapabilities, cancellationToken)
            : Task.FromResult<GroupCapability?>(null);

    /// <summary>
    /// One group check of <paramref name="jobIds"/>, held up to <paramref name="hold"/> (added to its timeout), in whole
    /// milliseconds rounded up: the group's wait ends no earlier than the hold it was asked for.
    /// </summary>
    public Task<GroupAnswer> CheckGroupAsync(IReadOnlyList<string> jobIds, TimeSpan hold, CancellationToken cancellationToken)
    {
        hold = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(hold.TotalMilliseconds)));
        return SendAsync(
            Service.CreateGroupStatusRequest(BaseUri, jobIds, hold),
            _options.RequestTimeout + hold,
            answer => Stamped(Service.ReadGroupStatus(answer, jobIds)),
            cancellationToken,
            maxBytes: GroupBodyLimit(jobIds.Count));
    }

    // A group's answer has an item per id: MaxResponseBytes per 16 ids (the preferred group size), at most 16 MB. One
    // limit for the whole answer made the items of a large group (500 unknown ids: ~120 KB) a protocol violation each.
    private int GroupBodyLimit(int ids) =>
        (int)Math.Min(16L * 1024 * 1024, Math.Max(1, (ids + 15) / 16) * (long)_options.MaxResponseBytes);

    /// <summary>One create request (one part of <paramref name="request"/>), sent once; <see cref="JobCreation"/> retries it.</summary>
    public Task<IReadOnlyList<TranslationJob>> CreateJobsAsync(TranslationJobRequest request, int part, string? idempotencyKey, CancellationToken cancellationToken)
    {
        HttpRequestMessage message = Service.CreateJobRequest(BaseUri, request, part);
        if (idempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return SendAsync(message, _options.RequestTimeout, answer => Service.ReadCreatedJobs(answer, BaseUri, request, part), cancellationToken);
    }

    private GroupAnswer Stamped(GroupAnswer answer)
    {
        foreach (GroupItem item in answer.Items)
        {
            item.Status?.From(SafeBaseUri, Service.Name);
        }

        return answer;
    }

    // Every failure leaves here as a TranslationException, or as OperationCanceledException for the caller's token.
    // A status check passes isNoSuchJob: a 404 whose body is not the service's answer for an unknown job is a missing route.
    // A group check passes its own body limit (maxBytes); every other answer has MaxResponseBytes.
    private async Task<T> SendAsync<T>(HttpRequestMessage request, TimeSpan requestTimeout, Func<ServerAnswer, T> read, CancellationToken cancellationToken, Func<ResponseBody, bool>? isNoSuchJob = null, int? maxBytes = null)
    {
        int limit = maxBytes ?? _options.MaxResponseBytes;
        using (request)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string method = request.Method.Method;
            Uri safeUri = UriRedaction.Redact(request.RequestUri!);
            using CancellationTokenSource timeout = _time.CreateCancellationTokenSource(requestTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            AddHeaders(request);

            try
            {
                using HttpResponseMessage response = await _http
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                    .ConfigureAwait(false);
                DateTimeOffset receivedAt = _time.GetUtcNow();
                TimeSpan? retryAfter = ReadRetryAfter(response.Headers.RetryAfter, receivedAt);
                int code = (int)response.StatusCode;
                if (code < 200 || code > 299)
                {
                    if (code == 429 && retryAfter is TimeSpan pause)
                    {
                        Pace.Slow(pause, receivedAt);
                    }

                    // What the server says is masked as it arrives: one that echoes the key never gets it quoted.
                    ResponseBody errorBody = SecretMask.Apply(await ResponseBody.ReadAsync(response.Content, ErrorExcerptBytes, linked.Token, prefix: true).ConfigureAwait(false), _options);
                    (string? errorCode, string? errorMessage) = Service.ReadError(errorBody.Buffer, errorBody.Length);
                    string? reason = SecretMask.ApplyOrNull(response.ReasonPhrase, _options);
                    errorCode = SecretMask.ApplyOrNull(errorCode, _options);
                    errorMessage = SecretMask.ApplyOrNull(errorMessage, _options);
                    if (code == 404 && isNoSuchJob is not null && !isNoSuchJob(errorBody))
                    {
                        throw TranslationHttpException.RouteNotFound(code, reason, BodyExcerpt.From(errorBody.Buffer, errorBody.Length), safeUri, method, errorCode, errorMessage, Service.Name, SafeBaseUri);
                    }

                    throw new TranslationHttpException(code, reason, BodyExcerpt.From(errorBody.Buffer, errorBody.Length), safeUri, retryAfter, method, errorCode, errorMessage);
                }

                ResponseBody body = await ResponseBody.ReadAsync(response.Content, limit, linked.Token).ConfigureAwait(false);
                var answer = new ServerAnswer(safeUri, method, receivedAt, retryAfter, body, SecretMask.ApplyOrNull(response.Content.Headers.ContentType?.MediaType, _options), response.Headers, _options);
                if (body.Exceeded)
                {
                    string what = maxBytes is null ? "(MaxResponseBytes)" : "(MaxResponseBytes per 16 ids of the group)";
                    throw answer.Fail($"the body is larger than the {limit.ToString(CultureInfo.InvariantCulture)}-byte limit {what}.");
                }

                return read(answer);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the caller's token: our request timeout, or a caller-owned HttpClient's own Timeout.
                throw TransportFailure.TimedOut(method, safeUri, request.RequestUri!, requestTimeout, ex);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw TransportFailure.From(ex, method, safeUri, request.RequestUri!);
            }
        }
    }

    // The headers of every request. Credentials and the caller's headers go as given, without the parser's rewriting,
    // and are never logged.
    private void AddHeaders(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(s_acceptJson);
        if (_options.UserAgent is { } userAgent)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        else
        {
            request.Headers.UserAgent.Add(s_userAgent);
        }

        if (_options.ApiKey is { } apiKey)
        {
            request.Headers.TryAddWithoutValidation(RequestHeaders.ApiKeyHeader, apiKey);
        }

        if (_options.BearerToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        if (_options.Headers is { } headers)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    private static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset receivedAt)
    {
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            return date > receivedAt ? date - receivedAt : TimeSpan.Zero;
        }

        return null;
    }
}
