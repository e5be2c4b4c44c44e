using System;
using System.Globalization;

namespace VideoTranslation;

/// <summary>The server answered with an HTTP status other than 2xx.</summary>
public sealed class TranslationHttpException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="reasonPhrase">The reason phrase, if any.</param>
    /// <param name="bodyExcerpt">The start of the response body, made printable.</param>
    /// <param name="requestUri">The URL asked, without secrets.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c> as a delay, if it sent one.</param>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="errorCode">The service's own error code from its error body, like HeyGen's <c>rate_limit_exceeded</c>.</param>
    /// <param name="errorMessage">The service's own error message from its error body.</param>
    public TranslationHttpException(int statusCode, string? reasonPhrase, string bodyExcerpt, Uri requestUri, TimeSpan? retryAfter = null, string method = "GET", string? errorCode = null, string? errorMessage = null)
        : this(BuildMessage(method, statusCode, reasonPhrase, bodyExcerpt, requestUri, errorCode, errorMessage, null), statusCode, reasonPhrase, bodyExcerpt, requestUri, retryAfter, errorCode, errorMessage)
    {
    }

    private TranslationHttpException(string message, int statusCode, string? reasonPhrase, string bodyExcerpt, Uri requestUri, TimeSpan? retryAfter, string? errorCode, string? errorMessage)
        : base(message, requestUri)
    {
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        BodyExcerpt = bodyExcerpt ?? string.Empty;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase the server sent, if any.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>The start of the response body (at most a few hundred characters), made printable.</summary>
    public string BodyExcerpt { get; }

    /// <summary>The server's <c>Retry-After</c> as a delay from when the answer arrived, if it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The service's own error code from its error body (HeyGen's <c>error.code</c>, like <c>rate_limit_exceeded</c>); <see langword="null"/> when it gave none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's own error message from its error body (HeyGen's <c>error.message</c>); <see langword="null"/> when it gave none.</summary>
    public string? ErrorMessage { get; }

    /// <summary>
    /// <see langword="true"/> for a 404 to a status check that is not the service's own answer for an unknown job (the
    /// simulator's problem+json titled "Job not found", HeyGen's error envelope): the server has no such route, and the
    /// base address is probably wrong. <see langword="false"/> for every other error, and for a service that cannot tell
    /// (a <see cref="TranslationServiceProfile"/>).
    /// </summary>
    public bool IsRouteNotFound { get; private set; }

    /// <inheritdoc />
    public override bool IsTransient => IsTransientStatusCode(StatusCode);

    /// <summary>The 404 of a status check whose body is not the service's answer for an unknown job: a missing route.</summary>
    internal static TranslationHttpException RouteNotFound(int statusCode, string? reasonPhrase, string bodyExcerpt, Uri requestUri, string method, string? errorCode, string? errorMessage, string service, Uri baseUri)
    {
        string verdict = $"not the {service} service's answer for an unknown job: the server has no such route, so the base address {baseUri} is probably wrong (its path, or the service)";
        return new TranslationHttpException(BuildMessage(method, statusCode, reasonPhrase, bodyExcerpt, requestUri, errorCode, errorMessage, verdict), statusCode, reasonPhrase, bodyExcerpt, requestUri, null, errorCode, errorMessage)
        {
            IsRouteNotFound = true,
        };
    }

    /// <summary>Whether an HTTP status code means "try again later": 408, 429 and every 5xx.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns><see langword="true"/> for transient codes.</returns>
    public static bool IsTransientStatusCode(int statusCode) =>
        statusCode == 408 || statusCode == 429 || (statusCode >= 500 && statusCode <= 599);

    private static string BuildMessage(string method, int statusCode, string? reasonPhrase, string bodyExcerpt, Uri requestUri, string? errorCode, string? errorMessage, string? verdict)
    {
        string kind = verdict ?? (IsTransientStatusCode(statusCode) ? "a transient error" : "an error that retrying will not fix");
        string reason = string.IsNullOrEmpty(reasonPhrase) ? string.Empty : " " + reasonPhrase;
        string body = errorCode is null && errorMessage is null
            ? string.IsNullOrEmpty(bodyExcerpt) ? "an empty body" : $"body: {bodyExcerpt}"
            : "the server says: " + (errorCode is null ? errorMessage : errorMessage is null ? errorCode : $"{errorCode}: {errorMessage}");
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0} {1} answered HTTP {2}{3}, {4} ({5}).",
            method,
            requestUri,
            statusCode,
            reason,
            kind,
            body);
    }
}
