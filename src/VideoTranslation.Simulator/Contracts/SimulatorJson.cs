using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoTranslation.Simulator.Contracts;

/// <summary>JSON settings for request bodies: camelCase, and unknown fields rejected so typos do not pass silently.</summary>
internal static class SimulatorJson
{
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads an optional JSON body; an empty body gives null.</summary>
    public static async Task<(T? Value, string? Error)> ReadOptionalBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        using var reader = new StreamReader(request.Body);
        return ParseOptionalBody<T>(await reader.ReadToEndAsync(cancellationToken));
    }

    /// <summary>Reads an optional JSON body already read as text; an empty body gives null.</summary>
    public static (T? Value, string? Error) ParseOptionalBody<T>(string text)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(text, Strict);
            return value is null ? (null, "The body is JSON null; send an object.") : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON for this route: {ex.Message}");
        }
    }

    public static string ToWire(this Jobs.JobResult result) => result switch
    {
        Jobs.JobResult.Pending => "pending",
        Jobs.JobResult.Completed => "completed",
        Jobs.JobResult.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };
}
