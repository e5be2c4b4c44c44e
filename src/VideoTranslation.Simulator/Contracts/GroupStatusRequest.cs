using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoTranslation.Simulator.Contracts;

/// <summary>
/// The body of POST /jobs/status, <c>{"ids":["a","b",…],"wait":seconds}</c>, read with a message for every way it can
/// be wrong: not JSON, not an object, an unknown field, no ids, more than <see cref="MaxIds"/>, a blank or repeated id,
/// a wait that is not a finite number of seconds ≥ 0.
/// </summary>
internal sealed record GroupStatusRequest(IReadOnlyList<string> Ids, double? WaitSeconds)
{
    /// <summary>The most ids one request may list.</summary>
    public const int MaxIds = 500;

    public const string Example = "{\"ids\":[\"a\",\"b\"],\"wait\":30}";

    public static bool TryParse(string text, out GroupStatusRequest? request, out string error)
    {
        request = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"The body is empty; send the jobs to report as JSON, like {Example}.";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"The body is JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object like {Example}.";
                return false;
            }

            JsonElement? ids = null;
            double? wait = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("ids"))
                {
                    ids = property.Value;
                }
                else if (property.NameEquals("wait"))
                {
                    if (!TryReadWait(property.Value, out wait, out error))
                    {
                        return false;
                    }
                }
                else
                {
                    error = $"The body has an unknown field '{property.Name}'; only \"ids\" and \"wait\" are allowed.";
                    return false;
                }
            }

            if (!TryReadIds(ids, out var list, out error))
            {
                return false;
            }

            request = new GroupStatusRequest(list, wait);
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The body is not valid JSON ({ex.Message}); send an object like {Example}.";
            return false;
        }
    }

    private static bool TryReadWait(JsonElement value, out double? wait, out string error)
    {
        wait = null;
        error = "";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds) || seconds < 0)
        {
            error = $"wait is {value.GetRawText()}; it must be a number of seconds, 0 or more (fractions allowed, e.g. 0.5).";
            return false;
        }

        wait = seconds;
        return true;
    }

    private static bool TryReadIds(JsonElement? ids, out List<string> list, out string error)
    {
        list = [];
        error = "";
        if (ids is not { ValueKind: JsonValueKind.Array } array)
        {
            error = ids is null
                ? $"The body has no \"ids\"; list the jobs to report, like {Example}."
                : $"\"ids\" is {ids.Value.ValueKind.ToString().ToLowerInvariant()}; it must be an array of job ids.";
            return false;
        }

        var count = array.GetArrayLength();
        if (count == 0)
        {
            error = "\"ids\" is empty; list at least one job id.";
            return false;
        }

        if (count > MaxIds)
        {
            error = $"\"ids\" lists {count.ToString(CultureInfo.InvariantCulture)} jobs; one request may list at most {MaxIds.ToString(CultureInfo.InvariantCulture)}.";
            return false;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var at = list.Count.ToString(CultureInfo.InvariantCulture);
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                error = $"ids[{at}] is {item.GetRawText()}; every id must be a non-empty string.";
                return false;
            }

            var id = item.GetString()!;
            if (!seen.TryAdd(id, list.Count))
            {
                error = $"ids[{at}] '{id}' repeats ids[{seen[id].ToString(CultureInfo.InvariantCulture)}]; list each job once.";
                return false;
            }

            list.Add(id);
        }

        return true;
    }
}

/// <summary>The answer of POST /jobs/status: one item per requested id, in request order.</summary>
internal sealed record GroupStatusResponse(IReadOnlyList<GroupStatusItem> Jobs);

/// <summary>One job of a group answer: the single-job status fields, or <see cref="Error"/> for an id the server does not know.</summary>
internal sealed record GroupStatusItem(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Result = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Progress = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EtaSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompletedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GroupItemError? Error = null);

/// <summary>Why one id of a group has no status: the problem the single-job route would answer (404 for an unknown job).</summary>
internal sealed record GroupItemError(int Status, string Title, string Detail);

/// <summary>The group long-poll entry of GET /capabilities.</summary>
internal sealed record GroupLongPollCapability(int MaxIds, double MaxWaitSeconds);
