using System.Collections.Concurrent;
using System.Diagnostics;
using VideoTranslation.Bench.Infrastructure;

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
}

/// <summary>One strategy's figures over its measured jobs. Lateness is in milliseconds.</summary>
public sealed record StrategyRow(
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
    IReadOnlyList<JobSample> Samples);

/// <summary>One measured job, in creation order (results.json only): to see a strategy change over a run.</summary>
public sealed record JobSample(int Index, double DelaySeconds, int Requests, double LatenessMs);

/// <summary>A row computed from the original loop alone (no network, no clock): the cross-check of the measured one.</summary>
public sealed record AnalyticRow(string Name, Stats Requests, Stats LatenessMs, double MeanLatenessPercentOfDuration);

public sealed record StrategySection(
    int JobsPerStrategy,
    double StaggerSeconds,
    int WarmupJobs,
    int LearnedHistoryAtStart,
    double ErrorShare,
    IReadOnlyDictionary<ServerKind, string> Servers,
    IReadOnlyList<StrategyRow> Rows,
    IReadOnlyList<AnalyticRow> Analytic,
    double WallSeconds);

/// <summary>
/// Every strategy side by side: the same planned jobs (uniform 1.5–3.0 s, the original's 15–30 s ×0.1) are created
/// for every row at the same staggered instants, each waited on by its own <see cref="TranslationClient"/>; the
/// simulator's <c>GET /jobs/{id}</c> then gives the server-side completion each observation is measured against.
/// </summary>
internal static class StrategyBenchmark
{
    public const double DelayMin = 1.5;
    public const double DelayMax = 3.0;
    public const double NoisyEta = 0.3;

    /// <summary>The original client's two loops, scaled ×0.1 in time: fixed 1 s, and 1 s ×2 capped at 60 s.</summary>
    public static readonly TimeSpan OriginalFixed = TimeSpan.FromSeconds(0.1);

    private sealed record Case(string Name, ServerKind Server, bool Ours, PollingStrategy Strategy);

    private sealed record PlannedJob(double DelaySeconds, TranslationState Outcome);

    private sealed record Observation(PlannedJob Plan, string? JobId, TranslationWaitResult? Result, string? Error);

    public static async Task<StrategySection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var servers = new Dictionary<ServerKind, SimulatorSettings>
        {
            [ServerKind.Original] = SimulatorSettings.Original(settings.Seed) with { DelayMin = DelayMin, DelayMax = DelayMax },
            [ServerKind.Accurate] = new() { Seed = settings.Seed, DelayMin = DelayMin, DelayMax = DelayMax, Hints = true, LongPoll = true },
            [ServerKind.Noisy] = new() { Seed = settings.Seed, DelayMin = DelayMin, DelayMax = DelayMax, Hints = true, EtaNoise = NoisyEta, LongPoll = false },
        };

