using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

public sealed record ModuleSection(
    string PowerShellVersion,
    string Manifest,
    double RunspaceOpenMs,
    double FirstImportMs,
    Stats ImportMs,
    Stats CmdletRoundTripMs,
    Stats CoreRoundTripMs,
    double CmdletOverCoreRatio);

/// <summary>
/// The module in the hosted PowerShell engine (Microsoft.PowerShell.SDK): <c>Import-Module</c> of the built module
/// folder in fresh runspaces, and <c>Get-TranslationStatus -Uri</c> against the core's <c>GetStatusAsync</c> on the
/// same simulator.
/// </summary>
internal static class ModuleBenchmark
{
    // Round trips made and not counted, for both the cmdlet and the core: JIT and the first connections.
    private const int Warmup = 10;

    public static async Task<ModuleSection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        string manifest = BuildPaths.ModuleManifest;
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException($"The module is not built at {manifest}; build src/VideoTranslation.PowerShell (building the benchmark does).", manifest);
        }

        // Imports: each in a fresh runspace; the first also loads and compiles the assemblies into this process.
        var runspaceOpen = new List<double>();
        var imports = new List<double>();
        for (int i = 0; i < settings.ModuleImports; i++)
        {
            var open = Stopwatch.StartNew();
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            runspaceOpen.Add(open.Elapsed.TotalMilliseconds);
            imports.Add(Time(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest)));
        }

        using Simulator simulator = await Simulator.StartAsync(new SimulatorSettings { Seed = settings.Seed, FixedDelay = 86_400 }, cancellationToken);
        string uri = simulator.Uri.AbsoluteUri;

        // Get-TranslationStatus -Uri, one invocation at a time in one runspace that has imported the module.
        var cmdlet = new List<double>();
        using (Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
        {
            runspace.Open();
            Time(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Name", manifest));
            for (int i = -Warmup; i < settings.ModuleRoundTrips; i++)
            {
                double ms = Time(runspace, ps => ps.AddCommand("Get-TranslationStatus").AddParameter("Uri", uri));
                if (i >= 0)
                {
                    cmdlet.Add(ms);
                }
            }
        }

        // The core alone: the same check through one TranslationClient.
        var core = new List<double>();
        using (var client = new TranslationClient(simulator.Uri))
        {
            for (int i = -Warmup; i < settings.ModuleRoundTrips; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                TranslationStatus status = await client.GetStatusAsync(null, cancellationToken);
                if (status.State != TranslationState.Pending)
                {
                    throw new InvalidOperationException($"The startup job should be pending; it was {status.State}.");
                }

                if (i >= 0)
                {
                    core.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
            }
        }

        Stats importStats = Stats.Of(imports.Skip(1));
        Stats cmdletStats = Stats.Of(cmdlet);
        Stats coreStats = Stats.Of(core);
        await log.WriteLineAsync(FormattableString.Invariant(
            $"  module: first import {imports[0]:0} ms, then median {importStats.P50:0} ms; Get-TranslationStatus {cmdletStats.P50:0.0} ms vs core {coreStats.P50:0.0} ms"));
        return new ModuleSection(
            typeof(PSObject).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split(' ', '+')[0] ?? "unknown",
            Path.GetRelativePath(BuildPaths.RepoRoot, manifest),
            Stats.Median(runspaceOpen.Skip(1)),
            imports[0],
            importStats,
            cmdletStats,
            coreStats,
            cmdletStats.P50 / coreStats.P50);
    }

    /// <summary>Runs one command in the runspace and returns its wall time in ms; any error record fails the benchmark.</summary>
    private static double Time(Runspace runspace, Action<PowerShell> build)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        build(ps);
        var stopwatch = Stopwatch.StartNew();
        ps.Invoke();
        double ms = stopwatch.Elapsed.TotalMilliseconds;
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("PowerShell reported: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        }

        return ms;
    }
}
