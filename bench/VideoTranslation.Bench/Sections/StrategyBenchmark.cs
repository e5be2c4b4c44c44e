using System.Collections.Concurrent;
using System.Diagnostics;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Infrastructure;
using VideoTranslation.Bench.Reporting;

namespace VideoTranslation.Bench.Sections;

/// <summary>The server a strategy row runs against.</summary>
public enum ServerKind
{
    /// <summary>Hints off, long-poll off: what the original server offered.</summary>
    Original,

    /// <summary>Accurate hints (etaSeconds, progress, Retry-After) and long-poll.</summary>
    Accurate,

    /// <summary>Noisy hints (ETA × (1 + 0.3 z)), long-poll off.</summary>
    Noisy,

    /// <summary>The HeyGen-shaped simulator (<c>--service HeyGen</c>, v3 translations): no hints, no long-poll exist there.</summary>
    HeyGen,
}

/// <summary>One strategy's figures over its measured jobs of one workload. Lateness is in milliseconds.</summary>
public sealed record StrategyRow(
    RowKind Kind,
    string Name,
    string Strategy,
    ServerKind Server,
    bool Ours,
    int Jobs,
    int Correct,
    Stats Requests,
    Stats ServerRequests,
    Stats LatenessMs,
    double MeanLatenessPercentOfDuration,
    IReadOnlyList<string> Failures,
    IReadOnlyList<JobSample> Samples,
    LatenessCrossCheck? MetricLateness = null);

/// <summary>One measured job, in creation order (results.json only): to see a strategy change over a run.</summary>
public sealed record JobSample(int Index, double DelaySeconds, int Requests, double LatenessMs);

/// <summary>A row computed from the original loop alone (no network, no clock): the cross-check of the measured one.</summary>
public sealed record AnalyticRow(RowKind Kind, string Name, string Basis, Stats Requests, Stats LatenessMs, double MeanLatenessPercentOfDuration);

/// <summary>One workload: every row on the same planned jobs, the original loops computed, and the frontier.</summary>
public sealed record WorkloadSection(
    string Key,
    string Title,
    string Drawn,
    Stats PlannedDelaySeconds,
    int LearnedHistoryAtStart,
    int LearnedWarmupSeenPending,
    IReadOnlyList<StrategyRow> Rows,
    IReadOnlyList<AnalyticRow> Analytic,
    ParetoAnalysis Pareto);

public sealed record StrategySection(
    double TimeScale,
    int JobsPerStrategy,
    double StaggerSeconds,
    int WarmupJobs,
    double ErrorShare,
    IReadOnlyDictionary<ServerKind, string> Servers,
    IReadOnlyList<WorkloadSection> Workloads,
    double WallSeconds);

/// <summary>
/// Every strategy on every workload side by side: for each workload the same planned jobs (durations drawn by the
/// benchmark, sent as each job's delaySeconds) are created for every row at the same staggered instants, each row
/// waiting with its own <see cref="TranslationClient"/>, all workloads at once; the simulator's <c>GET /jobs/{id}</c>
/// then gives the server-side completion each observation is measured against.
/// </summary>
internal static class StrategyBenchmark
{
    public const double NoisyEta = 0.3;

    private static readonly (RowKind Kind, ServerKind Server)[] s_rows =
    [
        (RowKind.OriginalFixed, ServerKind.Original),
        (RowKind.OriginalExponential, ServerKind.Original),
        (RowKind.Fixed, ServerKind.Original),
        (RowKind.Exponential, ServerKind.Original),
        (RowKind.AdaptiveNoHints, ServerKind.Original),
        (RowKind.LearnedNoHints, ServerKind.Original),
        (RowKind.AdaptiveAccurate, ServerKind.Accurate),
        (RowKind.AdaptiveNoisy, ServerKind.Noisy),
        (RowKind.LongPoll, ServerKind.Accurate),
    ];

    public static IReadOnlyList<RowKind> RowKinds { get; } = s_rows.Select(r => r.Kind).ToArray();

