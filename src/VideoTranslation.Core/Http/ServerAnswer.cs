using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;

namespace VideoTranslation.Internal;

/// <summary>A 2xx answer as a <see cref="TranslationService"/> reads it: the body within the size cap, and the headers.</summary>
internal sealed class ServerAnswer
{
    private readonly TranslationClientOptions? _secrets;

    public ServerAnswer(Uri safeUri, string method, DateTimeOffset receivedAt, TimeSpan? retryAfter, ResponseBody body, string? contentType, HttpResponseHeaders headers, TranslationClientOptions? secrets = null)
    {
        _secrets = secrets;
        SafeUri = safeUri;
        Method = method;
        ReceivedAt = receivedAt;
        RetryAfter = retryAfter;
        Body = body;
        ContentType = contentType;
        Headers = headers;
    }

    /// <summary>The URL asked, without secrets.</summary>
    public Uri SafeUri { get; }

    public string Method { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The <c>Retry-After</c> header as a delay from <see cref="ReceivedAt"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    public ResponseBody Body { get; }

    public string? ContentType { get; }

    public HttpResponseHeaders Headers { get; }

    /// <summary>A header of seconds (fractions allowed); <see langword="null"/> when absent or malformed.</summary>
    public TimeSpan? ReadSeconds(string name)
    {
        if (!Headers.TryGetValues(name, out IEnumerable<string>? values))
        {
            return null;
        }

        foreach (string value in values)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
                seconds >= 0 && seconds <= Guard.MaxDuration.TotalSeconds)
            {
                return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            break;
        }

        return null;
    }

    /// <summary>A header of an ISO 8601 time; <see langword="null"/> when absent or malformed.</summary>
    public DateTimeOffset? ReadTime(string name) =>
        Headers.TryGetValues(name, out IEnumerable<string>? values) &&
        DateTimeOffset.TryParse(System.Linq.Enumerable.FirstOrDefault(values), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? time
            : null;

    /// <summary>
    /// Server text as it may be quoted (in an error, a failure message): the client's own secrets masked. The body
    /// itself is parsed as sent, so a custom header value that also appears in an id or a URL changes nothing.
    /// </summary>
    public string Quote(string text) => _secrets is null ? text : SecretMask.Apply(text, _secrets);

    /// <inheritdoc cref="Quote"/>
    public string? QuoteOrNull(string? text) => text is null ? null : Quote(text);

    /// <summary>A protocol error about this answer, with an excerpt of its body (both quoting the server, masked).</summary>
    public TranslationProtocolException Fail(string problem, Exception? inner = null) =>
        new(Quote(problem), Quote(BodyExcerpt.From(Body.Buffer, Body.Length)), SafeUri, inner, Method);
}
