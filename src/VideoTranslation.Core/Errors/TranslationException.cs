using System;

namespace VideoTranslation;

/// <summary>The base of every error the client raises about a status check or a wait.</summary>
public abstract class TranslationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The URL involved, already without secrets.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    protected TranslationException(string message, Uri? requestUri, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestUri = requestUri;
    }

    /// <summary>The URL involved, with user info and secret query values removed.</summary>
    public Uri? RequestUri { get; }

    /// <summary>
    /// <see langword="true"/> when the same request may succeed if tried again later (connection failures,
    /// request timeouts, 408, 429, 5xx). The wait loop retries these inside its deadline and fails fast on the rest.
    /// </summary>
    public abstract bool IsTransient { get; }
}
