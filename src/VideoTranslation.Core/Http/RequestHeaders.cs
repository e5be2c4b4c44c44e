using System;
using System.Collections.Generic;
using System.Net.Http;

namespace VideoTranslation.Internal;

/// <summary>
/// The rules for <see cref="TranslationClientOptions.Headers"/>: valid HTTP names and values, and none of the headers the
/// client sets itself. Messages name the header, never its value (a header may carry a secret).
/// </summary>
internal static class RequestHeaders
{
    public const string ApiKeyHeader = "X-Api-Key";

    // The headers the client sets, and what to use instead.
    private static readonly Dictionary<string, string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        [ApiKeyHeader] = "it carries the API key: use ApiKey (-ApiKey in PowerShell)",
        ["Authorization"] = "it carries the bearer token: use BearerToken (-Token in PowerShell)",
        ["User-Agent"] = "use UserAgent (-UserAgent in PowerShell)",
        ["Accept"] = "the client asks for the protocol's JSON",
        ["Content-Type"] = "the client sends the protocol's JSON",
        ["Host"] = "it comes from the server's address (-Uri in PowerShell)",
        ["Content-Length"] = "HTTP itself sets it",
        ["Transfer-Encoding"] = "HTTP itself sets it",
        ["Connection"] = "HTTP itself sets it",
    };

    /// <summary>A checked, case-insensitive copy of <paramref name="headers"/>; throws <see cref="ArgumentException"/> naming the bad header.</summary>
    public static IReadOnlyDictionary<string, string> Check(IEnumerable<KeyValuePair<string, string>> headers, string optionName)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var probe = new HttpRequestMessage();
        foreach (KeyValuePair<string, string> header in headers)
        {
            string name = header.Key;
            if (string.IsNullOrEmpty(name) || !IsToken(name))
            {
                throw new ArgumentException(
                    $"{optionName} has a name that is not a valid HTTP header name: '{Printable(name)}' (letters, digits and !#$%&'*+-.^_`|~ only, no spaces or colons).",
                    optionName);
            }

            if (s_reserved.TryGetValue(name, out string? instead))
            {
                throw new ArgumentException($"{optionName} must not set '{name}', which the client sets itself: {instead}.", optionName);
            }

            if (header.Value is null || HasControlCharacter(header.Value))
            {
                throw new ArgumentException(
                    $"{optionName}: the value of '{name}' is {(header.Value is null ? "missing" : "not allowed: it holds control characters (line breaks included)")}; the value is not shown.",
                    optionName);
            }

            if (!probe.Headers.TryAddWithoutValidation(name, header.Value))
            {
                throw new ArgumentException($"{optionName} must not set '{name}': it describes a request body, and status requests have none.", optionName);
            }

            if (copy.ContainsKey(name))
            {
                throw new ArgumentException($"{optionName} sets '{name}' twice (header names ignore case).", optionName);
            }

            copy.Add(name, header.Value);
        }

        return copy;
    }

    /// <summary>Whether <paramref name="value"/> holds a control character other than tab (which no header can carry safely).</summary>
    public static bool HasControlCharacter(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return true;
            }
        }

        return false;
    }

    // RFC 9110 token: the characters a field name may have.
    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string? name)
    {
        if (name is null)
        {
            return string.Empty;
        }

        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
