using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace VideoTranslation.Internal;

/// <summary>
/// How many more sockets this process may open: its descriptor limit (<c>ulimit -n</c>, the soft limit) less the
/// descriptors open now and a reserve for everything else that needs one (assembly loads, log files, the runtime's own).
/// A batch keeps its requests in flight within it, so that many waits on a low limit (1,024 is a common default) queue
/// for a slot instead of running the process out of descriptors, where assembly loads fail and the runtime crashes.
/// Known where /proc/self says it (Linux); elsewhere (Windows, macOS) null: no limit is applied.
/// </summary>
internal static class DescriptorBudget
{
    /// <summary>Descriptors kept free for what is not a socket of the batch.</summary>
    private const int Reserve = 128;

    private static readonly char[] s_blanks = { ' ', '\t' };

    /// <summary>The sockets the process may still open with the reserve kept, and the limit and count behind it; null when unknown.</summary>
    public static (int Headroom, int Limit, int Open)? Current()
    {
        try
        {
            if (!File.Exists("/proc/self/limits") || ReadSoftLimit(File.ReadAllLines("/proc/self/limits")) is not int limit)
            {
                return null;
            }

            int open = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
            return (Math.Max(1, limit - open - Math.Max(Reserve, limit / 8)), limit, open);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit of the "Max open files" line of /proc/self/limits; null when absent or unlimited.</summary>
    public static int? ReadSoftLimit(string[] limits)
    {
        foreach (string line in limits)
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            string[] fields = line.Substring("Max open files".Length).Split(s_blanks, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int soft) ? soft : null;
        }

        return null;
    }

    /// <summary>
    /// <paramref name="checks"/> and <paramref name="holds"/> scaled down together to fit <paramref name="headroom"/>
    /// (at least one check; holds may go to 0), or as they are when they fit.
    /// </summary>
    public static (int Checks, int Holds) Fit(int checks, int holds, int headroom)
    {
        if ((long)checks + holds <= headroom)
        {
            return (checks, holds);
        }

        int fittedChecks = Math.Max(1, (int)((long)headroom * checks / ((long)checks + holds)));
        int fittedHolds = Math.Max(0, Math.Min(holds, headroom - fittedChecks));
        return (fittedChecks, fittedHolds);
    }
}
