using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// Masks the client's own secrets — its API key, bearer token and the values of its custom headers — in what a server
/// says (an error body or reason phrase that echoes a request header), before any of it is quoted: in exceptions,
/// statuses, log lines and telemetry.
/// </summary>
/// <remarks>
/// Each secret is masked as sent and as a JSON writer escapes it (System.Text.Json writes '+' as \u002B). An error
/// answer's body is masked in its bytes as it arrives (it is read only to be quoted); a 2xx body is parsed as sent and
/// masked where it is quoted (<see cref="ServerAnswer.Quote"/>), so a header value that is also in an id breaks nothing.
/// </remarks>
internal static class SecretMask
{
    private const string Mask = "***";

    // Values this short are not masked: "1" or "on" in a header would mask every such character of the text. Being
    // longer than the mask also lets the body be masked in place.
    private const int MinimumSecretLength = 4;

    private static readonly byte[] s_maskBytes = Encoding.UTF8.GetBytes(Mask);

    public static string Apply(string text, TranslationClientOptions options)
    {
        foreach (string secret in Forms(options))
        {
            if (text.IndexOf(secret, StringComparison.Ordinal) >= 0)
            {
                text = text.Replace(secret, Mask);
            }
        }

        return text;
    }

    /// <inheritdoc cref="Apply(string, TranslationClientOptions)"/>
    public static string? ApplyOrNull(string? text, TranslationClientOptions options) => text is null ? null : Apply(text, options);

    /// <summary>The body with every secret's bytes replaced by the mask (in place: the mask is shorter than any secret).</summary>
    public static ResponseBody Apply(ResponseBody body, TranslationClientOptions options)
    {
        int length = body.Length;
        foreach (string secret in Forms(options))
        {
            length = ReplaceInPlace(body.Buffer, length, Encoding.UTF8.GetBytes(secret));
        }

        return length == body.Length ? body : body.WithLength(length);
    }

    // Each secret as sent, and as a JSON string escapes it when that differs.
    private static IEnumerable<string> Forms(TranslationClientOptions options)
    {
        var secrets = new List<string?> { options.ApiKey, options.BearerToken };
        if (options.Headers is { } headers)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                secrets.Add(header.Value);
            }
        }

        foreach (string? secret in secrets)
        {
            if (secret is not { Length: >= MinimumSecretLength })
            {
                continue;
            }

            yield return secret;
            string escaped = JsonEncodedText.Encode(secret, JavaScriptEncoder.Default).ToString();
            if (escaped != secret)
            {
                yield return escaped;
            }
        }
    }

    private static int ReplaceInPlace(byte[] buffer, int length, byte[] secret)
    {
        int found = buffer.AsSpan(0, length).IndexOf(secret);
        if (found < 0)
        {
            return length;
        }

        int write = found, read = found;
        while (read < length)
        {
            int next = buffer.AsSpan(read, length - read).IndexOf(secret);
            if (next != 0)
            {
                int copy = next < 0 ? length - read : next;
                Buffer.BlockCopy(buffer, read, buffer, write, copy);
                write += copy;
                read += copy;
                continue;
            }

            Buffer.BlockCopy(s_maskBytes, 0, buffer, write, s_maskBytes.Length);
            write += s_maskBytes.Length;
            read += secret.Length;
        }

        return write;
    }
}