    private sealed record Case(Workload Workload, RowKind Kind, ServerKind Server, string Name, PollingStrategy Strategy, DurationHistory History);

    /// <summary>A job as planned by the benchmark: its duration (the simulator's per-job delay) and outcome.</summary>
    internal sealed record PlannedJob(double DelaySeconds, TranslationState Outcome);

    private sealed record Observation(PlannedJob Plan, string? JobId, TranslationWaitResult? Result, string? Error);

    /// <summary>
    /// How rows talk to one kind of server: their client, how a planned job is created, where a wait learns its
    /// durations (to read Learned's history), the client's least time between two checks (the frontier's too) and the
    /// deadline of every wait. The strategy section and the HeyGen section differ only here.
    /// </summary>
    internal sealed record Harness(
        Func<Simulator, TranslationClient> NewClient,
        Func<TranslationClient, PlannedJob, CancellationToken, Task<string>> CreateAsync,
        Func<Simulator, Uri> HistoryKey,
        double MinimumPollIntervalSeconds,
        TimeSpan MaxWait,
        bool SaysCompletedAt = true);

    public static async Task<StrategySection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var servers = new Dictionary<ServerKind, SimulatorSettings>
        {
            [ServerKind.Original] = SimulatorSettings.Original(settings.Seed),
            [ServerKind.Accurate] = new() { Seed = settings.Seed, Hints = true, LongPoll = true },
            [ServerKind.Noisy] = new() { Seed = settings.Seed, Hints = true, EtaNoise = NoisyEta, LongPoll = false },
        };

