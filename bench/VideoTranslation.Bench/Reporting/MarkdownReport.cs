using System.Globalization;
using System.Text;
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
        Line($"Command: `{report.Command}`");
        md.AppendLine();

        if (report.Strategies is { } s)
        {
            Line($"### Strategies ({s.JobsPerStrategy} jobs each, created over {s.StaggerSeconds:0.#} s side by side; {s.ErrorShare:P0} end in error)");
            md.AppendLine();
            md.AppendLine("| strategy | server | correct | requests/job mean | p99 | lateness mean | p50 | p99 | mean lateness / job duration |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (StrategyRow r in s.Rows)
            {
                Line($"| {r.Name} | {Server(r.Server)} | {r.Correct}/{r.Jobs} | {r.Requests.Mean:0.00} | {r.Requests.P99:0.#} | {Ms(r.LatenessMs.Mean)} | {Ms(r.LatenessMs.P50)} | {Ms(r.LatenessMs.P99)} | {r.MeanLatenessPercentOfDuration:0.0} % |");
            }

            md.AppendLine();
            Line($"Every row first waited on the same {s.WarmupJobs} warm-up jobs (not counted); Learned started with {s.LearnedHistoryAtStart} durations in its history.");
            md.AppendLine();
            md.AppendLine("The original's loops computed on the same planned delays with instant answers (no network, no clock):");
            md.AppendLine();
            md.AppendLine("| strategy | requests/job mean | p99 | lateness mean | p50 | p99 | mean lateness / job duration |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (AnalyticRow r in s.Analytic)
            {
                Line($"| {r.Name} | {r.Requests.Mean:0.00} | {r.Requests.P99:0.#} | {Ms(r.LatenessMs.Mean)} | {Ms(r.LatenessMs.P50)} | {Ms(r.LatenessMs.P99)} | {r.MeanLatenessPercentOfDuration:0.0} % |");
            }

            md.AppendLine();
            md.AppendLine("Servers: " + string.Join("; ", s.Servers.Select(p => $"{Server(p.Key)} = {p.Value}")) + ".");
            md.AppendLine();
        }

        if (report.Scale is { } scale)
        {
            Line($"### Scale ({scale.Jobs} concurrent waits in one client process, jobs {scale.DelayMin:0.#}–{scale.DelayMax:0.#} s, {scale.Server})");
            md.AppendLine();
            md.AppendLine("| strategy | correct | create | wait (wall) | requests/job | CPU | CPU per 1,000 requests | peak RSS | peak threads | in-flight cap |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (ScaleRow r in scale.Rows)
            {
                Line($"| {r.Strategy} | {r.Correct}/{r.Jobs} | {r.CreateSeconds:0.0} s | {r.WaitSeconds:0.0} s | {r.RequestsPerJob:0.00} | {r.CpuSeconds:0.0} s | {r.CpuMsPer1000Requests:0} ms | {r.PeakRssMb:0} MB | {r.PeakThreads} | {r.MaxConcurrency} |");
            }

            md.AppendLine();
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
        _ => kind.ToString(),
    };

    private static string Ms(double ms) => double.IsNaN(ms)
        ? "–"
        : ms >= 1000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : ms >= 10 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
