using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>The JSON file of a <see cref="DurationHistory"/>: <c>{"version": 1, "servers": {"http://host/": [[seconds, uncertainty], …]}}</c>.</summary>
internal static class DurationHistoryFile
{
    private const int FileVersion = 1;

    /// <summary>Adds the durations of a file's bytes to <paramref name="history"/>, or throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static void Read(string path, byte[] bytes, DurationHistory history)
    {
        int bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0; // editors add one
        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, bom, bytes.Length - bom), new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number ||
                !root.TryGetProperty("servers", out JsonElement servers) || servers.ValueKind != JsonValueKind.Object)
            {
                throw DurationHistory.Invalid(path, "it is not an object with \"version\" and \"servers\" fields.");
            }

            if (!version.TryGetInt32(out int v) || v != FileVersion)
            {
                throw DurationHistory.Invalid(path, $"its version is {version.GetRawText()}; this module reads version {FileVersion.ToString(CultureInfo.InvariantCulture)}.");
            }

            foreach (JsonProperty server in servers.EnumerateObject())
            {
                if (!Uri.TryCreate(server.Name, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw DurationHistory.Invalid(path, $"\"{server.Name}\" is not a server address (an absolute http or https URL).");
                }

                if (server.Value.ValueKind != JsonValueKind.Array)
                {
                    throw DurationHistory.Invalid(path, $"the durations of {server.Name} are not an array of seconds.");
                }

                foreach (JsonElement item in server.Value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2 ||
                        !TryReadSeconds(item[0], out double seconds) || seconds <= 0 ||
                        !TryReadSeconds(item[1], out double width))
                    {
                        throw DurationHistory.Invalid(path, $"{server.Name} has the entry {item.GetRawText()}; entries are [duration, uncertainty] in seconds, the duration above 0, both at most 86400.");
                    }

                    history.Add(uri, DurationHistory.FromSeconds(seconds), DurationHistory.FromSeconds(width));
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The duration history '{path}' is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // JsonDocument reports invalid UTF-8 inside a string these ways, when the string is read.
            throw new InvalidDataException($"The duration history '{path}' is not valid UTF-8 JSON.", ex);
        }
    }

    /// <summary>The file's bytes, or <see langword="null"/> when it holds more than <paramref name="cap"/> (whatever its length said).</summary>
    public static byte[]? ReadAtMost(string path, int cap)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        byte[] buffer = new byte[(int)Math.Min(cap + 1L, Math.Max(4096L, stream.CanSeek ? stream.Length + 1 : 0))];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > cap)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(cap + 1, buffer.Length * 2));
            }

            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                Array.Resize(ref buffer, total);
                return buffer;
            }

            total += read;
        }
    }

    /// <summary>Writes the durations of every server, oldest first (call under the history's lock).</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, DurationSeries>> servers)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", FileVersion);
        writer.WriteStartObject("servers");
        foreach (KeyValuePair<string, DurationSeries> server in servers)
        {
            writer.WriteStartArray(server.Key);
            foreach ((double seconds, double width) in server.Value.InOrder())
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(Math.Round(seconds, 4));
                writer.WriteNumberValue(Math.Round(width, 4));
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static bool TryReadSeconds(JsonElement item, out double seconds)
    {
        seconds = 0;
        return item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out seconds) &&
               seconds >= 0 && seconds <= Guard.MaxDuration.TotalSeconds;
    }
}
