using System;

namespace VideoTranslation;

/// <summary>
/// A credential (the API key or the bearer token) would go over plain http to a host that is not loopback, where anyone
/// on the network path can read it, and <see cref="TranslationClientOptions.AllowUnencryptedApiKey"/> is not set.
/// Nothing has been sent.
/// </summary>
public sealed class UnencryptedCredentialException : ArgumentException
{
    /// <summary>Creates the exception about the API key.</summary>
    /// <param name="host">The host the credential would have gone to.</param>
    public UnencryptedCredentialException(string host)
        : this(host, "API key")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host the credential would have gone to.</param>
    /// <param name="credential">Which credential, as a message names it: "API key", "bearer token".</param>
    public UnencryptedCredentialException(string host, string credential)
        : base(Text(host, credential), "options")
    {
        Host = host;
        Credential = credential;
    }

    /// <summary>The host the credential would have gone to.</summary>
    public string Host { get; }

    /// <summary>Which credential would have gone: "API key" or "bearer token".</summary>
    public string Credential { get; }

    /// <summary>The message without the " (Parameter '…')" suffix of <see cref="ArgumentException"/>.</summary>
    public override string Message => Text(Host, Credential);

    private static string Text(string host, string credential) =>
            $"Refusing to send the {credential} over plain http to {host}, where anyone on the network path can read it. " +
            "Use an https address, or allow it (AllowUnencryptedApiKey; -AllowUnencryptedApiKey in PowerShell) if this network is trusted; " +
            "loopback addresses, such as 127.0.0.1 and localhost, need neither.";
}
