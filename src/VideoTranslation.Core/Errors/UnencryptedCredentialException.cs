using System;

namespace VideoTranslation;

/// <summary>
/// A credential would go over plain http to a host that is not loopback, where anyone on the network path can read
/// it, and <see cref="TranslationClientOptions.AllowUnencryptedApiKey"/> is not set. Nothing has been sent.
/// </summary>
public sealed class UnencryptedCredentialException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host the credential would have gone to.</param>
    public UnencryptedCredentialException(string host)
        : base(Text(host), "options")
    {
        Host = host;
    }

    /// <summary>The host the credential would have gone to.</summary>
    public string Host { get; }

    /// <summary>The message without the " (Parameter '…')" suffix of <see cref="ArgumentException"/>.</summary>
    public override string Message => Text(Host);

    private static string Text(string host) =>
            $"Refusing to send the API key over plain http to {host}, where anyone on the network path can read it. " +
            "Use an https address, or allow it (AllowUnencryptedApiKey; -AllowUnencryptedApiKey in PowerShell) if this network is trusted; " +
            "loopback addresses, such as 127.0.0.1 and localhost, need neither.";
}
