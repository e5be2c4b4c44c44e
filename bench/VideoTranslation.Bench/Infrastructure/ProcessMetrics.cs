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
