using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// The JSON of the simulator's group long-poll (docs/protocol.md): the <c>POST /jobs/status</c> body
/// <c>{"ids":[…],"wait":s}</c>, its answer <c>{"jobs":[{"id":…,"result":…} | {"id":…,"error":{"status":404,…}}, …]}</c>,
/// and the <c>groupLongPoll</c> entry of <c>GET /capabilities</c>.
/// </summary>
internal static class GroupStatusBody
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 16 };
    private static readonly string[] s_jobs = { "jobs" };
    private static readonly string[] s_id = { "id" };
    private static readonly string[] s_error = { "error" };

    public static byte[] Serialize(IReadOnlyList<string> jobIds, TimeSpan hold)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("ids");
            foreach (string id in jobIds)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteNumber("wait", Math.Round(hold.TotalSeconds, 3));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The capability, or <see langword="null"/> when the answer does not offer one (any shape but the expected).</summary>
    public static GroupCapability? ParseCapabilities(ServerAnswer answer)
    {
        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(answer.Body.Buffer, 0, answer.Body.Length), s_options);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("groupLongPoll", out JsonElement group) && group.ValueKind == JsonValueKind.Object &&
                group.TryGetProperty("maxIds", out JsonElement ids) && ids.ValueKind == JsonValueKind.Number && ids.TryGetInt32(out int maxIds) && maxIds > 0 &&
                group.TryGetProperty("maxWaitSeconds", out JsonElement wait) && wait.ValueKind == JsonValueKind.Number &&
                wait.TryGetDouble(out double seconds) && seconds > 0 && seconds <= Guard.MaxDuration.TotalSeconds)
            {
                return new GroupCapability(maxIds, TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond)));
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The items of a group answer, in the order asked, or a protocol error about the whole answer.</summary>
    /// <param name="answer">The answer.</param>
    /// <param name="jobIds">The ids asked.</param>
    /// <param name="status">Builds one job's status from its parsed item.</param>
    public static GroupItem[] Parse(ServerAnswer answer, IReadOnlyList<string> jobIds, Func<string, StatusParser.Parsed, TranslationStatus> status)
    {
        try
        {
            using JsonDocument doc = StatusParser.ParseJson(answer); // the whole body's UTF-8 checked first
            JsonElement root = doc.RootElement;
            if (JsonMembers.Repeated(root, s_jobs) is { } repeatedJobs)
            {
                throw JsonMembers.Ambiguous(answer, string.Empty, repeatedJobs);
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jobs", out JsonElement jobs) || jobs.ValueKind != JsonValueKind.Array)
            {
                throw answer.Fail("the answer to a group status check has no \"jobs\" array.");
            }

            if (jobs.GetArrayLength() != jobIds.Count)
            {
                throw answer.Fail($"the answer to a group status check lists {jobs.GetArrayLength().ToString(CultureInfo.InvariantCulture)} jobs; {jobIds.Count.ToString(CultureInfo.InvariantCulture)} were asked.");
            }

            var items = new GroupItem[jobIds.Count];
            int i = 0;
            foreach (JsonElement item in jobs.EnumerateArray())
            {
                string where = $"jobs[{i.ToString(CultureInfo.InvariantCulture)}]: ";
                if (JsonMembers.Repeated(item, s_id) is { } repeatedId)
                {
                    throw JsonMembers.Ambiguous(answer, where, repeatedId); // which job is it? The whole answer is wrong
                }

                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out JsonElement id) ||
                    id.ValueKind != JsonValueKind.String || !string.Equals(id.GetString(), jobIds[i], StringComparison.Ordinal))
                {
                    throw answer.Fail($"{where}the item is not the job asked in that place ('{jobIds[i]}').");
                }

                items[i] = ReadItem(item, answer, jobIds[i], where, status);
                i++;
            }

            return items;
        }
        catch (JsonException ex)
        {
            throw answer.Fail("the body is not valid JSON (" + ex.Message + ").", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw answer.Fail("the body is not valid UTF-8 JSON.", ex);
        }
    }

    // A job's own problem (an unknown id) is its failure alone; so is an item that is not a status.
    private static GroupItem ReadItem(JsonElement item, ServerAnswer answer, string jobId, string where, Func<string, StatusParser.Parsed, TranslationStatus> status)
    {
        if (JsonMembers.Repeated(item, s_error) is { } repeated)
        {
            return new GroupItem(null, JsonMembers.Ambiguous(answer, where, repeated));
        }

        if (item.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
        {
            int code = error.TryGetProperty("status", out JsonElement s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out int c) ? c : 0;
            if (code < 400 || code > 599)
            {
                return new GroupItem(null, answer.Fail($"{where}the error of job '{jobId}' has no HTTP status (400–599)."));
            }

            string title = error.TryGetProperty("title", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
            string detail = error.TryGetProperty("detail", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty;
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(detail);
            string excerpt = answer.Quote(BodyExcerpt.From(bytes, bytes.Length));
            return new GroupItem(null, new TranslationHttpException(code, answer.Quote(title), excerpt, answer.SafeUri, null, answer.Method));
        }

        try
        {
            return new GroupItem(status(jobId, StatusParser.ParseObject(item, answer, where)), null);
        }
        catch (TranslationProtocolException ex)
        {
            return new GroupItem(null, ex);
        }
    }
}
