using System.Globalization;

namespace VideoTranslation.Internal;

/// <summary>A failed check in a few words, for retry warnings and progress: "connection refused (127.0.0.1:1)", "HTTP 503 Service Unavailable".</summary>
internal static class FailureReason
{
    public static string Of(TranslationException error) => error switch
    {
        TranslationConnectionException connection => connection.Reason,
        TranslationSecureConnectionException tls => tls.Reason,
        TranslationHttpException http => string.Format(
            CultureInfo.InvariantCulture,
            "HTTP {0}{1}{2}",
            http.StatusCode,
            string.IsNullOrEmpty(http.ReasonPhrase) ? string.Empty : " " + http.ReasonPhrase,
            http.RetryAfter is { } after ? ", Retry-After " + Guard.Format(after) : string.Empty),
        _ => error.Message,
    };
}
