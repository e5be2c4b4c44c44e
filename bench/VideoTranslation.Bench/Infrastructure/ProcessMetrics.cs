using System.Diagnostics;
using System.Globalization;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>This process's peak resident set, thread count and CPU time, from /proc/self/status where there is one.</summary>
internal static class ProcessMetrics
{
    /// <summary>VmHWM: the peak resident set size since the process started, in bytes.</summary>
    public static long PeakResidentBytes()
    {
        long? kb = ReadStatusKb("VmHWM:");
        if (kb is long value)
        {
            return value * 1024;
        }

        using Process self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public static int ThreadCount()
    {
        long? threads = ReadStatusKb("Threads:");
        if (threads is long value)
        {
            return (int)value;
        }

        using Process self = Process.GetCurrentProcess();
        return self.Threads.Count;
    }

    /// <summary>VmRSS: the resident set size now, in bytes.</summary>
    public static long ResidentBytes()
    {
        long? kb = ReadStatusKb("VmRSS:");
        if (kb is long value)
        {
            return value * 1024;
        }

        using Process self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>
    /// The sockets this process holds open: every <c>/proc/self/fd</c> entry that links to <c>socket:[inode]</c>, and of
    /// those, the TCP ones by state (from <c>/proc/self/net/tcp</c> and <c>tcp6</c>, matched by inode). Null off Linux.
    /// </summary>
    public static SocketCounts? Sockets()
    {
        const string fdDir = "/proc/self/fd";
        if (!Directory.Exists(fdDir))
        {
            return null;
        }

        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries(fdDir))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked (the enumeration's own handle, a socket being closed)
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']'))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        int established = 0, closeWait = 0, otherTcp = 0;
        foreach (string table in new[] { "/proc/self/net/tcp", "/proc/self/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || !inodes.Contains(fields[9]))
                {
                    continue;
                }

                switch (fields[3])
                {
                    case "01":
                        established++;
                        break;
                    case "08":
                        closeWait++;
                        break;
                    default:
                        otherTcp++;
                        break;
                }
            }
        }

        return new SocketCounts(inodes.Count, established, closeWait, otherTcp);
    }

    public static TimeSpan CpuTime()
    {
        using Process self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static long? ReadStatusKb(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                string number = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(number, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}

/// <summary>Sockets held by a process: all of them, and the TCP ones by state (listening sockets count as other).</summary>
internal sealed record SocketCounts(int All, int TcpEstablished, int TcpCloseWait, int TcpOther);

/// <summary>Samples the thread count every 50 ms on a timer and keeps the highest.</summary>
internal sealed class ThreadPeakSampler : IDisposable
{
    private readonly Timer _timer;
    private int _peak;

    public ThreadPeakSampler()
    {
        _peak = ProcessMetrics.ThreadCount();
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
    }

    public int Peak
    {
        get
        {
            Sample();
            return Volatile.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        int now = ProcessMetrics.ThreadCount();
        int seen;
        while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }
}
