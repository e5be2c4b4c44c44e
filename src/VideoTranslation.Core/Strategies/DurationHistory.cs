using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// The durations of jobs seen finish, per server, that a <see cref="LearnedStrategy"/> plans its checks from.
/// Thread-safe. Kept in memory; <see cref="Load"/> and <see cref="Save"/> keep it in a small JSON file between runs.
/// </summary>
/// <remarks>
/// A duration is measured by the client from the start of its wait, so it is the job's whole duration when waits
/// start as jobs are created (the usual case) and the time left otherwise. Each server keeps its most recent
/// <see cref="CapacityPerServer"/> durations, so the history follows a server whose jobs change.
/// </remarks>
public sealed class DurationHistory
{
    /// <summary>The default <see cref="CapacityPerServer"/>: 256 durations.</summary>
    public const int DefaultCapacityPerServer = 256;

    // A history file is a few kilobytes (256 durations a server); anything far larger is not one, and is not read
    // into memory: a larger file is refused from its length, and no read takes more than this, whatever the file says.
    internal const int MaxFileBytes = 4 * 1024 * 1024;

    private readonly object _lock = new();
    private readonly Dictionary<string, DurationSeries> _servers = new(StringComparer.Ordinal);

    /// <summary>Creates an empty history.</summary>
    /// <param name="capacityPerServer">How many recent durations to keep per server; 1 to 100,000. Default 256.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacityPerServer"/> is out of range.</exception>
    public DurationHistory(int capacityPerServer = DefaultCapacityPerServer)
    {
        CapacityPerServer = Guard.InRange(capacityPerServer, nameof(CapacityPerServer), 1, 100_000);
    }

    /// <summary>The process-wide history that <see cref="PollingStrategy.Auto"/> uses when given none.</summary>
    public static DurationHistory Shared { get; } = new();

    /// <summary>How many recent durations are kept per server.</summary>
    public int CapacityPerServer { get; }

    /// <summary>Records that a job on <paramref name="server"/> took <paramref name="duration"/>, give or take <paramref name="uncertainty"/>.</summary>
    /// <param name="server">The server's base address; only scheme, host, port, path and fragment count (a fragment names a kind of job on it, like <c>#HeyGen/German%20(Germany)</c>: durations are learned per service and output language).</param>
    /// <param name="duration">Positive, at most one day.</param>
    /// <param name="uncertainty">How far off <paramref name="duration"/> may be (the width of the interval the job was
    /// seen to end in); zero to one day. Default zero (exact). Plans spread each duration over this interval.</param>
    /// <exception cref="ArgumentNullException"><paramref name="server"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="server"/> is not an absolute address.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> or <paramref name="uncertainty"/> is out of range.</exception>
    public void Add(Uri server, TimeSpan duration, TimeSpan uncertainty = default)
    {
        string key = Key(server);
        double seconds = Guard.PositiveDuration(duration, "duration").TotalSeconds;
        if (uncertainty < TimeSpan.Zero || uncertainty > Guard.MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(uncertainty), uncertainty, $"uncertainty must be between 0 and 1 day; it was {Guard.Format(uncertainty)}.");
        }

