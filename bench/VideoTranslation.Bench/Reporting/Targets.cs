using System.Globalization;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>Issue 5's targets, checked against one run's figures (reported, never asserted by the tests).</summary>
internal static class Targets
{
    public const double QuickBudgetSeconds = 60;
    public const double FullBudgetSeconds = 600;

    public static List<TargetCheck> Check(BenchMode mode, double wallSeconds, StrategySection? strategies, ScaleSection? scale, SoakSection? soak, ThroughputSection? throughput)
    {
        var checks = new List<TargetCheck>();
        if (strategies is not null)
        {
            StrategyRows(strategies.Rows, checks);
        }

        if (scale is not null)
        {
            foreach (ScaleRow row in scale.Rows)
            {
                checks.Add(new("scale", $"{row.Strategy}: all {row.Jobs} waits correct", F($"{row.Correct}/{row.Jobs}"), row.Correct == row.Jobs));
                checks.Add(new("scale", $"{row.Strategy}: peak RSS ≤ 200 MB", F($"{row.PeakRssMb:0} MB"), row.PeakRssMb <= 200));
                checks.Add(new("scale", $"{row.Strategy}: threads ≤ 64", F($"{row.PeakThreads}"), row.PeakThreads <= 64));
            }
        }

        if (soak is not null)
        {
            int jobs = soak.Client.Rounds.Sum(r => r.Jobs);
            checks.Add(new("soak", $"every final state right ({soak.Rounds} rounds × {soak.JobsPerRound} jobs, {soak.Faults.Total:P0} transient faults)",
                F($"{soak.Client.Rounds.Sum(r => r.Correct)}/{jobs}"), soak.Client.Rounds.Count == soak.Rounds && soak.Client.Rounds.All(r => r.Correct == r.Jobs)));
            checks.Add(new("soak", "every status change delivered exactly once, in order; OnJobFinished once per job",
                F($"{soak.Client.Rounds.Sum(r => r.SequencesRight)}/{jobs} sequences, {soak.Client.Rounds.Sum(r => r.FinishedOnce)}/{jobs} finished once"),
                soak.AllCorrect));
            foreach (ResourceVerdict v in soak.Growth)
            {
                checks.Add(new("soak", F($"no growth in {v.Resource}: last round ≤ round {v.BaselineRound} {v.Tolerance}{(soak.GrowthAsserted ? "" : " (reported only in quick mode)")}"),
                    F($"{v.Baseline} → {v.Last} (limit {v.Limit}, max {v.Max})"), v.Pass));
            }
        }

        if (throughput is not null)
        {
            checks.Add(new("throughput", "simulator ≥ 0.8 × bare Kestrel (req/s)", F($"{throughput.Ratio:0.00}"), throughput.Ratio >= 0.8));
        }

        double budget = mode == BenchMode.Full ? FullBudgetSeconds : QuickBudgetSeconds;
        checks.Add(new("run", F($"{mode} mode < {budget:0} s"), F($"{wallSeconds:0} s"), wallSeconds < budget));
        return checks;
    }

    private static void StrategyRows(IReadOnlyList<StrategyRow> rows, List<TargetCheck> checks)
    {
        StrategyRow? Row(string name) => rows.FirstOrDefault(r => r.Name == name);

        foreach (StrategyRow row in rows)
        {
            checks.Add(new("strategies", $"{row.Name}: every final state correct", F($"{row.Correct}/{row.Jobs}"), row.Correct == row.Jobs));
        }

        if (Row("LongPoll") is { } longPoll)
        {
            checks.Add(new("strategies", "LongPoll ≤ 2 requests/job and p99 lateness ≤ 20 ms",
                F($"{longPoll.Requests.Mean:0.00} req, p99 {longPoll.LatenessMs.P99:0.0} ms"),
                longPoll.Requests.Mean <= 2 && longPoll.LatenessMs.P99 <= 20));
        }

        if (Row("Adaptive, accurate hints") is { } adaptive)
        {
            checks.Add(new("strategies", "Adaptive (accurate hints) ≤ 3 requests/job and p99 lateness ≤ 100 ms",
                F($"{adaptive.Requests.Mean:0.00} req, p99 {adaptive.LatenessMs.P99:0.0} ms"),
                adaptive.Requests.Mean <= 3 && adaptive.LatenessMs.P99 <= 100));
        }

        StrategyRow? originalFixed = rows.FirstOrDefault(r => !r.Ours && r.Name.Contains("fixed", StringComparison.OrdinalIgnoreCase));
        StrategyRow? originalExponential = rows.FirstOrDefault(r => !r.Ours && r.Name.Contains("exponential", StringComparison.OrdinalIgnoreCase));
        if (Row("Learned, no hints") is { } learned && originalExponential is not null)
        {
            double share = learned.LatenessMs.Mean / originalExponential.LatenessMs.Mean;
            checks.Add(new("strategies", "Learned (no hints, after warm-up) ≤ 8 requests/job and mean lateness ≤ 15 % of the original exponential's",
                F($"{learned.Requests.Mean:0.00} req, mean {learned.LatenessMs.Mean:0} ms = {share:P0} of {originalExponential.LatenessMs.Mean:0} ms"),
                learned.Requests.Mean <= 8 && share <= 0.15));
        }

        if (originalFixed is null || originalExponential is null)
        {
            return;
        }

        foreach (StrategyRow row in rows.Where(r => r.Ours))
        {
            string? beaten = Dominates(row, originalFixed) ? originalFixed.Name : Dominates(row, originalExponential) ? originalExponential.Name : null;
            checks.Add(new("strategies", $"{row.Name}: as good as an original on one axis, better on the other (means, 5 % margin)",
                beaten is null
                    ? F($"{row.Requests.Mean:0.0} req, {row.LatenessMs.Mean:0} ms: beats neither original")
                    : F($"{row.Requests.Mean:0.0} req, {row.LatenessMs.Mean:0} ms: beats {beaten}"),
                beaten is not null));
        }
    }

    // Measured means carry noise: "better" is at least 5 % lower, "as good" at most 5 % higher. The same loop run
    // twice (our Fixed and the original's fixed) is then as good, never better.
    private const double Margin = 0.05;

    private static bool Dominates(StrategyRow ours, StrategyRow original)
    {
        bool Better(double a, double b) => a <= b * (1 - Margin);
        bool AsGood(double a, double b) => a <= b * (1 + Margin);
        return (AsGood(ours.Requests.Mean, original.Requests.Mean) && Better(ours.LatenessMs.Mean, original.LatenessMs.Mean)) ||
               (Better(ours.Requests.Mean, original.Requests.Mean) && AsGood(ours.LatenessMs.Mean, original.LatenessMs.Mean));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