        var harness = new Harness(
            simulator => new TranslationClient(simulator.Uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) }),
            async (client, job, ct) => (await client.CreateJobAsync(new TranslationJobRequest { Delay = TimeSpan.FromSeconds(job.DelaySeconds), Outcome = job.Outcome }, ct)).Id,
            simulator => simulator.Uri,
            CoreUse.MinimumPollIntervalSeconds,
            TimeSpan.FromSeconds(600 * settings.TimeScale));
        IReadOnlyList<WorkloadSection> sections = await RunWorkloadsAsync(settings, log, "strategies", Workload.All(settings.TimeScale), s_rows, servers, harness, cancellationToken);
        return new StrategySection(
            settings.TimeScale,
            settings.JobsPerStrategy,
            settings.StaggerSeconds,
            settings.WarmupJobs,
            settings.ErrorShare,
            servers.ToDictionary(p => p.Key, p => p.Value.ToString()),
            sections,
            stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The row runner: every row of every workload at once against the servers, each row with its own client and its
    /// own duration history, after its workload's uncounted warm-up jobs; then every row measured against the server's
    /// <c>GET /jobs/{id}</c> and each workload analysed against its frontier.
    /// </summary>
    internal static async Task<IReadOnlyList<WorkloadSection>> RunWorkloadsAsync(
        BenchSettings settings,
        TextWriter log,
        string label,
        IReadOnlyList<Workload> workloads,
        IReadOnlyList<(RowKind Kind, ServerKind Server)> rowKinds,
        IReadOnlyDictionary<ServerKind, SimulatorSettings> servers,
        Harness harness,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Simulator[] started = await Task.WhenAll(servers.Values.Select(s => Simulator.StartAsync(s, cancellationToken)));
        var simulators = servers.Keys.Zip(started).ToDictionary(p => p.First, p => p.Second);
        try
        {
            // Every row learns alone (only Learned and Auto read it): a history of its own, as a client that waits on
            // one kind of job.
            var cases = workloads.SelectMany(w => rowKinds.Select(r =>
            {
                var history = new DurationHistory();
                double scale = w.Scale;
                return new Case(w, r.Kind, r.Server, CoreUse.RowName(r.Kind, scale), CoreUse.Row(r.Kind, scale, settings.Seed, history), history);
            })).ToArray();

            Dictionary<Workload, double[]> samples = workloads.ToDictionary(w => w, w => w.SortedSample(settings.FrontierSample, settings.Seed));
            Dictionary<Workload, PlannedJob[]> plans = workloads.ToDictionary(w => w, w => Plan(w, samples[w], settings.JobsPerStrategy, settings.Seed, settings.ErrorShare));
            Dictionary<Workload, PlannedJob[]> warmups = workloads.ToDictionary(w => w, w => Plan(w, null, settings.WarmupJobs, settings.Seed + 1, settings.ErrorShare));
            var clients = cases.ToDictionary(c => c, c => harness.NewClient(simulators[c.Server]));
            try
            {
                // Every row first waits on its workload's warm-up jobs, not counted: the clients, the simulators and the
                // JIT warm up alike, and Learned is measured only after it has seen these jobs finish.
                var warmSeenPending = new ConcurrentDictionary<Case, int>();
                await Task.WhenAll(cases.Select(async c =>
                {
                    Observation[] warm = await Task.WhenAll(warmups[c.Workload].Select(job => CreateAndWaitAsync(clients[c], harness, c.Strategy, job, TimeSpan.Zero, cancellationToken)));
                    string? failure = warm.Select(o => o.Error).FirstOrDefault(e => e is not null);
                    if (failure is not null)
                    {
                        throw new InvalidOperationException($"A warm-up job of the row '{c.Name}' ({c.Workload.Key}) failed: {failure}");
                    }

                    // A wait whose first answer was already final teaches Learned nothing (short jobs, a slow start).
                    warmSeenPending[c] = warm.Count(o => o.Result!.History.Any(status => !status.IsTerminal));
                }));

                Dictionary<Workload, (int History, int SeenPending)> historyAtStart = cases.Where(c => c.Kind == RowKind.LearnedNoHints)
                    .ToDictionary(c => c.Workload, c => (c.History.Count(harness.HistoryKey(simulators[c.Server])), warmSeenPending[c]));
                await log.WriteLineAsync(FormattableString.Invariant(
                    $"  {label}: {workloads.Count} workloads × {rowKinds.Count} rows × {settings.JobsPerStrategy} jobs over {settings.StaggerSeconds:0.#} s after {settings.WarmupJobs} warm-up jobs each (time scale ×{workloads[0].Scale})"));

                // The library's lateness metric over the same waits, each case's measurements apart (LatenessListener).
                var observations = new ConcurrentDictionary<Case, Observation[]>();
                Dictionary<Case, LatenessCollector> metric = cases.ToDictionary(c => c, _ => new LatenessCollector());
                using var listener = new LatenessListener();
                await Task.WhenAll(cases.Select(async c =>
                {
                    listener.Collect(metric[c]);
                    PlannedJob[] plan = plans[c.Workload];
                    observations[c] = await Task.WhenAll(plan.Select((job, i) =>
                        CreateAndWaitAsync(clients[c], harness, c.Strategy, job, TimeSpan.FromSeconds(settings.StaggerSeconds * i / plan.Length), cancellationToken)));
                }));

                var sections = new List<WorkloadSection>();
                foreach (Workload w in workloads)
                {
                    var rows = new List<StrategyRow>();
                    foreach (Case c in cases.Where(c => c.Workload == w))
                    {
                        rows.Add(await MeasureAsync(c, observations[c], simulators[c.Server], metric[c], harness.SaysCompletedAt, cancellationToken));
                    }

                    sections.Add(Analyse(w, settings, harness.MinimumPollIntervalSeconds, samples[w], plans[w], historyAtStart.GetValueOrDefault(w), rows));
                    await log.WriteLineAsync(FormattableString.Invariant($"  {label} {w.Key}: measured and analysed ({stopwatch.Elapsed.TotalSeconds:0} s); lateness from the library's metric: {MetricLatenessReport.Summary(rows.Select(r => r.MetricLateness!).ToArray())}"));
                }

                return sections;
            }
            finally
            {
                foreach (TranslationClient client in clients.Values)
                {
                    client.Dispose();
                }
            }
        }
        finally
        {
            foreach (Simulator simulator in simulators.Values)
            {
                simulator.Dispose();
            }
        }
    }

    /// <summary>The original loops on the planned delays and on the frontier's sample, the frontier, and every row against it.</summary>
    private static WorkloadSection Analyse(Workload w, BenchSettings settings, double minimumGapSeconds, double[] sample, PlannedJob[] plan, (int History, int SeenPending) learned, List<StrategyRow> rows)
    {
        FrontierCurve frontier = Frontier.Compute(sample, settings.FrontierQuantilePoints, settings.FrontierTimePoints, minimumGapSeconds);

        double[] planned = plan.Select(j => j.DelaySeconds).ToArray();
        AnalyticRow Loop(RowKind kind, string basis, double[] delays)
        {
            (double[] requests, double[] lateness) = OriginalLoops.Run(delays, kind == RowKind.OriginalFixed ? OriginalLoops.Fixed(w.Scale) : OriginalLoops.Exponential(w.Scale));
            double share = delays.Select((d, i) => lateness[i] / (d * 1000) * 100).Average();
            return new AnalyticRow(kind, CoreUse.RowName(kind, w.Scale), basis, Stats.Of(requests), Stats.Of(lateness), share);
        }

        AnalyticRow[] analytic =
        [
            Loop(RowKind.OriginalFixed, "planned", planned),
            Loop(RowKind.OriginalExponential, "planned", planned),
            Loop(RowKind.OriginalFixed, "distribution", sample),
            Loop(RowKind.OriginalExponential, "distribution", sample),
        ];

        var positions = new List<ParetoPosition>();
        foreach (AnalyticRow a in analytic.Where(a => a.Basis == "distribution"))
        {
            positions.Add(Pareto.Position(frontier, a.Name, a.Kind, "distribution", a.Requests.Mean, a.LatenessMs.Mean));
        }

        foreach (StrategyRow r in rows.Where(r => r.LatenessMs.Count > 0))
        {
            positions.Add(Pareto.Position(frontier, r.Name, r.Kind, "measured", r.Requests.Mean, r.LatenessMs.Mean));
        }

        AnalyticRow fixedTrue = analytic[2], exponentialTrue = analytic[3];
        DominanceCheck distribution = Pareto.Dominance(frontier, "distribution",
            (fixedTrue.Requests.Mean, fixedTrue.LatenessMs.Mean), (exponentialTrue.Requests.Mean, exponentialTrue.LatenessMs.Mean));
        StrategyRow? fixedRow = rows.FirstOrDefault(r => r.Kind == RowKind.OriginalFixed && r.LatenessMs.Count > 0);
        StrategyRow? exponentialRow = rows.FirstOrDefault(r => r.Kind == RowKind.OriginalExponential && r.LatenessMs.Count > 0);
        DominanceCheck? measured = fixedRow is null || exponentialRow is null
            ? null
            : Pareto.Dominance(frontier, "measured", (fixedRow.Requests.Mean, fixedRow.LatenessMs.Mean), (exponentialRow.Requests.Mean, exponentialRow.LatenessMs.Mean));

        return new WorkloadSection(w.Key, w.Title, w.Drawn, Stats.Of(planned), learned.History, learned.SeenPending, rows, analytic, new ParetoAnalysis(frontier, positions, distribution, measured));
    }

    /// <summary>
    /// A workload's jobs, the same for every row: with <paramref name="sorted"/>, the durations are its quantiles at
    /// (k + ½)/count in a seeded random order (a stratified sample, so that a few hundred jobs stand for a skewed
    /// distribution, which as many independent draws do not); without, independent draws (the warm-up, as a client
    /// would have seen them). Outcomes from the same seeded stream.
    /// </summary>
    private static PlannedJob[] Plan(Workload workload, double[]? sorted, int count, int seed, double errorShare)
    {
        var random = new Random(workload.Seed(seed));
        double[] delays = sorted is null
            ? Enumerable.Range(0, count).Select(_ => workload.Draw(random)).ToArray()
            : Enumerable.Range(0, count).Select(k => sorted[(int)((k + 0.5) / count * sorted.Length)]).ToArray();
        if (sorted is not null)
        {
            random.Shuffle(delays);
        }

        return delays
            .Select(d => new PlannedJob(
                Math.Max(0.001, Math.Round(d, 3)),
                random.NextDouble() < errorShare ? TranslationState.Error : TranslationState.Completed))
            .ToArray();
    }

    private static async Task<Observation> CreateAndWaitAsync(
        TranslationClient client,
        Harness harness,
        PollingStrategy strategy,
        PlannedJob job,
        TimeSpan startAfter,
        CancellationToken cancellationToken)
    {
        if (startAfter > TimeSpan.Zero)
        {
            await Task.Delay(startAfter, cancellationToken);
        }

        string? id = null;
        try
        {
            id = await harness.CreateAsync(client, job, cancellationToken);
            TranslationWaitResult result = await CoreUse.WaitAsync(client, id, strategy, harness.MaxWait, cancellationToken);
            return new Observation(job, id, result, null);
        }
        catch (TranslationException ex)
        {
            return new Observation(job, id, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task<StrategyRow> MeasureAsync(Case c, Observation[] observations, Simulator simulator, LatenessCollector metric, bool saysCompletedAt, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, ServerJob> server = await simulator.GetJobsAsync(
            observations.Where(o => o.JobId is not null).Select(o => o.JobId!),
            cancellationToken);

        var failures = new List<string>();
        var requests = new List<double>();
        var serverRequests = new List<double>();
        var lateness = new List<double>();
        var latenessShare = new List<double>();
        var samples = new List<JobSample>();
        int correct = 0;
        foreach ((Observation o, int index) in observations.Select((o, i) => (o, i)))
        {
            if (o.Result is not TranslationWaitResult result || o.JobId is not string id)
            {
                failures.Add(o.Error ?? "no result");
                continue;
            }

            ServerJob job = server[id];
            string expected = o.Plan.Outcome == TranslationState.Error ? "error" : "completed";
            bool outcomeRight = string.Equals(job.Outcome, expected, StringComparison.OrdinalIgnoreCase) &&
                                string.Equals(result.State.ToString(), job.Outcome, StringComparison.OrdinalIgnoreCase);
            if (!outcomeRight || job.CompletedAt is not DateTimeOffset completedAt)
            {
                failures.Add($"{id}: observed {result.State}, server outcome {job.Outcome}, planned {expected}, completedAt {job.CompletedAt?.ToString("O") ?? "none"}");
                continue;
            }

            correct++;
            double late = (result.FinalStatus.ObservedAt - completedAt).TotalMilliseconds;
            requests.Add(result.Attempts);
            serverRequests.Add(job.StatusRequests);
            lateness.Add(late);
            latenessShare.Add(late / (job.DelaySeconds * 1000) * 100);
            samples.Add(new JobSample(index, job.DelaySeconds, result.Attempts, Math.Round(late, 2)));
        }

        return new StrategyRow(
            c.Kind,
            c.Name,
            c.Strategy.ToString() ?? c.Strategy.GetType().Name,
            c.Server,
            c.Kind is not (RowKind.OriginalFixed or RowKind.OriginalExponential or RowKind.HeyGenAdvice or RowKind.HeyGenCli),
            observations.Length,
            correct,
            Stats.Of(requests),
            Stats.Of(serverRequests),
            Stats.Of(lateness),
            latenessShare.Count == 0 ? double.NaN : latenessShare.Average(),
            failures,
            samples,
            LatenessCrossCheck.Compare(lateness, metric.Seconds, saysCompletedAt, observations.Count(o => o.Result is not null) - correct));
    }
}
