using System;

namespace VideoTranslation;

/// <summary>
/// The status request got no complete answer: the connection was refused, reset or dropped, or the request took
/// longer than <see cref="TranslationClientOptions.RequestTimeout"/>. Always transient; a wait retries it at most
/// <see cref="TranslationClientOptions.MaxTransportRetries"/> times in a row, then fails with
/// <see cref="TranslationServerUnreachableException"/>.
/// </summary>
public sealed class TranslationConnectionException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The URL asked, without secrets.</param>
    /// <param name="isTimeout"><see langword="true"/> when the request timed out rather than failed.</param>
    /// <param name="innerException">The underlying cause.</param>
    /// <param name="reason">What failed, in a few words: "connection refused (127.0.0.1:1)"; default the message.</param>
    public TranslationConnectionException(string message, Uri requestUri, bool isTimeout, Exception? innerException = null, string? reason = null)
        : base(message, requestUri, innerException)
    {
        IsTimeout = isTimeout;
        Reason = string.IsNullOrEmpty(reason) ? message : reason!;
    }

    /// <summary>What failed, in a few words, with the host and port: "connection refused (127.0.0.1:1)".</summary>
    public string Reason { get; }

    /// <summary><see langword="true"/> when the request timed out; <see langword="false"/> when the connection failed.</summary>
    public bool IsTimeout { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
