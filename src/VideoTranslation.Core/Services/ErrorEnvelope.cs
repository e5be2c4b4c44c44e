using System;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// Reads a service's own code and message from a non-2xx body: at the paths a service names, or else in the common
/// shapes (<c>{"error":{"code","message"}}</c>, <c>{"error":"…"}</c>, <c>{"code","message"}</c>, problem+json's
/// <c>title</c>/<c>detail</c>). Advisory: a body that is not JSON, or has neither, gives nulls, never an error.
/// </summary>
internal static class ErrorEnvelope
{
    private const int MaxTextLength = 300;
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 16 };
    private static readonly JsonPath[] s_codes = Paths("error.code", "code", "error_code");
    private static readonly JsonPath[] s_messages = Paths("error.message", "error", "message", "detail", "title", "msg");

    public static (string? Code, string? Message) Read(byte[] body, int length, JsonPath? codePath, JsonPath? messagePath)
    {
        if (length == 0)
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(body, 0, length), s_options);
            JsonElement root = doc.RootElement;
            string? code = codePath is null ? First(root, s_codes) : codePath.FindText(root);
            string? message = messagePath is null ? First(root, s_messages) : messagePath.FindText(root);
            return (Clip(code), Clip(message));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return (null, null); // not JSON (an excerpt of the body is in the error anyway), or cut off by the excerpt's cap
        }
    }

    private static string? First(JsonElement root, JsonPath[] paths)
    {
        foreach (JsonPath path in paths)
        {
            if (path.FindText(root) is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    // One printable line: the text goes into error messages and logs.
    public static string? Clean(string? text) => Clip(text);

    private static string? Clip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var chars = text!.Trim().ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = ' ';
            }
        }

        string clean = new(chars);
        return clean.Length > MaxTextLength ? clean.Substring(0, MaxTextLength) + "…" : clean;
    }

    private static JsonPath[] Paths(params string[] texts) =>
        Array.ConvertAll(texts, t => JsonPath.TryParse(t, out _)!);
}
