using System.Globalization;
using System.Text;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Infrastructure;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>The report as Markdown tables: printed at the end of a run and written to results.md.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"Mode {report.Mode}, {report.Machine.Date:yyyy-MM-dd HH:mm} UTC, {report.Machine.Cores} cores ({report.Machine.Cpu}), {report.Machine.Runtime}, {report.Machine.Os}; {report.WallSeconds:0} s in all; load average {report.Machine.LoadAverage} at the start, {report.LoadAverageAtEnd} at the end.");
        Line($"Code: {report.Code.Summary}.");
        Line($"Command: `{report.Command}`");
        md.AppendLine();
        if (report.SectionRuns.Count > 0)
        {
            md.AppendLine("| section | took | load average at its start | at its end |");
            md.AppendLine("|---|---|---|---|");
            foreach (SectionRun r in report.SectionRuns)
            {
                Line($"| {r.Section} | {r.Seconds:0} s | {r.LoadAtStart} | {r.LoadAtEnd} |");
            }

            md.AppendLine();
        }

        if (report.Strategies is { } s)
        {
            md.Append(StrategyTables(s));
        }

        if (report.HeyGen is { } heygen)
        {
            md.Append(HeyGenTables(heygen));
        }

        if (report.Scale is { } scale)
        {
            Line($"### Scale: all jobs at once, more than the request limit ({scale.Jobs} jobs, one batch, at most {scale.MaxConcurrency} requests in flight; each job ends {scale.DelayMin:0.#}–{scale.DelayMax:0.#} s after creating began; {scale.Server})");
            md.AppendLine();
            md.AppendLine("| strategy | correct | create | wait (wall) | HTTP requests/job | checks/job mean | p99 | lateness mean | p50 | p99 | max | CPU | CPU per 1,000 requests | peak RSS | peak threads |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (ScaleRow r in scale.Rows)
            {
                Line($"| {r.Strategy} | {r.Correct}/{r.Jobs} | {r.CreateSeconds:0.0} s | {r.WaitSeconds:0.0} s | {r.RequestsPerJob:0.00} | {r.ChecksPerJob:0.00} | {r.RequestsPerJobStats.P99:0.#} | {Ms(r.LatenessMs.Mean)} | {Ms(r.LatenessMs.P50)} | {Ms(r.LatenessMs.P99)} | {Ms(r.LatenessMs.Max)} | {r.CpuSeconds:0.0} s | {r.CpuMsPer1000Requests:0} ms | {r.PeakRssMb:0} MB | {r.PeakThreads} |");
            }

            int late = scale.Rows.Sum(r => r.CreatedAfterPlannedEnd);
            if (late > 0)
            {
                Line($"{late} jobs were created after their planned end (creating was slow) and got 50 ms instead.");
            }

            md.AppendLine();
            md.Append(MetricLatenessReport.Table(scale.Rows.Select(r => (r.Strategy, r.MetricLateness))));
        }

        if (report.Soak is { } soak)
        {
            md.Append(SoakTables(soak));
        }

        if (report.Throughput is { } t)
        {
            Line($"### Simulator throughput (GET /status, {t.Tool}, {t.Connections} connections, {t.SecondsPerRun:0.#} s × {t.Rounds} rounds, alternated)");
            md.AppendLine();
            md.AppendLine("| target | requests/s (median) | runs |");
            md.AppendLine("|---|---|---|");
            Line($"| simulator | {t.SimulatorRequestsPerSecond:0} | {string.Join(", ", t.Runs.Where(r => r.Target == "simulator").Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} |");
            Line($"| bare Kestrel | {t.BareRequestsPerSecond:0} | {string.Join(", ", t.Runs.Where(r => r.Target == "bare Kestrel").Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} |");
            Line($"| **ratio** | **{t.Ratio:0.00}** | |");
            md.AppendLine();
        }

        if (report.Module is { } m)
        {
            Line($"### Module overhead (PowerShell {m.PowerShellVersion} hosted in-process, {m.Manifest})");
            md.AppendLine();
            md.AppendLine("| measure | median | p99 | n |");
            md.AppendLine("|---|---|---|---|");
            Line($"| open a runspace (CreateDefault2) | {Ms(m.RunspaceOpenMs)} | | |");
            Line($"| first Import-Module in the process | {Ms(m.FirstImportMs)} | | 1 |");
            Line($"| Import-Module in a fresh runspace, later | {Ms(m.ImportMs.P50)} | {Ms(m.ImportMs.P99)} | {m.ImportMs.Count} |");
            Line($"| Get-TranslationStatus -Uri (round trip) | {Ms(m.CmdletRoundTripMs.P50)} | {Ms(m.CmdletRoundTripMs.P99)} | {m.CmdletRoundTripMs.Count} |");
            Line($"| core GetStatusAsync (round trip) | {Ms(m.CoreRoundTripMs.P50)} | {Ms(m.CoreRoundTripMs.P99)} | {m.CoreRoundTripMs.Count} |");
            Line($"| cmdlet / core (medians) | {m.CmdletOverCoreRatio:0.0}× | | |");
            md.AppendLine();
        }

        if (report.Telemetry is { } telemetry)
        {
            md.Append(TelemetryReport.Table(telemetry));
        }

        if (report.Targets.Count > 0)
        {
            md.AppendLine("### Targets");
            md.AppendLine();
            md.AppendLine("| section | target | measured | met |");
            md.AppendLine("|---|---|---|---|");
            foreach (TargetCheck c in report.Targets)
            {
                md.AppendLine($"| {c.Section} | {c.Target} | {c.Measured} | {(c.Met ? "yes" : "**no**")} |");
            }

            md.AppendLine();
        }

        foreach (string error in report.Errors)
        {
            md.AppendLine("**Error:** " + error);
        }

        return md.ToString();
    }

    /// <summary>The dated report a documented run writes to docs/benchmark-report.md: a heading, what it is, the chart, the tables.</summary>
    public static string Document(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# Benchmark report");
        md.AppendLine();
        md.AppendLine("Generated by the benchmark's full run and overwritten by the next one; do not edit. What each section measures and how:");
        md.AppendLine("[benchmarks.md](benchmarks.md). The machine is shared: read every figure with the load average of its section.");
        md.AppendLine();
        if (report.Strategies is not null)
        {
            md.AppendLine("![Requests per job against detection lateness, one point per strategy, the frontier dashed, one panel per workload](benchmarks-strategies.png)");
            md.AppendLine();
        }

        md.Append(Render(report).Replace("\n### ", "\n## ", StringComparison.Ordinal).Replace("\n#### ", "\n### ", StringComparison.Ordinal));
        return md.ToString();
    }

    /// <summary>The strategy table: every workload side by side, then each workload's rows, loops and frontier.</summary>
    public static string StrategyTables(StrategySection s)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Strategies ({s.Workloads.Count} workloads, {s.JobsPerStrategy} jobs per row and workload, created over {s.StaggerSeconds:0.#} s, all rows and workloads side by side; {s.ErrorShare:P0} end in error; time scale ×{s.TimeScale})");
        md.AppendLine();
        foreach (WorkloadSection w in s.Workloads)
        {
            Line($"- **{w.Title}**: {w.Drawn}. Planned delays of this run: mean {w.PlannedDelaySeconds.Mean:0.00} s, p50 {w.PlannedDelaySeconds.P50:0.00} s, p99 {w.PlannedDelaySeconds.P99:0.00} s, max {w.PlannedDelaySeconds.Max:0.00} s.");
        }

        md.AppendLine();
        md.AppendLine("Side by side (means; requests per job · lateness):");
        md.AppendLine();
        md.AppendLine("| strategy | server | " + string.Join(" | ", s.Workloads.Select(w => w.Key)) + " |");
        md.AppendLine("|---|---|" + string.Concat(s.Workloads.Select(_ => "---|")));
        foreach (StrategyRow first in s.Workloads[0].Rows)
        {
            var cells = s.Workloads.Select(w => w.Rows.FirstOrDefault(r => r.Kind == first.Kind) is { } r
                ? FormattableString.Invariant($"{r.Requests.Mean:0.00} · {Ms(r.LatenessMs.Mean)}")
                : "–");
            md.AppendLine($"| {first.Name} | {Server(first.Server)} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
        Line($"Servers: {string.Join("; ", s.Servers.Select(p => $"{Server(p.Key)} = {p.Value}"))}. Every row first waited on {s.WarmupJobs} warm-up jobs of its workload (not counted).");
        md.AppendLine();

        foreach (WorkloadSection w in s.Workloads)
        {
            Line($"#### {w.Title}");
            md.AppendLine();
            md.Append(WorkloadTables(w, p95: false));
            md.Append(MetricLatenessReport.Table(w.Rows.Select(r => (r.Name, r.MetricLateness))));
        }

        return md.ToString();
    }

    /// <summary>
    /// The HeyGen table: the strategy table's rows against the HeyGen-shaped simulator, one workload of HeyGen's
    /// minutes-long jobs scaled down, with p50 and p95 of requests and lateness.
    /// </summary>
    public static string HeyGenTables(StrategySection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### HeyGen-shaped service ({s.JobsPerStrategy} jobs per row, created over {s.StaggerSeconds:0.#} s, all rows side by side; {s.ErrorShare:P0} end in failed; time scale ×{s.TimeScale}: every duration, every strategy constant and the client's least time between checks)");
        md.AppendLine();
        foreach (WorkloadSection w in s.Workloads)
        {
            Line($"- **{w.Title}**: {w.Drawn}. Planned delays of this run: mean {w.PlannedDelaySeconds.Mean:0.00} s, p50 {w.PlannedDelaySeconds.P50:0.00} s, p99 {w.PlannedDelaySeconds.P99:0.00} s, max {w.PlannedDelaySeconds.Max:0.00} s.");
        }

        md.AppendLine();
        Line($"Server: {string.Join("; ", s.Servers.Select(p => p.Value))}. Every row first waited on {s.WarmupJobs} warm-up jobs (not counted); each row has a client and a duration history of its own. Lateness at this scale; ÷ {s.TimeScale} for HeyGen's real time.");
        md.AppendLine();
        foreach (WorkloadSection w in s.Workloads)
        {
            md.Append(WorkloadTables(w, p95: true));
            md.Append(MetricLatenessReport.Table(w.Rows.Select(r => (r.Name, r.MetricLateness))));
        }

        return md.ToString();
    }

    /// <summary>One workload's rows, the original loops computed, and every row against the frontier.</summary>
    private static string WorkloadTables(WorkloadSection w, bool p95)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        if (p95)
        {
            md.AppendLine("| strategy | correct | requests/job mean | p50 | p95 | lateness mean | p50 | p95 | mean lateness / job duration |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (StrategyRow r in w.Rows)
            {
                Line($"| {r.Name} | {r.Correct}/{r.Jobs} | {r.Requests.Mean:0.00} | {r.Requests.P50:0.#} | {r.Requests.P95:0.#} | {Ms(r.LatenessMs.Mean)} | {Ms(r.LatenessMs.P50)} | {Ms(r.LatenessMs.P95)} | {r.MeanLatenessPercentOfDuration:0.0} % |");
            }

            foreach (AnalyticRow a in w.Analytic)
            {
                string basis = a.Basis == "planned" ? "computed on these planned delays" : FormattableString.Invariant($"computed on {w.Pareto.Frontier.Sample:N0} draws");
                Line($"| {a.Name} ({basis}) | – | {a.Requests.Mean:0.00} | {a.Requests.P50:0.#} | {a.Requests.P95:0.#} | {Ms(a.LatenessMs.Mean)} | {Ms(a.LatenessMs.P50)} | {Ms(a.LatenessMs.P95)} | {a.MeanLatenessPercentOfDuration:0.0} % |");
            }
        }
        else
        {
            md.AppendLine("| strategy | server | correct | requests/job mean | p99 | lateness mean | p50 | p99 | mean lateness / job duration |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (StrategyRow r in w.Rows)
            {
                Line($"| {r.Name} | {Server(r.Server)} | {r.Correct}/{r.Jobs} | {r.Requests.Mean:0.00} | {r.Requests.P99:0.#} | {Ms(r.LatenessMs.Mean)} | {Ms(r.LatenessMs.P50)} | {Ms(r.LatenessMs.P99)} | {r.MeanLatenessPercentOfDuration:0.0} % |");
            }

            foreach (AnalyticRow a in w.Analytic)
            {
                string basis = a.Basis == "planned" ? "computed on these planned delays" : FormattableString.Invariant($"computed on {w.Pareto.Frontier.Sample:N0} draws");
                Line($"| {a.Name} ({basis}) | – | – | {a.Requests.Mean:0.00} | {a.Requests.P99:0.#} | {Ms(a.LatenessMs.Mean)} | {Ms(a.LatenessMs.P50)} | {Ms(a.LatenessMs.P99)} | {a.MeanLatenessPercentOfDuration:0.0} % |");
            }
        }

        md.AppendLine();
        Line($"Learned started with {w.LearnedHistoryAtStart} durations in its history (from the {w.LearnedWarmupSeenPending} warm-up waits that saw their job pending). Against the frontier (the least mean lateness a time-only schedule that knows the distribution can have at a mean number of requests; {w.Pareto.Frontier.Sample:N0} draws, {w.Pareto.Frontier.GridPoints:N0} candidate check times, checks ≥ {w.Pareto.Frontier.MinGapSeconds * 1000:0} ms apart, the first at 0):");
        md.AppendLine();
        md.AppendLine("| strategy | basis | requests/job | lateness | frontier's lateness at these requests | lateness ÷ frontier | frontier's requests at this lateness | extra requests |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (ParetoPosition p in w.Pareto.Positions)
        {
            string basis = p.Basis + (p.UsesServerHelp ? " (reads hints or long-polls: not bound by the frontier)" : "");
            Line($"| {p.Name} | {basis} | {p.Requests:0.00} | {Ms(p.LatenessMs)} | {Ms(p.FrontierLatenessMs)} | {Ratio(p.LatenessOverFrontier)} | {Num(p.FrontierRequests)} | {Signed(p.ExtraRequests)} |");
        }

        md.AppendLine();
        md.AppendLine("Frontier: " + string.Join(", ", FrontierSteps.Where(r => r >= w.Pareto.Frontier.Points[0].Requests - 1e-9).Select(r =>
            FormattableString.Invariant($"{r:0.#} requests → {Ms(w.Pareto.Frontier.LatenessAt(r))}"))) + ".");
        md.AppendLine();
        foreach (DominanceCheck? d in new[] { w.Pareto.Distribution, w.Pareto.Measured })
        {
            if (d is null)
            {
                continue;
            }

            Line($"Dominating both originals ({d.Basis} figures) needs ≤ {d.MaxRequests:0.00} requests and ≤ {Ms(d.MaxLatenessMs)}: the frontier's least lateness at {d.MaxRequests:0.00} requests is {Ms(d.FrontierLatenessMs)}, and {Ms(d.MaxLatenessMs)} needs {Num(d.FrontierRequests)} requests — **{(d.Feasible ? "feasible" : "infeasible")}**.");
        }

        md.AppendLine();
        return md.ToString();
    }

    private static readonly double[] FrontierSteps = [2, 2.5, 3, 3.5, 4, 5, 6, 8, 10, 15, 25];

    private static string Ratio(double value) => double.IsFinite(value) ? value.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";

    private static string Num(double value) => double.IsFinite(value) ? value.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string Signed(double value) => double.IsFinite(value) ? value.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) : "–";

    /// <summary>The soak's tables (also what docs/reliability.md's Soak section shows).</summary>
    public static string SoakTables(SoakSection soak)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        FaultSettings f = soak.Faults;
        Line($"### Soak ({soak.Rounds} rounds × {soak.JobsPerRound} jobs waited at once by one client, jobs {soak.DelayMin:0.0#}–{soak.DelayMax:0.0#} s, {soak.ErrorShare:P0} end in error, {f.Total:P0} of status requests faulted)");
        md.AppendLine();
        Line($"Faults: `{f.Switches}`; client: request timeout {soak.Client.RequestTimeoutSeconds:0.#} s, MaxWait {soak.Client.MaxWaitSeconds:0} s, jobs split over {string.Join(", ", soak.Client.Strategies)} (one WaitForAllAsync each, side by side); server: {soak.Server}.");
        md.AppendLine();
        md.AppendLine("| round | jobs | right | changes exactly once, in order | OnJobFinished once | saw pending | requests | faults injected (500/503/429/drop/slow) | client retried (500/503/429/conn/timeout) | wait | sockets (TCP est./close-wait) | threads | managed | RSS |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        ResourceSample b = soak.Client.Before;
        Line($"| before | | | | | | | | | | {b.Sockets} ({b.TcpEstablished}/{b.TcpCloseWait}) | {b.Threads} | {b.ManagedMb:0.0} MB | {b.RssMb:0} MB |");
        foreach (SoakRound r in soak.Client.Rounds)
        {
            long I(string kind) => r.Injected.GetValueOrDefault(kind);
            long C(string kind) => r.ClientFailures.GetValueOrDefault(kind);
            ResourceSample x = r.Resources;
            Line($"| {r.Round}{(r.Round == 1 ? " (warm-up)" : "")} | {r.Jobs} | {r.Correct} | {r.SequencesRight} | {r.FinishedOnce} | {r.SawPending} | {r.Requests} | {I("internalError")}/{I("serviceUnavailable")}/{I("tooManyRequests")}/{I("dropConnection")}/{I("slow")} | {C("http500")}/{C("http503")}/{C("http429")}/{C("connection")}/{C("timeout")}{(C("other") > 0 ? $" (+{C("other")} other)" : "")} | {r.WaitSeconds:0.0} s | {x.Sockets} ({x.TcpEstablished}/{x.TcpCloseWait}) | {x.Threads} | {x.ManagedMb:0.0} MB | {x.RssMb:0} MB |");
        }

        md.AppendLine();
        Line($"Injected over the whole run (GET /admin/faults): {string.Join(", ", soak.InjectedTotal.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}"))}.");
        Line($"Requests accounted for in {soak.Client.Rounds.Count(r => r.RequestsAccountedFor)} of {soak.Client.Rounds.Count} rounds: the client's checks = the server's status answers + injected 500, 503, 429 and drops + the client's timeouts ({soak.Client.Rounds.Sum(r => r.Requests)} = {soak.Client.Rounds.Sum(r => r.ServerStatusAnswers)} + {soak.Client.Rounds.Sum(r => r.Injected.GetValueOrDefault("internalError") + r.Injected.GetValueOrDefault("serviceUnavailable") + r.Injected.GetValueOrDefault("tooManyRequests") + r.Injected.GetValueOrDefault("dropConnection"))} + {soak.Client.Rounds.Sum(r => r.ClientFailures.GetValueOrDefault("timeout"))} over the run).");
        int early = soak.Client.Rounds.Sum(r => r.ServedEarly);
        Line($"Simulator: {early} of {soak.Client.Rounds.Sum(r => r.Jobs)} jobs had their final result first served before their own `completedAt` (`resultFirstServedAt` < `completedAt` in GET /jobs/{{id}}), by up to {(early == 0 ? 0 : soak.Client.Rounds.Max(r => r.ServedEarlyMaxMs)):0.0} ms.");
        md.AppendLine();
        md.AppendLine("| resource (after a forced full GC) | round " + (soak.Growth.Count > 0 ? soak.Growth[0].BaselineRound.ToString(CultureInfo.InvariantCulture) : "–") + " | last round | max | tolerance | verdict |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (ResourceVerdict v in soak.Growth)
        {
            Line($"| {v.Resource} | {v.Baseline} | {v.Last} | {v.Max} | {v.Tolerance} (limit {v.Limit}) | {(v.Pass ? "no growth" : "**grew**")}{(soak.GrowthAsserted ? "" : " (reported only)")} |");
        }

        md.AppendLine();
        Line($"Correctness: {(soak.AllCorrect ? "every final state right, every change delivered exactly once and in order, OnJobFinished once per job" : $"**{soak.CorrectnessFailures} failures**")}.");
        foreach (string failure in soak.Client.Rounds.SelectMany(r => r.Failures).Take(10))
        {
            md.AppendLine("- " + failure);
        }

        md.AppendLine();
        return md.ToString();
    }

    private static string Server(ServerKind kind) => kind switch
    {
        ServerKind.Original => "hints off",
        ServerKind.Accurate => "hints accurate, long-poll",
        ServerKind.Noisy => "hints noisy",
        ServerKind.HeyGen => "HeyGen-shaped (no hints, no long-poll)",
        _ => kind.ToString(),
    };

    private static string Ms(double ms) => double.IsNaN(ms)
        ? "–"
        : ms >= 1000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : ms >= 10 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
