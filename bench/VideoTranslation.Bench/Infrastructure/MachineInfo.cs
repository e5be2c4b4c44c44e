using System.Runtime.InteropServices;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>What the numbers were measured on.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, DateTimeOffset Date, string LoadAverage)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        DateTimeOffset.UtcNow,
        ReadLoadAverage());

    /// <summary>The 1-, 5- and 15-minute load averages (/proc/loadavg): how busy the machine was besides this run.</summary>
    public static string ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (File.Exists(path))
        {
            string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.Contains(':', StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
