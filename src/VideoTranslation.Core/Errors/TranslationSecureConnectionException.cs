using System;

namespace VideoTranslation;

/// <summary>
/// The TLS handshake with the server failed: its certificate is not trusted, is for another name or has expired, or the
/// server does not speak TLS on that port. Retrying will not fix it, so a wait fails at once.
/// </summary>
public sealed class TranslationSecureConnectionException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The URL asked, without secrets.</param>
    /// <param name="reason">Why the handshake failed, e.g. "the certificate chain has errors: UntrustedRoot".</param>
    /// <param name="innerException">The underlying cause.</param>
    public TranslationSecureConnectionException(string message, Uri requestUri, string reason, Exception? innerException = null)
        : base(message, requestUri, innerException)
    {
        Reason = reason ?? string.Empty;
    }

    /// <summary>Why the handshake failed, as the TLS layer said it (e.g. <c>UntrustedRoot</c>, <c>RemoteCertificateNameMismatch</c>).</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