        double width = uncertainty.TotalSeconds;
        lock (_lock)
        {
            if (!_servers.TryGetValue(key, out DurationSeries? series))
            {
                series = new DurationSeries(CapacityPerServer);
                _servers.Add(key, series);
            }

            series.Add(seconds, width);
        }
    }

    /// <summary>How many durations are kept for <paramref name="server"/>.</summary>
    /// <param name="server">The server's base address.</param>
    /// <returns>The count; 0 for a server never seen.</returns>
    public int Count(Uri server)
    {
        string key = Key(server);
        lock (_lock)
        {
            return _servers.TryGetValue(key, out DurationSeries? series) ? series.Count : 0;
        }
    }

    /// <summary>The durations kept for <paramref name="server"/>, shortest first.</summary>
    /// <param name="server">The server's base address.</param>
    /// <returns>A snapshot; empty for a server never seen.</returns>
    public IReadOnlyList<TimeSpan> GetDurations(Uri server)
    {
        double[] sorted = GetSortedSeconds(server);
        var result = new TimeSpan[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            result[i] = FromSeconds(sorted[i]);
        }

        return result;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _servers.Clear();
        }
    }

    /// <summary>
    /// Reads a history saved by <see cref="Save"/>. A missing file is an empty history (the first run);
    /// a file that is not a history is an error, so a mistyped path does not silently lose what was learned.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="capacityPerServer">As for the constructor; extra durations in the file are dropped, oldest first.</param>
    /// <returns>The history.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="InvalidDataException">The file is not a duration history: not one, larger than 4 MiB, or not a
    /// regular file (a FIFO or a device, told before it is opened); the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DurationHistory Load(string path, int capacityPerServer = DefaultCapacityPerServer)
    {
        CheckPath(path);
        var history = new DurationHistory(capacityPerServer);
        if (Directory.Exists(path))
        {
            throw Invalid(path, "it is a folder; name a file in it, like durations.json.");
        }

        // Before opening: opening a FIFO blocks until a writer comes, and a device reads without end.
        if (FileKind.NotRegular(path) is string kind)
        {
            throw new InvalidDataException($"The duration history '{path}' cannot be used: it is {kind}, not a regular file; name a file, like durations.json.");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return history;
        }

        if (file.Length > MaxFileBytes)
        {
            throw TooLarge(path, file.Length.ToString(CultureInfo.InvariantCulture));
        }

        DurationHistoryFile.Read(path, DurationHistoryFile.ReadAtMost(path, MaxFileBytes) ?? throw TooLarge(path, "more than " + MaxFileBytes.ToString(CultureInfo.InvariantCulture)), history);
        return history;
    }

    /// <summary>Writes the history to <paramref name="path"/> (through a temporary file, so a crash never leaves half a file).</summary>
    /// <param name="path">The file; its folder must exist.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written, or <paramref name="path"/> is not a regular file (a FIFO or a device is never replaced).</exception>
    public void Save(string path)
    {
        CheckPath(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot save the duration history to '{path}': it is a folder; name a file in it, like durations.json.");
        }

        // Replacing a FIFO or a device (/dev/full, as root) with a regular file is never what was meant.
        if (FileKind.NotRegular(full) is string kind)
        {
            throw new IOException($"Cannot save the duration history to '{path}': it is {kind}, not a regular file; name a file, like durations.json.");
        }

        string temp = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                lock (_lock)
                {
                    DurationHistoryFile.Write(writer, _servers);
                }
            }

            if (File.Exists(full))
            {
                File.Replace(temp, full, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temp, full);
            }
        }
        catch
        {
            // Never leave half a history behind; the original file, if any, is untouched.
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            throw;
        }
    }

    /// <summary>All kept durations of <paramref name="server"/> in seconds, shortest first.</summary>
    internal double[] GetSortedSeconds(Uri server)
    {
        string key = Key(server);
        lock (_lock)
        {
            return _servers.TryGetValue(key, out DurationSeries? series) ? series.Sorted() : Array.Empty<double>();
        }
    }

    /// <summary>
    /// The check plan for <paramref name="server"/> (see <see cref="LearnedStrategy"/>) within a mean of at most
    /// <paramref name="checks"/> requests per job; <see langword="null"/> with fewer than <paramref name="minimum"/>
    /// durations. Made once per change of the history: cached until the next <see cref="Add"/>.
    /// </summary>
    internal CheckPlan? GetPlan(Uri server, int checks, int minimum)
    {
        string key = Key(server);
        DurationSeries? series;
        double[] low, high;
        long version;
        lock (_lock)
        {
            if (!_servers.TryGetValue(key, out series) || series.Count < minimum)
            {
                return null;
            }

            if (series.TryGetPlan(checks, out CheckPlan? cached))
            {
                return cached;
            }

            (low, high) = series.Intervals();
            version = series.Version;
        }

        // Outside the lock: the other waits of this history go on meanwhile (a second one that asks may make it too).
        CheckPlan plan = DurationSeries.MakePlan(low, high, checks);
        lock (_lock)
        {
            series.Keep(version, checks, plan);
        }

        return plan;
    }

    /// <summary>How many plans were made for <paramref name="server"/> (to see that they are made once per change).</summary>
    internal int PlansMade(Uri server)
    {
        string key = Key(server);
        lock (_lock)
        {
            return _servers.TryGetValue(key, out DurationSeries? series) ? series.PlansMade : 0;
        }
    }

    internal static TimeSpan FromSeconds(double seconds) => TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));

    private static string Key(Uri server)
    {
        if (server is null)
        {
            throw new ArgumentNullException(nameof(server));
        }

        if (!server.IsAbsoluteUri)
        {
            throw new ArgumentException($"server must be an absolute address; it was '{server}'.", nameof(server));
        }

        // A fragment names a kind of job on the server (a service and output language: TranslationService.DurationKey).
        string key = server.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        key = key.EndsWith("/", StringComparison.Ordinal) ? key : key + "/";
        return server.Fragment.Length > 1 ? key + server.Fragment : key;
    }

    private static void CheckPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("path must name a file, like ./durations.json.", nameof(path));
        }
    }

    private static InvalidDataException TooLarge(string path, string size) =>
        Invalid(path, $"it is {size} bytes; a duration history is at most {MaxFileBytes.ToString(CultureInfo.InvariantCulture)}.");

    internal static InvalidDataException Invalid(string path, string problem) =>
        new($"The duration history '{path}' cannot be used: {problem} Delete it or name another file to start a new history.");
}
