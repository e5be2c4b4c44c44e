using System.Globalization;
using System.Text;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>
/// The benchmark's lateness against the library's metric (<see cref="LatenessCrossCheck"/>): a table per section, a line
/// for the console, a target per section, and the errors that fail the run when the two disagree.
/// </summary>
internal static class MetricLatenessReport
{
    /// <summary>Every case that was cross-checked, by section (strategies, heygen, scale) and name.</summary>
    public static IEnumerable<(string Section, string Case, LatenessCrossCheck Check)> Cases(StrategySection? strategies, StrategySection? heygen, ScaleSection? scale)
    {
        foreach ((string section, StrategySection? s) in new[] { ("strategies", strategies), ("heygen", heygen) })
        {
            foreach (WorkloadSection w in s?.Workloads ?? [])
            {
                foreach (StrategyRow r in w.Rows)
                {
                    if (r.MetricLateness is { } check)
                    {
                        yield return (section, $"{w.Key}, {r.Name}", check);
                    }
                }
            }
        }

        foreach (ScaleRow r in scale?.Rows ?? [])
        {
            if (r.MetricLateness is { } check)
            {
                yield return ("scale", r.Strategy, check);
            }
        }
    }

    /// <summary>One error per case whose two latenesses disagree: these fail the run.</summary>
    public static IReadOnlyList<string> Errors(StrategySection? strategies, StrategySection? heygen, ScaleSection? scale) =>
        Cases(strategies, heygen, scale).Where(c => !c.Check.Agrees)
            .Select(c => F($"{c.Section}: {c.Case}: lateness from the library's metric {c.Check.Verdict} (benchmark mean {c.Check.BenchMeanMs:0.###} ms over {c.Check.BenchJobs} jobs, metric mean {c.Check.MetricMeanMs:0.###} ms over {c.Check.MetricMeasurements})"))
            .ToArray();

    /// <summary>A target per section that was cross-checked: every case agrees (or has no metric lateness to compare).</summary>
    public static IEnumerable<TargetCheck> Targets(StrategySection? strategies, StrategySection? heygen, ScaleSection? scale) =>
        Cases(strategies, heygen, scale).GroupBy(c => c.Section).Select(g => new TargetCheck(
            g.Key,
            F($"lateness from the library's metric (video_translation.detection.lateness) = the benchmark's, every case: as many measurements as measured jobs, each within {LatenessCrossCheck.ToleranceMs} ms"),
            Summary(g.Select(c => c.Check).ToArray()),
            g.All(c => c.Check.Agrees)));

    /// <summary>E.g. "27/27 cases agree (max difference 0.000 ms)" or "8 cases: none (the server does not say …)".</summary>
    public static string Summary(IReadOnlyCollection<LatenessCrossCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        LatenessCrossCheck[] available = checks.Where(c => c.Available).ToArray();
        var parts = new List<string>();
        if (available.Length > 0)
        {
            double max = available.Select(c => c.MaxDifferenceMs).Max();
            parts.Add(F($"{available.Count(c => c.Agrees)}/{available.Length} cases agree ({available.Sum(c => c.MetricMeasurements)} measurements for {available.Sum(c => c.BenchJobs)} measured jobs, max difference {Ms(max)})"));
        }

        if (checks.Count > available.Length)
        {
            parts.Add(F($"{checks.Count - available.Length} cases: {LatenessCrossCheck.NotSaid}"));
        }

        return parts.Count == 0 ? "no case" : string.Join("; ", parts);
    }

    /// <summary>The Markdown table of one section's cases (or one line when none has a metric lateness).</summary>
    public static string Table(IEnumerable<(string Name, LatenessCrossCheck? Check)> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        (string Name, LatenessCrossCheck Check)[] rows = cases.Where(c => c.Check is not null).Select(c => (c.Name, c.Check!)).ToArray();
        var md = new StringBuilder();
        if (rows.Length == 0)
        {
            return md.ToString();
        }

        if (rows.All(r => !r.Check.Available))
        {
            md.AppendLine(F($"Lateness from the library's metrics: {LatenessCrossCheck.NotSaid} (the lateness above is the benchmark's alone, from GET /jobs/{{id}})."));
            md.AppendLine();
            return md.ToString();
        }

        md.AppendLine(F($"Lateness from the library's metrics (`video_translation.detection.lateness` through a MeterListener, over the same waits, against the benchmark's; they agree when the counts are equal and each sorted pair is within {LatenessCrossCheck.ToleranceMs} ms): {Summary(rows.Select(r => r.Check).ToArray())}."));
        md.AppendLine();
        md.AppendLine("| case | measured jobs | metric measurements | benchmark mean | metric mean | max difference | seen before completedAt | verdict |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach ((string name, LatenessCrossCheck c) in rows)
        {
            md.AppendLine(F($"| {name} | {c.BenchJobs} | {(c.Available ? c.MetricMeasurements.ToString(CultureInfo.InvariantCulture) : "–")} | {c.BenchMeanMs:0.000} ms | {(c.Available ? c.MetricMeanMs.ToString("0.000", CultureInfo.InvariantCulture) + " ms" : "–")} | {Ms(c.MaxDifferenceMs)} | {c.BenchBelowZero} | {(c.Agrees ? c.Verdict : "**" + c.Verdict + "**")} |"));
        }

        md.AppendLine();
        return md.ToString();
    }

    // A difference as it is: double rounding gives some 1e-13 ms, which "0.000 ms" would hide.
    private static string Ms(double difference) => double.IsNaN(difference) ? "–" : difference.ToString("G2", CultureInfo.InvariantCulture) + " ms";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
