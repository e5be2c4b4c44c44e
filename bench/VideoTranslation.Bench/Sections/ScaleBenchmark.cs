using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>What the scale client measured in its own process.</summary>
public sealed record ScaleRow(
    string Strategy,
    int Jobs,
    int Correct,
    int Failed,
    double CreateSeconds,
    double WaitSeconds,
    long Requests,
    double RequestsPerJob,
    double CpuSeconds,
    double CpuMsPer1000Requests,
    double PeakRssMb,
    int PeakThreads,
    int MaxConcurrency,
    IReadOnlyList<string> Failures);

public sealed record ScaleSection(int Jobs, double DelayMin, double DelayMax, string Server, IReadOnlyList<ScaleRow> Rows);

/// <summary>
/// Thousands of concurrent waits from one client process: the benchmark starts itself again as <c>scale</c> (so the
/// resident set and threads are the client's alone), against a simulator of its own per strategy.
/// </summary>
internal static class ScaleBenchmark
{
    public const string Command = "scale";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string[] StrategyNames { get; } = ["LongPoll", "Exponential"];

    public static async Task<ScaleSection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var server = new SimulatorSettings
        {
            Seed = settings.Seed,
            DelayMin = settings.ScaleDelayMin,
            DelayMax = settings.ScaleDelayMax,
            Hints = false,
            LongPoll = true,
            MaxJobs = (settings.ScaleJobs * 2) + 100,
            ErrorProbability = settings.ErrorShare,
        };

        var rows = new List<ScaleRow>();
        foreach (string strategy in StrategyNames)
        {
            using Simulator simulator = await Simulator.StartAsync(server, cancellationToken);
            using ChildProcess child = ChildProcess.Start(
                "The scale client",
                BuildPaths.BenchDll,
                [Command, "--url", simulator.Uri.AbsoluteUri, "--strategy", strategy, "--jobs", settings.ScaleJobs.ToString(CultureInfo.InvariantCulture)]);
            string output = await child.WaitForExitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            ScaleRow row = JsonSerializer.Deserialize<ScaleRow>(last, s_json)
                ?? throw new InvalidOperationException($"The scale client printed no result: {output}");
            await log.WriteLineAsync(FormattableString.Invariant(
                $"  scale {strategy}: {row.Correct}/{row.Jobs} correct, {row.WaitSeconds:0.0} s, {row.PeakRssMb:0} MB, {row.PeakThreads} threads"));
            rows.Add(row);
        }

        return new ScaleSection(settings.ScaleJobs, settings.ScaleDelayMin, settings.ScaleDelayMax, server.ToString(), rows);
    }

    /// <summary>The child: creates the jobs, waits on all of them with one batch call, checks every outcome, prints one JSON line.</summary>
    public static async Task<int> RunClientAsync(Uri uri, string strategyName, int jobs, TextWriter output, CancellationToken cancellationToken)
    {
        using var threads = new ThreadPeakSampler();
        PollingStrategy strategy = strategyName switch
        {
            "LongPoll" => new LongPollStrategy(),
            "Exponential" => new ExponentialStrategy(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(5), 0.2),
            _ => throw new ArgumentException($"Unknown scale strategy '{strategyName}'; use {string.Join(" or ", StrategyNames)}.", nameof(strategyName)),
        };

        using var client = new TranslationClient(uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        var batch = new TranslationBatchOptions();

        var create = Stopwatch.StartNew();
        var ids = new string[jobs];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, jobs),
            new ParallelOptions { MaxDegreeOfParallelism = batch.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => ids[i] = (await client.CreateJobAsync(null, ct)).Id);
        double createSeconds = create.Elapsed.TotalSeconds;

        TimeSpan cpuBefore = ProcessMetrics.CpuTime();
        var wait = Stopwatch.StartNew();
        IReadOnlyList<TranslationJobOutcome> outcomes = await client.WaitForAllAsync(
            ids,
            new TranslationWaitOptions { Strategy = strategy, MaxWait = TimeSpan.FromMinutes(4) },
            batch,
            cancellationToken);
        double waitSeconds = wait.Elapsed.TotalSeconds;
        double cpuSeconds = (ProcessMetrics.CpuTime() - cpuBefore).TotalSeconds;
        double peakRssMb = ProcessMetrics.PeakResidentBytes() / (1024.0 * 1024.0);
        int peakThreads = threads.Peak;

        // Correct = the final state is the outcome the server drew for the job.
        using var http = new HttpClient { BaseAddress = uri };
        IReadOnlyDictionary<string, ServerJob> server = await Simulator.GetJobsAsync(http, ids, cancellationToken);
        var failures = new List<string>();
        int correct = 0;
        foreach (TranslationJobOutcome outcome in outcomes)
        {
            ServerJob job = server[outcome.JobId!];
            if (outcome.Result is { } result && string.Equals(result.State.ToString(), job.Outcome, StringComparison.OrdinalIgnoreCase))
            {
                correct++;
            }
            else if (failures.Count < 10)
            {
                failures.Add($"{outcome.JobId}: {outcome.Result?.State.ToString() ?? outcome.Error?.Message}, server outcome {job.Outcome}");
            }
        }

        long requests = outcomes.Sum(o => (long)(o.Result?.Attempts ?? 0));
        var row = new ScaleRow(
            strategyName,
            jobs,
            correct,
            jobs - correct,
            createSeconds,
            waitSeconds,
            requests,
            (double)requests / jobs,
            cpuSeconds,
            requests == 0 ? double.NaN : cpuSeconds * 1000 / requests * 1000,
            peakRssMb,
            peakThreads,
            batch.MaxConcurrency,
            failures);
        await output.WriteLineAsync(JsonSerializer.Serialize(row, s_json));
        return 0;
    }
}
