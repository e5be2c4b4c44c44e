using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>
/// What the scale client measured in its own process. Lateness is in milliseconds. <see cref="ScaleRow.Requests"/> are the
/// HTTP requests the client sent while waiting (counted by its handler: status checks, group checks, the capability
/// probe); <see cref="ScaleRow.RequestsPerJobStats"/> and <see cref="ScaleRow.Checks"/> are the waits' checks (attempts),
/// which a group request answers for several waits at once.
/// </summary>
public sealed record ScaleRow(
    string Strategy,
    int Jobs,
    int Correct,
    int Failed,
    double CreateSeconds,
    int CreatedAfterPlannedEnd,
    double WaitSeconds,
    long Requests,
    double RequestsPerJob,
    Stats RequestsPerJobStats,
    Stats LatenessMs,
    double CpuSeconds,
    double CpuMsPer1000Requests,
    double PeakRssMb,
    int PeakThreads,
    int MaxConcurrency,
    IReadOnlyList<string> Failures,
    long Checks = 0,
    double ChecksPerJob = 0,
    LatenessCrossCheck? MetricLateness = null);

public sealed record ScaleSection(int Jobs, int MaxConcurrency, double DelayMin, double DelayMax, string Server, IReadOnlyList<ScaleRow> Rows);

/// <summary>
/// All jobs at once, more of them than the batch's request limit: the benchmark starts itself again as <c>scale</c>
/// (so the resident set and threads are the client's alone), against a simulator of its own per strategy, and the
/// child creates every job, then waits on all of them in one batch call.
/// </summary>
internal static class ScaleBenchmark
{
    public const string Command = "scale-client";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> StrategyNames => CoreUse.ScaleStrategies;

    /// <summary>The rows: each strategy against a server with group long-poll, and Auto again against one without.</summary>
    public static IReadOnlyList<(string Row, string Strategy, bool GroupLongPoll)> Runs { get; } =
        [("Auto", "Auto", true), ("Auto (per-job holds)", "Auto", false), .. CoreUse.ScaleStrategies.Where(s => s != "Auto").Select(s => (s, s, true))];

    public static IReadOnlyList<string> RowNames => Runs.Select(r => r.Row).ToArray();

    public static async Task<ScaleSection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var server = new SimulatorSettings
        {
            Seed = settings.Seed,
            Hints = true,
            LongPoll = true,
            MaxJobs = settings.ScaleJobs + 100,
        };

        static string I(double value) => value.ToString(CultureInfo.InvariantCulture);
        var rows = new List<ScaleRow>();
        foreach ((string name, string strategy, bool group) in Runs)
        {
            using Simulator simulator = await Simulator.StartAsync(server with { GroupLongPoll = group }, cancellationToken);
            using ChildProcess child = ChildProcess.Start(
                "The scale client",
                BuildPaths.BenchDll,
                [
                    Command, "--url", simulator.Uri.AbsoluteUri, "--strategy", strategy, "--jobs", I(settings.ScaleJobs),
                    "--max-concurrency", I(settings.ScaleMaxConcurrency), "--delay-min", I(settings.ScaleDelayMin),
                    "--delay-max", I(settings.ScaleDelayMax), "--error-share", I(settings.ErrorShare), "--seed", I(settings.Seed),
                ]);
            string output = await child.WaitForExitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            ScaleRow row = (JsonSerializer.Deserialize<ScaleRow>(last, s_json)
                ?? throw new InvalidOperationException($"The scale client printed no result: {output}")) with { Strategy = name };
            await log.WriteLineAsync(FormattableString.Invariant(
                $"  scale {name}: {row.Correct}/{row.Jobs} correct, {row.RequestsPerJob:0.00} requests/job ({row.ChecksPerJob:0.00} checks/job), lateness p50 {row.LatenessMs.P50:0} ms p99 {row.LatenessMs.P99:0} ms, {row.WaitSeconds:0.0} s, {row.PeakRssMb:0} MB, {row.PeakThreads} threads; lateness from the library's metric: {row.MetricLateness?.Verdict ?? "not measured"}"));
            rows.Add(row);
        }

