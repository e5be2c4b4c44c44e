using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>
/// Masks the client's own secrets — its API key, bearer token and the values of its custom headers — in a text that may
/// quote a server (an error body that echoes a request header), before the text leaves as telemetry.
/// </summary>
internal static class SecretMask
{
    private const string Mask = "***";

    // Values this short are not masked: "1" or "on" in a header would mask every such character of the text.
    private const int MinimumSecretLength = 4;

    public static string Apply(string text, TranslationClientOptions options)
    {
        text = Replace(text, options.ApiKey);
        text = Replace(text, options.BearerToken);
        if (options.Headers is { } headers)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                text = Replace(text, header.Value);
            }
        }

        return text;
    }

    private static string Replace(string text, string? secret) =>
        secret is { Length: >= MinimumSecretLength } && text.IndexOf(secret, StringComparison.Ordinal) >= 0
            ? text.Replace(secret, Mask)
            : text;
}
