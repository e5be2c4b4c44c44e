using System.Text.Json;
using VideoTranslation.Bench.Reporting;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Tests;

/// <summary>
/// Runs the benchmark's quick mode once, in-process, so that its code cannot rot. It asserts what a run must give
/// on any machine (every section measured, every job's final state right, counts and latenesses sane, the soak's
/// states and status changes exactly right, files written) and never a timing or a resource figure: the targets are
/// reported in docs/benchmarks.md and docs/reliability.md, not tested.
/// </summary>
public sealed class QuickModeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vt-bench-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Quick_mode_measures_every_section_with_every_job_right_and_writes_its_files()
    {
        BenchSettings settings = BenchSettings.For(BenchMode.Quick, _folder);
        using var log = new StringWriter();

        BenchReport report = await Benchmark.RunAsync(settings, log);

        string context = log.ToString();
        Assert.True(report.Errors.Count == 0, "The quick run reported errors:\n" + string.Join("\n", report.Errors) + "\n" + context);

        StrategySection strategies = Assert.IsType<StrategySection>(report.Strategies);
        Assert.Equal(9, strategies.Rows.Count);
        Assert.Contains(strategies.Rows, r => !r.Ours);
        Assert.True(strategies.LearnedHistoryAtStart >= settings.WarmupJobs, $"Learned started with {strategies.LearnedHistoryAtStart} durations.");
        foreach (StrategyRow row in strategies.Rows)
        {
            Assert.True(row.Failures.Count == 0, $"{row.Name}: {string.Join("; ", row.Failures)}");
            Assert.Equal(settings.JobsPerStrategy, row.Jobs);
            Assert.Equal(row.Jobs, row.Correct);
            Assert.Equal(row.Jobs, row.Requests.Count);
            Assert.True(row.Requests.Min >= 1, $"{row.Name}: a job was seen finished with {row.Requests.Min} requests.");

            // Every request the client counted reached the server, and no more (nothing is faulted here).
            Assert.Equal(row.Requests.Mean, row.ServerRequests.Mean, precision: 6);
            Assert.True(double.IsFinite(row.LatenessMs.Mean) && double.IsFinite(row.LatenessMs.P99) && double.IsFinite(row.LatenessMs.Max), $"{row.Name}: lateness {row.LatenessMs}");
            Assert.True(double.IsFinite(row.MeanLatenessPercentOfDuration), $"{row.Name}: lateness share {row.MeanLatenessPercentOfDuration}");
        }

        Assert.Equal(2, strategies.Analytic.Count);
        Assert.All(strategies.Analytic, a => Assert.True(a.Requests.Min >= 1 && double.IsFinite(a.LatenessMs.Mean)));

        ScaleSection scale = Assert.IsType<ScaleSection>(report.Scale);
        Assert.Equal(ScaleBenchmark.StrategyNames, scale.Rows.Select(r => r.Strategy));
        foreach (ScaleRow row in scale.Rows)
        {
            Assert.True(row.Failures.Count == 0, $"{row.Strategy}: {string.Join("; ", row.Failures)}");
            Assert.Equal(settings.ScaleJobs, row.Jobs);
            Assert.Equal(row.Jobs, row.Correct);
            Assert.True(row.Requests >= row.Jobs, $"{row.Strategy}: {row.Requests} requests for {row.Jobs} jobs.");
            Assert.True(row.PeakRssMb > 0 && row.PeakThreads > 0 && row.CpuSeconds > 0, $"{row.Strategy}: {row}");
        }

        // The soak of issue 6: every round ran, every job's final state is the server's outcome, every status change was
        // delivered exactly once and in order, OnJobFinished came once per job, and the faults really were injected and
        // retried. Resource growth is only reported in quick mode (three short rounds on a shared machine).
        SoakSection soak = Assert.IsType<SoakSection>(report.Soak);
        Assert.Equal(settings.SoakRounds, soak.Client.Rounds.Count);
        Assert.True(soak.AllCorrect, "Soak failures:\n" + string.Join("\n", soak.Client.Rounds.SelectMany(r => r.Failures)));
        Assert.False(soak.GrowthAsserted);
        foreach (SoakRound round in soak.Client.Rounds)
        {
            Assert.Equal(settings.SoakJobs, round.Jobs);
            Assert.Equal(round.Jobs, round.Correct);
            Assert.Equal(round.Jobs, round.SequencesRight);
            Assert.Equal(round.Jobs, round.FinishedOnce);
            Assert.Equal(0, round.FailureCount);
            Assert.True(round.Requests >= round.Jobs, $"round {round.Round}: {round.Requests} requests for {round.Jobs} jobs");
            Assert.True(round.Resources.Threads > 0 && round.Resources.RssMb > 0 && round.Resources.ManagedMb > 0, $"round {round.Round}: {round.Resources}");
        }

        long injected = soak.InjectedTotal.Values.Sum();
        long retried = soak.Client.Rounds.Sum(r => r.ClientFailures.Values.Sum());
        Assert.True(injected > 0, "The simulator injected no fault.");
        Assert.True(retried > 0, $"The client retried no failed check ({injected} faults injected).");
        Assert.True(soak.Client.Rounds.Sum(r => r.SawPending) > 0, "No job was ever seen pending: the exactly-once check of pending did not run.");

        // The client retried only answers the server really sent: no more 500, 503 or 429 than were injected (equal on a
        // quiet machine; a check that the client gave up on during a stall of the machine counts as a timeout instead).
        foreach ((string server, string client) in new[] { ("internalError", "http500"), ("serviceUnavailable", "http503"), ("tooManyRequests", "http429") })
        {
            long sent = soak.InjectedTotal.GetValueOrDefault(server);
            long seen = soak.Client.Rounds.Sum(r => r.ClientFailures.GetValueOrDefault(client));
            Assert.True(seen <= sent, $"The client retried {seen} {client} answers; the simulator sent {sent}.");
        }

        Assert.Equal(5, soak.Growth.Count);
        Assert.Contains(report.Targets, t => t.Section == "soak");

        ThroughputSection throughput = Assert.IsType<ThroughputSection>(report.Throughput);
        Assert.Equal(2 * settings.ThroughputRounds, throughput.Runs.Count);
        Assert.All(throughput.Runs, r => Assert.True(r.Requests > 0 && r.RequestsPerSecond > 0, $"{r.Target}: {r.Requests} requests"));
        Assert.True(double.IsFinite(throughput.Ratio) && throughput.Ratio > 0, $"ratio {throughput.Ratio}");

        ModuleSection module = Assert.IsType<ModuleSection>(report.Module);
        Assert.Equal(settings.ModuleImports - 1, module.ImportMs.Count);
        Assert.Equal(settings.ModuleRoundTrips, module.CmdletRoundTripMs.Count);
        Assert.Equal(settings.ModuleRoundTrips, module.CoreRoundTripMs.Count);
        Assert.True(module.FirstImportMs > 0 && module.CmdletRoundTripMs.P50 > 0 && module.CoreRoundTripMs.P50 > 0);

        Assert.Contains(report.Targets, t => t.Section == "strategies");
        Assert.Contains(report.Targets, t => t.Section == "scale");
        Assert.Contains(report.Targets, t => t.Section == "throughput");

        // The files: the JSON reads back as the same report, the Markdown has every table, the chart is a PNG.
        string json = await File.ReadAllTextAsync(Path.Combine(_folder, "results.json"));
        BenchReport? reread = JsonSerializer.Deserialize<BenchReport>(json, Benchmark.Json);
        Assert.NotNull(reread);
        Assert.Equal(report.Strategies!.Rows.Select(r => r.Requests.Mean), reread!.Strategies!.Rows.Select(r => r.Requests.Mean));
        string markdown = await File.ReadAllTextAsync(Path.Combine(_folder, "results.md"));
        foreach (string heading in new[] { "### Strategies", "### Scale", "### Soak", "### Simulator throughput", "### Module overhead", "### Targets" })
        {
            Assert.Contains(heading, markdown, StringComparison.Ordinal);
        }

        byte[] png = await File.ReadAllBytesAsync(settings.ChartPath);
        Assert.True(png.Length > 1000, $"The chart has {png.Length} bytes.");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.StartsWith(_folder, settings.ChartPath, StringComparison.Ordinal);
    }
}