        return new ScaleSection(settings.ScaleJobs, settings.ScaleMaxConcurrency, settings.ScaleDelayMin, settings.ScaleDelayMax, server.ToString(), rows);
    }

    /// <summary>
    /// The child: creates the jobs, each due at a planned instant counted from the start of creating (so how long
    /// creating takes on a busy machine does not move the ends), waits on all of them with one batch call, checks every
    /// outcome and lateness against <c>GET /jobs/{id}</c>, prints one JSON line.
    /// </summary>
    public static async Task<int> RunClientAsync(ScaleClientArguments a, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var threads = new ThreadPeakSampler();
        PollingStrategy strategy = CoreUse.Named(a.Strategy);
        // The core's own kind of handler (no redirects), with a count of the requests it sends.
        using var counter = new CountingHandler(new HttpClientHandler { AllowAutoRedirect = false });
        using var sender = new HttpClient(counter) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new TranslationClient(a.Uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) }, sender);

        var random = new Random(a.Seed);
        (double End, TranslationState Outcome)[] plan = Enumerable.Range(0, a.Jobs)
            .Select(_ => (a.DelayMin + ((a.DelayMax - a.DelayMin) * random.NextDouble()), random.NextDouble() < a.ErrorShare ? TranslationState.Error : TranslationState.Completed))
            .ToArray();

        var create = Stopwatch.StartNew();
        var ids = new string[a.Jobs];
        int late = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, a.Jobs),
            new ParallelOptions { MaxDegreeOfParallelism = CoreUse.DefaultBatchLimit, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                double delay = plan[i].End - create.Elapsed.TotalSeconds;
                if (delay < 0.05)
                {
                    Interlocked.Increment(ref late);
                    delay = 0.05;
                }

                var request = new TranslationJobRequest { Delay = TimeSpan.FromSeconds(delay), Outcome = plan[i].Outcome };
                ids[i] = (await client.CreateJobAsync(request, ct)).Id;
            });
        double createSeconds = create.Elapsed.TotalSeconds;

        // The library's lateness metric over the batch's waits (the creates record none).
        using var listener = new LatenessListener();
        var metric = new LatenessCollector();
        listener.Collect(metric);
        TimeSpan cpuBefore = ProcessMetrics.CpuTime();
        long requestsBefore = counter.Count;
        var wait = Stopwatch.StartNew();
        IReadOnlyList<TranslationJobOutcome> outcomes = await CoreUse.WaitForAllAsync(client, ids, strategy, TimeSpan.FromMinutes(4), a.MaxConcurrency, cancellationToken);
        double waitSeconds = wait.Elapsed.TotalSeconds;
        long sent = counter.Count - requestsBefore;
        double cpuSeconds = (ProcessMetrics.CpuTime() - cpuBefore).TotalSeconds;
        double peakRssMb = ProcessMetrics.PeakResidentBytes() / (1024.0 * 1024.0);
        int peakThreads = threads.Peak;

        // Correct = the final state is the outcome the job was created with, as the server reports it; lateness = the
        // client's observation − the server's completedAt (one machine, one clock).
        using var http = new HttpClient { BaseAddress = a.Uri };
        IReadOnlyDictionary<string, ServerJob> server = await Simulator.GetJobsAsync(http, ids, cancellationToken);
        var failures = new List<string>();
        var lateness = new List<double>();
        var requests = new List<double>();
        int correct = 0;
        foreach ((TranslationJobOutcome outcome, int i) in outcomes.Select((o, i) => (o, i)))
        {
            ServerJob job = server[outcome.JobId!];
            string expected = plan[i].Outcome == TranslationState.Error ? "error" : "completed";
            if (outcome.Result is { } result &&
                string.Equals(job.Outcome, expected, StringComparison.OrdinalIgnoreCase) &&
                string.Equals(result.State.ToString(), job.Outcome, StringComparison.OrdinalIgnoreCase) &&
                job.CompletedAt is DateTimeOffset completedAt)
            {
                correct++;
                lateness.Add((result.FinalStatus.ObservedAt - completedAt).TotalMilliseconds);
                requests.Add(result.Attempts);
            }
            else if (failures.Count < 10)
            {
                failures.Add($"{outcome.JobId}: {outcome.Result?.State.ToString() ?? outcome.Error?.Message}, server outcome {job.Outcome}, planned {expected}");
            }
        }

        long checks = outcomes.Sum(o => (long)(o.Result?.Attempts ?? 0));
        var row = new ScaleRow(
            a.Strategy,
            a.Jobs,
            correct,
            a.Jobs - correct,
            createSeconds,
            late,
            waitSeconds,
            sent,
            (double)sent / a.Jobs,
            Stats.Of(requests),
            Stats.Of(lateness),
            cpuSeconds,
            sent == 0 ? double.NaN : cpuSeconds * 1000 / sent * 1000,
            peakRssMb,
            peakThreads,
            a.MaxConcurrency,
            failures,
            checks,
            (double)checks / a.Jobs,
            LatenessCrossCheck.Compare(lateness, metric.Seconds, serverSaysCompletedAt: true, outcomes.Count(o => o.Result is not null) - correct));
        await output.WriteLineAsync(JsonSerializer.Serialize(row, s_json));
        return 0;
    }
}

/// <summary>The scale child's command line.</summary>
internal sealed record ScaleClientArguments(Uri Uri, string Strategy, int Jobs, int MaxConcurrency, double DelayMin, double DelayMax, double ErrorShare, int Seed);

/// <summary>Counts the requests that go through it.</summary>
internal sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
