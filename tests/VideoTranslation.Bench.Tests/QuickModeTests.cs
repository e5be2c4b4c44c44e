using System.Text.Json;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Reporting;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Tests;

/// <summary>
/// Runs the benchmark's quick mode once, in-process, so that its code cannot rot. It asserts what a run must give
/// on any machine (every section measured, every job's final state right, counts and latenesses sane, the soak's
/// states and status changes exactly right, files written) and never a timing or a resource figure: the targets are
/// reported in docs/benchmarks.md and docs/reliability.md, not tested.
/// </summary>
[Collection(InProcessWaits.Name)]
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

        // Every workload has every row, on the same planned jobs; every job's state is right, every request the client
        // counted reached the server (nothing is faulted here), and no job was seen finished before its completedAt.
        StrategySection strategies = Assert.IsType<StrategySection>(report.Strategies);
        Assert.Equal(Workload.Keys, strategies.Workloads.Select(w => w.Key));
        foreach (WorkloadSection workload in strategies.Workloads)
        {
            Assert.Equal(StrategyBenchmark.RowKinds, workload.Rows.Select(r => r.Kind));
            // Learned learned one duration from each warm-up wait that saw its job pending, and only those; on the
            // uniform workload (long jobs) every wait does.
            Assert.Equal(workload.LearnedWarmupSeenPending, workload.LearnedHistoryAtStart);
            if (workload.Key == "uniform")
            {
                Assert.Equal(settings.WarmupJobs, workload.LearnedHistoryAtStart);
            }

            Assert.Equal(settings.JobsPerStrategy, workload.PlannedDelaySeconds.Count);
            Assert.True(workload.PlannedDelaySeconds.Min > 0, $"{workload.Key}: planned delays {workload.PlannedDelaySeconds}");
            foreach (StrategyRow row in workload.Rows)
            {
                string name = $"{workload.Key}, {row.Name}";
                Assert.True(row.Failures.Count == 0, $"{name}: {string.Join("; ", row.Failures)}");
                Assert.Equal(settings.JobsPerStrategy, row.Jobs);
                Assert.Equal(row.Jobs, row.Correct);
                Assert.Equal(row.Jobs, row.Requests.Count);
                Assert.True(row.Requests.Min >= 1, $"{name}: a job was seen finished with {row.Requests.Min} requests.");
                Assert.Equal(row.Requests.Mean, row.ServerRequests.Mean, precision: 6);
                Assert.True(double.IsFinite(row.LatenessMs.Mean) && double.IsFinite(row.LatenessMs.P99) && double.IsFinite(row.LatenessMs.Max), $"{name}: lateness {row.LatenessMs}");
                Assert.True(row.LatenessMs.Min >= 0, $"{name}: a job was seen finished {-row.LatenessMs.Min:0.0} ms before its completedAt.");
                Assert.True(double.IsFinite(row.MeanLatenessPercentOfDuration), $"{name}: lateness share {row.MeanLatenessPercentOfDuration}");

                // The library's lateness metric over the same waits: one measurement per measured job, the same values.
                LatenessCrossCheck metric = Assert.IsType<LatenessCrossCheck>(row.MetricLateness);
                Assert.True(metric.Available && metric.Agrees, $"{name}: {metric}");
                Assert.Equal(row.LatenessMs.Count, metric.MetricMeasurements);
            }

            // The original loops computed on the planned delays and on the frontier's sample; the frontier itself.
            Assert.Equal(4, workload.Analytic.Count);
            Assert.All(workload.Analytic, a => Assert.True(a.Requests.Min >= 1 && double.IsFinite(a.LatenessMs.Mean), $"{workload.Key}: {a}"));
            FrontierCurve frontier = workload.Pareto.Frontier;
            Assert.Equal(settings.FrontierSample, frontier.Sample);
            Assert.NotEmpty(frontier.Points);
            Assert.True(frontier.Points[0].Requests >= 2 - 1e-9, $"{workload.Key}: the frontier starts at {frontier.Points[0].Requests} requests.");
            Assert.All(frontier.Points.Zip(frontier.Points.Skip(1)), p => Assert.True(p.Second.Requests > p.First.Requests && p.Second.LatenessMs < p.First.LatenessMs, $"{workload.Key}: {p}"));
            Assert.Equal(2 + workload.Rows.Count, workload.Pareto.Positions.Count);
        }

        // The same table against the HeyGen-shaped simulator: one workload, the HeyGen rows, every job right, every
        // request the client counted served by the simulator's v3 status route, none seen finished early.
        StrategySection heygen = Assert.IsType<StrategySection>(report.HeyGen);
        Assert.Equal(settings.HeyGenTimeScale, heygen.TimeScale);
        WorkloadSection heygenJobs = Assert.Single(heygen.Workloads);
        Assert.Equal(Workload.HeyGenKey, heygenJobs.Key);
        Assert.Equal(HeyGenBenchmark.RowKinds, heygenJobs.Rows.Select(r => r.Kind));
        Assert.Equal(heygenJobs.LearnedWarmupSeenPending, heygenJobs.LearnedHistoryAtStart);
        Assert.True(heygenJobs.LearnedHistoryAtStart > 0, "Learned learned nothing from the HeyGen warm-up.");
        foreach (StrategyRow row in heygenJobs.Rows)
        {
            string name = $"heygen, {row.Name}";
            Assert.True(row.Failures.Count == 0, $"{name}: {string.Join("; ", row.Failures)}");
            Assert.Equal(settings.JobsPerStrategy, row.Correct);
            Assert.True(row.Requests.Min >= 1, $"{name}: a job was seen finished with {row.Requests.Min} requests.");
            Assert.Equal(row.Requests.Mean, row.ServerRequests.Mean, precision: 6);
            Assert.True(row.LatenessMs.Min >= 0 && double.IsFinite(row.LatenessMs.P95), $"{name}: lateness {row.LatenessMs}");

            // HeyGen's answers do not say when a job ended: no metric lateness, and no failure for it.
            LatenessCrossCheck metric = Assert.IsType<LatenessCrossCheck>(row.MetricLateness);
            Assert.True(!metric.Available && metric.Agrees && metric.MetricMeasurements == 0, $"{name}: {metric}");
        }

        // All jobs at once, more of them than the batch's request limit: every state right, a lateness per job, none early.
        ScaleSection scale = Assert.IsType<ScaleSection>(report.Scale);
        Assert.Equal(ScaleBenchmark.RowNames, scale.Rows.Select(r => r.Strategy));
        Assert.True(scale.Jobs > scale.MaxConcurrency, $"{scale.Jobs} jobs for a limit of {scale.MaxConcurrency}.");
        foreach (ScaleRow row in scale.Rows)
        {
            Assert.True(row.Failures.Count == 0, $"{row.Strategy}: {string.Join("; ", row.Failures)}");
            Assert.Equal(settings.ScaleJobs, row.Jobs);
            Assert.Equal(row.Jobs, row.Correct);
            Assert.Equal(settings.ScaleMaxConcurrency, row.MaxConcurrency);
            Assert.True(row.Checks >= row.Jobs, $"{row.Strategy}: {row.Checks} checks for {row.Jobs} jobs.");
            Assert.True(row.Requests > 0, $"{row.Strategy}: no requests counted.");
            Assert.Equal(row.Jobs, row.LatenessMs.Count);
            Assert.True(double.IsFinite(row.LatenessMs.P99) && row.LatenessMs.Min >= 0, $"{row.Strategy}: lateness {row.LatenessMs}");
            LatenessCrossCheck metric = Assert.IsType<LatenessCrossCheck>(row.MetricLateness);
            Assert.True(metric.Available && metric.Agrees && metric.MetricMeasurements == row.Jobs, $"{row.Strategy}: lateness from the metric {metric}");
            Assert.True(row.PeakRssMb > 0 && row.PeakThreads > 0 && row.CpuSeconds > 0, $"{row.Strategy}: {row}");
        }

        // The soak of issue 6: every round ran, every job's final state is the server's outcome, every status change was
        // delivered exactly once and in order, OnJobFinished came once per job, and the faults really were injected and
        // retried. Resource growth is only reported in quick mode (three short rounds on a shared machine).
        SoakSection soak = Assert.IsType<SoakSection>(report.Soak);
        Assert.Equal(settings.SoakRounds, soak.Client.Rounds.Count);
        Assert.True(soak.AllCorrect, "Soak failures:\n" + string.Join("\n", soak.Client.Rounds.SelectMany(r => r.Failures)));
        Assert.False(soak.GrowthAsserted);

        // Issue 14's rounds: unknown ids among real jobs, and a batch above the client's descriptor limit (ulimit -n).
        SoakHostileResult hostile = Assert.IsType<SoakHostileResult>(soak.Hostile);
        Assert.Equal(2, hostile.Rounds.Count);
        Assert.All(hostile.Rounds, r => Assert.True(r.EveryJobAccountedFor, $"{r.Name}: " + string.Join("\n", r.Failures)));
        Assert.True(hostile.Rounds[1].RealJobs > (hostile.DescriptorLimit ?? 0), "the second round's batch is not above the descriptor limit");
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
        Assert.Equal(
            report.Strategies!.Workloads.SelectMany(w => w.Rows).Select(r => r.Requests.Mean),
            reread!.Strategies!.Workloads.SelectMany(w => w.Rows).Select(r => r.Requests.Mean));
        string markdown = await File.ReadAllTextAsync(Path.Combine(_folder, "results.md"));
        Assert.Contains("Lateness from the library's metrics", markdown, StringComparison.Ordinal);
        foreach (string heading in new[] { "### Strategies", "### HeyGen-shaped service", "### Scale", "### Soak", "### Simulator throughput", "### Module overhead", "### Targets" })
        {
            Assert.Contains(heading, markdown, StringComparison.Ordinal);
        }

        Assert.All(strategies.Workloads, w => Assert.Contains($"#### {w.Title}", markdown, StringComparison.Ordinal));

        // The named figures a comparison of two builds reads: unique keys, every workload's rows and every scale row;
        // a run compared with itself gives 1.00 for every figure.
        Assert.Equal(report.Figures.Count, report.Figures.Select(f => f.Key).Distinct().Count());
        foreach (WorkloadSection workload in strategies.Workloads)
        {
            Assert.Contains(report.Figures, f => f.Key == $"strategies/{workload.Key}/{RowKind.LearnedNoHints}/lateness.mean");
        }

        Assert.All(scale.Rows, r => Assert.Contains(report.Figures, f => f.Key == $"scale/{r.Strategy}/lateness.p99"));
        Assert.All(HeyGenBenchmark.RowKinds, k => Assert.Contains(report.Figures, f => f.Key == $"heygen/{k}/lateness.p95"));
        string comparison = Figures.Compare([_folder], [Path.Combine(_folder, "results.json")]);
        Assert.All(report.Figures, f => Assert.Contains($"| {f.Key} | {f.Unit} |", comparison, StringComparison.Ordinal));
        Assert.All(
            comparison.Split('\n').Where(l => l.StartsWith("| strategies/", StringComparison.Ordinal) || l.StartsWith("| heygen/", StringComparison.Ordinal) || l.StartsWith("| scale/", StringComparison.Ordinal)),
            l => Assert.EndsWith("| 1.00 |", l.TrimEnd(), StringComparison.Ordinal));
        Assert.Equal(settings.Sections.Order(), report.SectionRuns.Select(r => r.Section).Order());
        Assert.Null(settings.ReportPath);

        byte[] png = await File.ReadAllBytesAsync(settings.ChartPath);
        Assert.True(png.Length > 1000, $"The chart has {png.Length} bytes.");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.StartsWith(_folder, settings.ChartPath, StringComparison.Ordinal);
    }
}
