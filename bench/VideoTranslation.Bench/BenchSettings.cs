using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench;

public enum BenchMode
{
    Quick,
    Full,
}

/// <summary>The sizes of one run. <see cref="For"/> gives the two modes; a test may shrink them further.</summary>
public sealed record BenchSettings
{
    public BenchMode Mode { get; init; }

    /// <summary>Where results.json, results.md and the chart go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where the strategy chart goes (docs/benchmarks-strategies.png in a documented run).</summary>
    public required string ChartPath { get; init; }

    /// <summary>Where the dated report goes besides results.md: docs/benchmark-report.md in a documented run, else nowhere.</summary>
    public string? ReportPath { get; init; }

    /// <summary>How this run was started, for the report.</summary>
    public string Command { get; init; } = "dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode quick";

    public int Seed { get; init; } = 20261125;

    /// <summary>The sections to run (strategies, heygen, scale, soak, throughput, module); all by default.</summary>
    public IReadOnlySet<string> Sections { get; init; } = AllSections;

    public static IReadOnlySet<string> AllSections { get; } = new HashSet<string>(["strategies", "heygen", "scale", "soak", "throughput", "module"], StringComparer.Ordinal);

    /// <summary>Sections that run only when named in <c>--only</c>: telemetry (bytes per check and wait, with and without listeners).</summary>
    public static IReadOnlySet<string> OptionalSections { get; } = new HashSet<string>(["telemetry"], StringComparer.Ordinal);

    /// <summary>Telemetry: sequential waits per setting and round (each of a 1-check and a 10-check script), and rounds.</summary>
    public int TelemetryWaits { get; init; }

    public int TelemetryRounds { get; init; }

    /// <summary>
    /// Every duration of the strategy table and every time constant of its rows is multiplied by this: 1 in full
    /// mode (the workloads and the original client's loops as issue 10 states them), 0.1 in quick mode (shorter).
    /// </summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>
    /// The HeyGen section's durations (HeyGen's minutes: 8.66 min median) and every time constant of its rows, the
    /// client's least time between two checks included, are multiplied by this: 0.01 in full mode (3–9 s typical
    /// jobs, under 2 minutes for the section, so the full run keeps its 10-minute budget), 0.001 in quick mode;
    /// <c>--heygen-scale</c> sets another. Learned's (and Auto's) request budget comes from a reference backoff of 1 s
    /// doubling to 60 s inside the core, which no option scales, so the shorter the scaled jobs the fewer checks it
    /// allows (docs/benchmarks.md, HeyGen-shaped service).
    /// </summary>
    public double HeyGenTimeScale { get; init; } = 0.01;

    /// <summary>Durations drawn per workload to stand for its distribution (the frontier, the original loops' exact figures).</summary>
    public int FrontierSample { get; init; }

    /// <summary>The frontier's candidate check times: this many sample quantiles plus an even grid of the second count.</summary>
    public int FrontierQuantilePoints { get; init; }

    public int FrontierTimePoints { get; init; }

    /// <summary>Measured jobs per strategy row and workload.</summary>
    public int JobsPerStrategy { get; init; }

    /// <summary>The jobs of every row are created over this many seconds, side by side.</summary>
    public double StaggerSeconds { get; init; }

    /// <summary>Jobs every strategy row waits on before it is measured (JIT, connections; they fill Learned's history).</summary>
    public int WarmupJobs { get; init; }

    /// <summary>Share of jobs that end in error (the outcome the final state must match).</summary>
    public double ErrorShare { get; init; } = 0.1;

    /// <summary>Jobs the scale section creates and then waits on all at once, in one batch.</summary>
    public int ScaleJobs { get; init; }

    /// <summary>The batch's request limit in the scale section: below <see cref="ScaleJobs"/>, so waits queue for it.</summary>
    public int ScaleMaxConcurrency { get; init; } = 64;

    /// <summary>Each scale job ends at an instant uniform in this range after creating began, late enough that creating ends first.</summary>
    public double ScaleDelayMin { get; init; }

    public double ScaleDelayMax { get; init; }

    /// <summary>Soak (issue 6): rounds, each of this many jobs waited at once by one client reused across rounds.</summary>
    public int SoakRounds { get; init; }

    public int SoakJobs { get; init; }

    /// <summary>The soak jobs' delays, drawn by the simulator: uniform in this range.</summary>
    public double SoakDelayMin { get; init; } = 0.5;

