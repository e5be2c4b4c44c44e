using System.Globalization;

namespace VideoTranslation.Internal;

/// <summary>A failed check in a few words, for retry warnings and progress: "connection refused (127.0.0.1:1)", "HTTP 503 Service Unavailable", "HTTP 429 Too Many Requests (rate_limit_exceeded), Retry-After 2 s".</summary>
internal static class FailureReason
{
    public static string Of(TranslationException error) => error switch
    {
        TranslationConnectionException connection => connection.Reason,
        TranslationSecureConnectionException tls => tls.Reason,
        TranslationHttpException http => string.Format(
            CultureInfo.InvariantCulture,
            "HTTP {0}{1}{3}{2}",
            http.StatusCode,
            string.IsNullOrEmpty(http.ReasonPhrase) ? string.Empty : " " + http.ReasonPhrase,
            http.RetryAfter is { } after ? ", Retry-After " + Guard.Format(after) : string.Empty,
            http.ErrorCode is { } code ? " (" + code + ")" : string.Empty),
        _ => error.Message,
    };
}
