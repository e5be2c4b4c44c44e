using System;
using System.IO;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>The JSON of <c>POST /jobs</c>: the request body and the <c>{"id": …, "result": …}</c> answer.</summary>
internal static class JobRequestBody
{
    public static byte[] Serialize(TranslationJobRequest? request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (request?.Delay is TimeSpan delay)
            {
                json.WriteNumber("delaySeconds", delay.TotalSeconds);
            }

            if (request?.Outcome is TranslationState outcome)
            {
                json.WriteString("outcome", outcome == TranslationState.Error ? "error" : "completed");
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static (string Id, TranslationState State) ParseCreated(ServerAnswer answer)
    {
        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(answer.Body.Buffer, 0, answer.Body.Length), new JsonDocumentOptions { MaxDepth = 16 });
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String ||
                string.IsNullOrWhiteSpace(id.GetString()))
            {
                throw answer.Fail("the answer to creating a job has no string \"id\".");
            }

            TranslationState state = TranslationState.Pending;
            if (root.TryGetProperty("result", out JsonElement result) &&
                (result.ValueKind != JsonValueKind.String || !StatusParser.TryParseState(result.GetString()!, out state)))
            {
                throw answer.Fail("the answer to creating a job has a \"result\" that is none of \"pending\", \"completed\", \"error\".");
            }

            return (id.GetString()!, state);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            throw answer.Fail("the answer to creating a job is not valid JSON.", ex);
        }
    }
}
