using System.Globalization;
using System.Text.Json;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>A create body that cannot be used: the field at fault and what is wrong with it (400 invalid_parameter).</summary>
internal sealed record CreateBodyError(string Param, string Message, bool Missing = false);

/// <summary>
/// Reads the create bodies: v3 <c>{"video":{"type":"url","url"}|{"type":"asset_id","asset_id"},"output_languages":[…],
/// "mode","title","callback_url","callback_id"}</c> and v2 <c>{"video_url","output_language","title","callback_id",
/// "callback_url"}</c>; fields HeyGen has and the simulator does not model are accepted and ignored. The simulator's own
/// per-job overrides come in headers (<see cref="HeyGenWire.DelayHeader"/>, <see cref="HeyGenWire.OutcomeHeader"/>).
/// </summary>
internal static class HeyGenCreateRequest
{
    public static bool TryReadV3(string text, out List<JobDetails> jobs, out CreateBodyError? error)
    {
        jobs = [];
        if (!TryParseObject(text, out var doc, out error))
        {
            return false;
        }

        using (doc)
        {
            var root = doc!.RootElement;
            if (!root.TryGetProperty("video", out var video) || video.ValueKind != JsonValueKind.Object)
            {
                error = new("video", "video is required: an object {\"type\":\"url\",\"url\":\"https://…\"} or {\"type\":\"asset_id\",\"asset_id\":\"…\"}.", Missing: true);
                return false;
            }

            var type = OptionalString(video, "type", "video.type", ref error);
            string? videoUrl = null;
            if (type == "url")
            {
                videoUrl = RequiredString(video, "url", "video.url", ref error);
                if (error is null && !IsHttpUrl(videoUrl))
                {
                    error = new("video.url", $"video.url is '{videoUrl}'; it must be an absolute http(s) URL.");
                }
            }
            else if (type == "asset_id")
            {
                RequiredString(video, "asset_id", "video.asset_id", ref error);
            }
            else if (error is null)
            {
                error = new("video.type", $"video.type is {Show(type)}; it must be \"url\" or \"asset_id\".", Missing: type is null);
            }

            var languages = new List<string>();
            if (error is null)
            {
                if (!root.TryGetProperty("output_languages", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                {
                    error = new("output_languages", "output_languages is required: a non-empty array of language names such as [\"Spanish (Spain)\"].", Missing: true);
                }
                else
                {
                    foreach (var item in list.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                        {
                            error = new("output_languages", $"output_languages[{languages.Count.ToString(CultureInfo.InvariantCulture)}] is {item.GetRawText()}; every language must be a non-empty string.");
                            break;
                        }

                        languages.Add(item.GetString()!);
                    }
                }
            }

            var mode = OptionalString(root, "mode", "mode", ref error);
            if (error is null && mode is not null and not "speed" and not "precision")
            {
                error = new("mode", $"mode is '{mode}'; it must be \"speed\" or \"precision\".");
            }

            var common = ReadCommon(root, ref error);
            if (error is not null)
            {
                return false;
            }

            jobs = languages.Select(language => common with { Language = language, Mode = mode ?? "speed", VideoUrl = videoUrl }).ToList();
            return true;
        }
    }

    public static bool TryReadV2(string text, out JobDetails? job, out CreateBodyError? error)
    {
        job = null;
        if (!TryParseObject(text, out var doc, out error))
        {
            return false;
        }

        using (doc)
        {
            var root = doc!.RootElement;
            var videoUrl = RequiredString(root, "video_url", "video_url", ref error);
            if (error is null && !IsHttpUrl(videoUrl))
            {
                error = new("video_url", $"video_url is '{videoUrl}'; it must be an absolute http(s) URL.");
            }

            var language = RequiredString(root, "output_language", "output_language", ref error);
            var common = ReadCommon(root, ref error);
            if (error is not null)
            {
                return false;
            }

            job = common with { Language = language, VideoUrl = videoUrl };
            return true;
        }
    }

    /// <summary>The overrides of <see cref="HeyGenWire.DelayHeader"/> and <see cref="HeyGenWire.OutcomeHeader"/> for <paramref name="count"/> jobs.</summary>
    public static bool TryReadOverrides(HttpRequest request, int count, out List<JobOverrides?> overrides, out CreateBodyError? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        overrides = [.. Enumerable.Repeat<JobOverrides?>(null, count)];
        error = null;
        double? delay = null;
        var delayText = request.Headers[HeyGenWire.DelayHeader].ToString();
        if (delayText.Length > 0)
        {
            if (!double.TryParse(delayText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds >= 0 && seconds <= SimulatorOptionsValidator.MaxDelaySeconds))
            {
                error = new(HeyGenWire.DelayHeader, $"{HeyGenWire.DelayHeader} is '{delayText}'; it must be a number of seconds between 0 and {SimulatorOptionsValidator.Format(SimulatorOptionsValidator.MaxDelaySeconds)}.");
                return false;
            }

            delay = seconds;
        }

        var outcomeText = request.Headers[HeyGenWire.OutcomeHeader].ToString();
        var outcomes = outcomeText.Length == 0 ? [] : outcomeText.Split(',', StringSplitOptions.TrimEntries);
        if (outcomes.Length is not 0 and not 1 && outcomes.Length != count)
        {
            error = new(HeyGenWire.OutcomeHeader, $"{HeyGenWire.OutcomeHeader} lists {outcomes.Length} outcomes for {count} jobs; give one for all or one per output language.");
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            JobResult? outcome = null;
            if (outcomes.Length > 0)
            {
                var word = outcomes[outcomes.Length == 1 ? 0 : i];
                outcome = word.ToUpperInvariant() switch
                {
                    "COMPLETED" or "SUCCESS" => JobResult.Completed,
                    "FAILED" or "ERROR" => JobResult.Error,
                    _ => JobResult.Pending, // marks an unknown word
                };
                if (outcome == JobResult.Pending)
                {
                    error = new(HeyGenWire.OutcomeHeader, $"{HeyGenWire.OutcomeHeader} has '{word}'; each outcome must be \"completed\" or \"failed\".");
                    return false;
                }
            }

            overrides[i] = delay is null && outcome is null ? null : new JobOverrides(delay, outcome);
        }

        return true;
    }

    private static JobDetails ReadCommon(JsonElement root, ref CreateBodyError? error)
    {
        var title = OptionalString(root, "title", "title", ref error);
        var callbackId = OptionalString(root, "callback_id", "callback_id", ref error);
        var callbackText = OptionalString(root, "callback_url", "callback_url", ref error);
        Uri? callback = null;
        if (error is null && callbackText is not null)
        {
            if (!IsHttpUrl(callbackText))
            {
                error = new("callback_url", $"callback_url is '{callbackText}'; it must be an absolute http(s) URL.");
            }
            else
            {
                callback = new Uri(callbackText);
            }
        }

        return new JobDetails(Title: title, CallbackUrl: callback, CallbackId: callbackId);
    }

    private static bool TryParseObject(string text, out JsonDocument? doc, out CreateBodyError? error)
    {
        doc = null;
        error = null;
        try
        {
            doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            error = new("body", $"The body is not valid JSON: {ex.Message}");
            return false;
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = new("body", "The body must be a JSON object.", Missing: true);
            doc.Dispose();
            doc = null;
            return false;
        }

        return true;
    }

    private static string? OptionalString(JsonElement parent, string name, string param, ref CreateBodyError? error)
    {
        if (error is not null || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = new(param, $"{param} is {value.GetRawText()}; it must be a string.");
            return null;
        }

        return value.GetString();
    }

    private static string RequiredString(JsonElement parent, string name, string param, ref CreateBodyError? error)
    {
        var value = OptionalString(parent, name, param, ref error);
        if (error is null && string.IsNullOrWhiteSpace(value))
        {
            error = new(param, $"{param} is required.", Missing: true);
        }

        return value ?? "";
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Show(string? value) => value is null ? "missing" : $"'{value}'";
}