    public double SoakDelayMax { get; init; } = 2.0;

    /// <summary>
    /// 10 % of status requests fail transiently, 2 % of each kind. A slow answer (3 s) is longer than the soak client's
    /// request timeout (2 s) on purpose: an ordinary check gives up on it and retries; a held long-poll check allows
    /// the timeout plus its hold, so it waits for the slow answer instead.
    /// </summary>
    public FaultSettings SoakFaults { get; init; } = new(0.02, 0.02, 0.02, 0.02, 0.02, SlowSeconds: 3, RetryAfterSeconds: 1);

    public double SoakRequestTimeoutSeconds { get; init; } = 2;

    public double SoakMaxWaitSeconds { get; init; } = 120;

    public double ThroughputSeconds { get; init; }

    public double ThroughputWarmupSeconds { get; init; }

    public int ThroughputRounds { get; init; }

    public int ThroughputConnections { get; init; } = 32;

    /// <summary>Use wrk when it is installed (else the built-in load loop is used and labelled).</summary>
    public bool UseWrk { get; init; } = true;

    public int ModuleImports { get; init; }

    public int ModuleRoundTrips { get; init; }

    /// <summary>The sizes of a mode. A documented run (full mode, every section, no --out) writes its report and chart into docs/.</summary>
    public static BenchSettings For(BenchMode mode, string? outputDirectory = null, string? chartPath = null, bool documented = false)
    {
        string output = Path.GetFullPath(outputDirectory ?? Path.Combine(Infrastructure.BuildPaths.RepoRoot, "artifacts", "bench", mode.ToString().ToLowerInvariant()));
        string docs = Path.Combine(Infrastructure.BuildPaths.RepoRoot, "docs");
        string chart = chartPath ?? (documented ? Path.Combine(docs, "benchmarks-strategies.png") : Path.Combine(output, "benchmarks-strategies.png"));
        string? report = documented ? Path.Combine(docs, "benchmark-report.md") : null;
        return mode == BenchMode.Full
            ? new BenchSettings
            {
                Mode = mode,
                Command = "dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode full",
                OutputDirectory = output,
                ChartPath = Path.GetFullPath(chart),
                ReportPath = report,
                TimeScale = 1,
                HeyGenTimeScale = 0.01,
                JobsPerStrategy = 200,
                StaggerSeconds = 40,
                WarmupJobs = 24,
                FrontierSample = 200_000,
                FrontierQuantilePoints = 2_500,
                FrontierTimePoints = 1_500,
                ScaleJobs = 10_000,
                ScaleMaxConcurrency = 64,
                ScaleDelayMin = 15,
                ScaleDelayMax = 30,
                SoakRounds = 5,
                SoakJobs = 1_000,
                ThroughputSeconds = 5,
                ThroughputWarmupSeconds = 10,
                ThroughputRounds = 5,
                ModuleImports = 7,
                ModuleRoundTrips = 50,
                TelemetryWaits = 2_000,
                TelemetryRounds = 7,
            }
            : new BenchSettings
            {
                Mode = mode,
                OutputDirectory = output,
                ChartPath = Path.GetFullPath(chart),
                ReportPath = report,
                TimeScale = 0.1,
                HeyGenTimeScale = 0.001,
                JobsPerStrategy = 12,
                StaggerSeconds = 2,
                WarmupJobs = 12,
                FrontierSample = 20_000,
                FrontierQuantilePoints = 500,
                FrontierTimePoints = 300,
                ScaleJobs = 300,
                ScaleMaxConcurrency = 16,
                ScaleDelayMin = 0.6,
                ScaleDelayMax = 1.2,
                SoakRounds = 3,
                SoakJobs = 100,
                SoakDelayMax = 1.0,

                // The same paths in less time: a slow answer (1.5 s) still outlasts the request timeout (1 s).
                SoakFaults = new(0.02, 0.02, 0.02, 0.02, 0.02, SlowSeconds: 1.5, RetryAfterSeconds: 1),
                SoakRequestTimeoutSeconds = 1,
                ThroughputSeconds = 1,
                ThroughputWarmupSeconds = 1,
                ThroughputRounds = 1,
                ModuleImports = 3,
                ModuleRoundTrips = 10,
                TelemetryWaits = 200,
                TelemetryRounds = 3,
            };
    }
}
