using System;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// Parses the simulator's status body <c>{"result": "pending" | "completed" | "error", "progress"?: 0..1, "etaSeconds"?: n,
/// "completedAt"?: ISO 8601}</c>
/// for <see cref="SimulatorService"/>.
/// </summary>
internal static class StatusParser
{
    // Deep nesting is never a status; a small limit stops hostile bodies early.
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 16 };

    // etaSeconds above a year is nonsense; treat it as no hint rather than overflow a TimeSpan.
    private const double MaxEtaSeconds = 365 * 24 * 3600;

    // The fields a status object is read for: each must appear at most once.
    private static readonly string[] s_fields = { "result", "progress", "etaSeconds", "completedAt" };

    // Throws on the first invalid sequence: JsonDocument checks UTF-8 only in the strings that are read.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public readonly struct Parsed
    {
        public Parsed(TranslationState state, string raw, double? progress, TimeSpan? eta, DateTimeOffset? completedAt)
        {
            State = state;
            Raw = raw;
            Progress = progress;
            Eta = eta;
            CompletedAt = completedAt;
        }

        public TranslationState State { get; }

        public string Raw { get; }

        public double? Progress { get; }

        public TimeSpan? Eta { get; }

        /// <summary>When a finished job ended, by the server's clock (<c>completedAt</c>); never on a pending answer.</summary>
        public DateTimeOffset? CompletedAt { get; }
    }

    /// <summary>Parses a body, or throws <see cref="TranslationProtocolException"/> saying what is wrong.</summary>
    /// <remarks>
    /// The content type is not enforced (a server that labels the contract text/plain is still understood); it is
    /// named in the error when a body that is not JSON says it is something else, such as a proxy's HTML page.
    /// </remarks>
    public static Parsed Parse(ServerAnswer answer)
    {
        using JsonDocument doc = ParseJson(answer);
        try
        {
            return ParseObject(doc.RootElement, answer, string.Empty);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // JsonDocument validates UTF-8 inside strings only when one is read, and reports it this way.
            throw answer.Fail("the body is not valid UTF-8 JSON.", ex);
        }
    }

    /// <summary>
    /// The answer's body as JSON, or <see cref="TranslationProtocolException"/> saying why it is not: every JSON service
    /// reads its bodies through here. The caller disposes the document.
    /// </summary>
    public static JsonDocument ParseJson(ServerAnswer answer)
    {
        CheckUtf8(answer);
        try
        {
            return JsonDocument.Parse(new ReadOnlyMemory<byte>(answer.Body.Buffer, 0, answer.Body.Length), s_options);
        }
        catch (JsonException ex)
        {
            string? contentType = answer.ContentType;
            string labelled = contentType is not null && contentType.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0
                ? $" — the server labelled it {contentType}"
                : string.Empty;
            throw answer.Fail("the body is not valid JSON (" + ex.Message + ")" + labelled + ".", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw answer.Fail("the body is not valid UTF-8 JSON.", ex);
        }
    }

    // The whole body, once: a status must not be read from a body whose other bytes are not text.
    private static void CheckUtf8(ServerAnswer answer)
    {
        try
        {
            _ = s_strictUtf8.GetCharCount(answer.Body.Buffer, 0, answer.Body.Length);
        }
        catch (DecoderFallbackException ex)
        {
            throw answer.Fail("the body is not valid UTF-8 (JSON is UTF-8 text, RFC 8259 §8.1).", ex);
        }
    }

    /// <summary>
    /// Reads one status object — the whole body of a single check, or one item of a group answer (then
    /// <paramref name="where"/> names it in errors, like <c>jobs[3] </c>) — or throws <see cref="TranslationProtocolException"/>.
    /// </summary>
    public static Parsed ParseObject(JsonElement root, ServerAnswer answer, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw answer.Fail($"{where}the JSON is {Describe(root.ValueKind)}, not an object with a \"result\" field.");
        }

        if (JsonMembers.Repeated(root, s_fields) is { } repeated)
        {
            throw JsonMembers.Ambiguous(answer, where, repeated);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            throw answer.Fail($"{where}the JSON object has no \"result\" field.");
        }

        if (result.ValueKind != JsonValueKind.String)
        {
            throw answer.Fail($"{where}\"result\" is {Describe(result.ValueKind)}, not a string.");
        }

        string raw = result.GetString()!;
        if (!TryParseState(raw, out var state))
        {
            string shown = raw.Length > 50 ? raw.Substring(0, 50) + "…" : raw;
            throw answer.Fail($"{where}\"result\" is \"{shown}\", which is none of \"pending\", \"completed\", \"error\".");
        }

        return new Parsed(state, raw, ReadProgress(root), ReadEta(root), state == TranslationState.Pending ? null : ReadTime(root, "completedAt"));
    }

    /// <summary>Maps a <c>result</c> value to a state; matching ignores case, nothing else is accepted.</summary>
    public static bool TryParseState(string raw, out TranslationState state)
    {
        if (string.Equals(raw, "pending", StringComparison.OrdinalIgnoreCase))
        {
            state = TranslationState.Pending;
            return true;
        }

        if (string.Equals(raw, "completed", StringComparison.OrdinalIgnoreCase))
        {
            state = TranslationState.Completed;
            return true;
        }

        if (string.Equals(raw, "error", StringComparison.OrdinalIgnoreCase))
        {
            state = TranslationState.Error;
            return true;
        }

        state = default;
        return false;
    }


    // Hints are advisory: a missing, mistyped or out-of-range hint is dropped, never an error.
    private static double? ReadProgress(JsonElement root) =>
        root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number &&
        p.TryGetDouble(out double v) && v >= 0 && v <= 1
            ? v
            : null;

    private static TimeSpan? ReadEta(JsonElement root) =>
        root.TryGetProperty("etaSeconds", out var e) && e.ValueKind == JsonValueKind.Number &&
        e.TryGetDouble(out double v) && v >= 0 && v <= MaxEtaSeconds
            ? TimeSpan.FromTicks((long)(v * TimeSpan.TicksPerSecond))
            : null;

    /// <summary>An ISO 8601 time (a string) or unix seconds (a number) of a field; advisory like the hints, so anything else is none.</summary>
    public static DateTimeOffset? ReadTime(JsonElement root, string name) =>
        root.TryGetProperty(name, out var t) ? ReadTime(t) : null;

    /// <inheritdoc cref="ReadTime(JsonElement, string)"/>
    public static DateTimeOffset? ReadTime(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out DateTimeOffset time))
        {
            return time;
        }

        // Unix seconds within years 1970..9999 (HeyGen-style created_at), fractions allowed.
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double seconds) && seconds >= 0 && seconds < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "not a value",
    };
}
