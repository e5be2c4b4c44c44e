using System.Diagnostics;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>
/// The strategy table against the HeyGen-shaped simulator (<c>--service HeyGen</c>): HeyGen's minutes-long jobs
/// (<see cref="Workload.HeyGen"/>) scaled down, v3 creates and status checks through <see cref="TranslationService.HeyGen"/>,
/// no hints and no long-poll (HeyGen has neither). The rows are the original loops, HeyGen's own advice and CLI, our
/// Fixed, Exponential and Learned, and the module's default on HeyGen (Auto over HeyGen's polling options); every time
/// constant of every row, and the client's least time between two checks, scaled with the durations. The same row
/// runner as the strategy section (<see cref="StrategyBenchmark.RunWorkloadsAsync"/>).
/// </summary>
internal static class HeyGenBenchmark
{
    /// <summary>The output language of every job (durations are learned per service and language: one kind of job).</summary>
    public const string Language = "Spanish (Spain)";

    private static readonly (RowKind Kind, ServerKind Server)[] s_rows =
    [
        (RowKind.OriginalFixed, ServerKind.HeyGen),
        (RowKind.OriginalExponential, ServerKind.HeyGen),
        (RowKind.HeyGenAdvice, ServerKind.HeyGen),
        (RowKind.HeyGenCli, ServerKind.HeyGen),
        (RowKind.Fixed, ServerKind.HeyGen),
        (RowKind.Exponential, ServerKind.HeyGen),
        (RowKind.LearnedNoHints, ServerKind.HeyGen),
        (RowKind.AutoHeyGen, ServerKind.HeyGen),
    ];

    public static IReadOnlyList<RowKind> RowKinds { get; } = s_rows.Select(r => r.Kind).ToArray();

    /// <summary>
    /// The simulator in HeyGen mode. Its concurrency limit (HeyGen's 10 jobs on pay-as-you-go) is raised out of the
    /// way: every row's jobs are unfinished at once, and a refused create is not what this table measures.
    /// </summary>
    public static SimulatorSettings Server(int seed) => SimulatorSettings.Original(seed) with { Service = "HeyGen", ConcurrencyLimit = 1_000_000 };

    public static async Task<StrategySection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        double scale = settings.HeyGenTimeScale;
        var servers = new Dictionary<ServerKind, SimulatorSettings> { [ServerKind.HeyGen] = Server(settings.Seed) };
        var harness = new StrategyBenchmark.Harness(
            simulator => CoreUse.HeyGenClient(simulator.Uri, scale),
            (client, job, ct) => CoreUse.CreateHeyGenJobAsync(client, Language, TimeSpan.FromSeconds(job.DelaySeconds), job.Outcome, ct),
            simulator => CoreUse.HeyGenDurationKey(simulator.Uri, Language),
            CoreUse.MinimumPollIntervalSeconds * scale,

            // HeyGen's 60-minute default deadline, scaled, with room: a job near the hard limit that a slow cadence
            // sees late is measured, not timed out (the deadline is not what the table compares).
            CoreUse.HeyGenMaxWait * scale * 1.5,

            // HeyGen's answers do not say when a job ended: the library records no lateness (the benchmark's comes
            // from GET /jobs/{id}, which the HeyGen modes still serve).
            SaysCompletedAt: false);
        IReadOnlyList<WorkloadSection> sections = await StrategyBenchmark.RunWorkloadsAsync(
            settings, log, "heygen", [Workload.HeyGen(scale)], s_rows, servers, harness, cancellationToken);
        return new StrategySection(
            scale,
            settings.JobsPerStrategy,
            settings.StaggerSeconds,
            settings.WarmupJobs,
            settings.ErrorShare,
            servers.ToDictionary(p => p.Key, p => p.Value.ToString()),
            sections,
            stopwatch.Elapsed.TotalSeconds);
    }
}