        Simulator[] started = await Task.WhenAll(servers.Values.Select(s => Simulator.StartAsync(s, cancellationToken)));
        var simulators = servers.Keys.Zip(started).ToDictionary(p => p.First, p => p.Second);
        try
        {
            var history = new DurationHistory();
            Case[] cases = Cases(settings.Seed, history);
            PlannedJob[] plan = Plan(settings.JobsPerStrategy, settings.Seed, settings.ErrorShare);

            Case learned = cases.Single(c => c.Strategy is LearnedStrategy);
            var clients = cases.ToDictionary(c => c, c => NewClient(simulators[c.Server]));
            try
            {
                // Every row first waits on the same warm-up jobs, not counted: the clients, the simulators and the
                // JIT warm up alike, and Learned is measured only after it has seen these jobs finish.
                PlannedJob[] warmup = Plan(settings.WarmupJobs, settings.Seed + 1, settings.ErrorShare);
                await Task.WhenAll(cases.Select(async c =>
                {
                    Observation[] warm = await Task.WhenAll(warmup.Select(job => CreateAndWaitAsync(clients[c], c.Strategy, job, TimeSpan.Zero, cancellationToken)));
                    string? failure = warm.Select(o => o.Error).FirstOrDefault(e => e is not null);
                    if (failure is not null)
                    {
                        throw new InvalidOperationException($"A warm-up job of the row '{c.Name}' failed: {failure}");
                    }
                }));

                int historyAtStart = history.Count(simulators[learned.Server].Uri);
                await log.WriteLineAsync($"  strategies: {cases.Length} rows × {plan.Length} jobs over {settings.StaggerSeconds:0.#} s after {warmup.Length} warm-up jobs each (Learned history: {historyAtStart} durations)");

                var observations = new ConcurrentDictionary<Case, Observation[]>();
                await Task.WhenAll(cases.Select(async c =>
                {
                    observations[c] = await Task.WhenAll(plan.Select((job, i) =>
                        CreateAndWaitAsync(clients[c], c.Strategy, job, TimeSpan.FromSeconds(settings.StaggerSeconds * i / plan.Length), cancellationToken)));
                }));

                var rows = new List<StrategyRow>();
                foreach (Case c in cases)
                {
                    rows.Add(await MeasureAsync(c, observations[c], simulators[c.Server], cancellationToken));
                }

                return new StrategySection(
                    plan.Length,
                    settings.StaggerSeconds,
                    warmup.Length,
                    historyAtStart,
                    settings.ErrorShare,
                    servers.ToDictionary(p => p.Key, p => p.Value.ToString()),
                    rows,
                    Analytic(plan),
                    stopwatch.Elapsed.TotalSeconds);
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

    /// <summary>
    /// The rows of the table. Every time constant of a default is scaled ×0.1 like the workload: our Fixed
    /// (-Interval 1 s) and Exponential (1 s ×1.5 ≤ 5 s, jitter 0.2, the core's ExponentialStrategy.Default), and the
    /// same exponential as the fallback that Adaptive (and Learned through it) uses when there are no hints.
    /// </summary>
    private static Case[] Cases(int seed, DurationHistory history)
    {
        ExponentialStrategy Scaled(int salt) => new(TimeSpan.FromSeconds(0.1), 1.5, TimeSpan.FromSeconds(0.5), 0.2, new Random(seed + salt));
        return
        [
            new("Original fixed 0.1 s", ServerKind.Original, false, new FixedStrategy(OriginalFixed)),
            new("Original exponential 0.1 s ×2 ≤ 6 s", ServerKind.Original, false,
                new ExponentialStrategy(TimeSpan.FromSeconds(0.1), 2, TimeSpan.FromSeconds(6))),
            new("Fixed (ours, 0.1 s)", ServerKind.Original, true, new FixedStrategy(TimeSpan.FromSeconds(0.1))),
            new("Exponential (ours, 0.1 s ×1.5 ≤ 0.5 s, jitter 0.2)", ServerKind.Original, true, Scaled(1)),
            new("Adaptive, no hints", ServerKind.Original, true, new AdaptiveStrategy(Scaled(2))),
            new("Learned, no hints", ServerKind.Original, true, new LearnedStrategy(history, fallback: new AdaptiveStrategy(Scaled(3)))),
            new("Adaptive, accurate hints", ServerKind.Accurate, true, new AdaptiveStrategy(Scaled(4))),
            new("Adaptive, noisy hints", ServerKind.Noisy, true, new AdaptiveStrategy(Scaled(5))),
            new("LongPoll", ServerKind.Accurate, true, new LongPollStrategy(fallback: new AdaptiveStrategy(Scaled(6)))),
        ];
    }

    /// <summary>The jobs every row gets: delays uniform in [1.5, 3.0] s and outcomes, from one seeded stream.</summary>
    private static PlannedJob[] Plan(int count, int seed, double errorShare)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => new PlannedJob(
                Math.Round(DelayMin + (random.NextDouble() * (DelayMax - DelayMin)), 3),
                random.NextDouble() < errorShare ? TranslationState.Error : TranslationState.Completed))
            .ToArray();
    }

    private static TranslationClient NewClient(Simulator simulator) =>
        new(simulator.Uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });

    private static async Task<Observation> CreateAndWaitAsync(
        TranslationClient client,
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
            TranslationJob created = await client.CreateJobAsync(
                new TranslationJobRequest { Delay = TimeSpan.FromSeconds(job.DelaySeconds), Outcome = job.Outcome },
                cancellationToken);
            id = created.Id;
            TranslationWaitResult result = await client.WaitForCompletionAsync(
                id,
                new TranslationWaitOptions { Strategy = strategy, MaxWait = TimeSpan.FromSeconds(60) },
                cancellationToken);
            return new Observation(job, id, result, null);
        }
        catch (TranslationException ex)
        {
            return new Observation(job, id, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task<StrategyRow> MeasureAsync(Case c, Observation[] observations, Simulator simulator, CancellationToken cancellationToken)
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
            c.Name,
            c.Strategy.ToString() ?? c.Strategy.GetType().Name,
            c.Server,
            c.Ours,
            observations.Length,
            correct,
            Stats.Of(requests),
            Stats.Of(serverRequests),
            Stats.Of(lateness),
            latenessShare.Count == 0 ? double.NaN : latenessShare.Average(),
            failures,
            samples);
    }

    /// <summary>The original's two loops on the planned delays, with instant answers: check at 0, sleep, check, ….</summary>
    private static List<AnalyticRow> Analytic(PlannedJob[] plan)
    {
        AnalyticRow Row(string name, Func<int, double> delayAfterAttempt)
        {
            var requests = new List<double>();
            var lateness = new List<double>();
            var share = new List<double>();
            foreach (PlannedJob job in plan)
            {
                double t = 0;
                int attempts = 1;
                while (t < job.DelaySeconds)
                {
                    t += delayAfterAttempt(attempts);
                    attempts++;
                }

                requests.Add(attempts);
                lateness.Add((t - job.DelaySeconds) * 1000);
                share.Add((t - job.DelaySeconds) / job.DelaySeconds * 100);
            }

            return new AnalyticRow(name, Stats.Of(requests), Stats.Of(lateness), share.Average());
        }

        return
        [
            Row("Original fixed 0.1 s (analytic)", _ => OriginalFixed.TotalSeconds),
            Row("Original exponential 0.1 s ×2 ≤ 6 s (analytic)", attempt => Math.Min(0.1 * Math.Pow(2, attempt - 1), 6)),
        ];
    }
}
