using System.Reflection;
using System.Runtime.InteropServices;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>Where the built pieces are: the repo root and configuration are baked in at build time (see the csproj).</summary>
internal static class BuildPaths
{
    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The simulator, built in the same configuration by the project reference.</summary>
    public static string SimulatorDll => Path.Combine(RepoRoot, "src", "VideoTranslation.Simulator", "bin", Configuration, "net10.0", "VideoTranslation.Simulator.dll");

    /// <summary>The module folder that <c>dotnet build</c> of src/VideoTranslation.PowerShell assembles.</summary>
    public static string ModuleManifest => Path.Combine(RepoRoot, "artifacts", "module", "VideoTranslation", "VideoTranslation.psd1");

    /// <summary>This program, to start it again as a child process (scale client, bare endpoint).</summary>
    public static string BenchDll => typeof(BuildPaths).Assembly.Location;

    /// <summary>The dotnet host: the running one, DOTNET_HOST_PATH, the one above the running runtime, else PATH.</summary>
    public static string Dotnet { get; } = FindDotnet();

    private static string Metadata(string key) =>
        typeof(BuildPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The build did not record '{key}' (AssemblyMetadata in VideoTranslation.Bench.csproj).");

    private static string FindDotnet()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string? current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFileName(current), exe, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        string? root = Directory.GetParent(runtimeDir.TrimEnd(Path.DirectorySeparatorChar))?.Parent?.Parent?.FullName;
        if (root is not null && File.Exists(Path.Combine(root, exe)))
        {
            return Path.Combine(root, exe);
        }

        return exe;
    }
}
