using System.Globalization;

namespace VideoTranslation.Bench.Analysis;

/// <summary>
/// One case's detection lateness two ways over the same waits: the benchmark's (the final answer's
/// <c>ObservedAt</c> − the server's <c>completedAt</c> from <c>GET /jobs/{id}</c>, per measured job) and the library's
/// metric <c>video_translation.detection.lateness</c> (the same <c>ObservedAt</c> − the <c>completedAt</c> of the status
/// answer itself, which the simulator gives as the same instant). Milliseconds.
/// </summary>
/// <param name="Available">False when the server does not say when a job ended and the metric recorded nothing (HeyGen).</param>
/// <param name="BenchJobs">Jobs the benchmark measured (those with the right final state).</param>
/// <param name="MetricMeasurements">Measurements the metric recorded for the case's measured waits.</param>
/// <param name="MaxDifferenceMs">
/// The largest difference between the two, each sorted (the metric has no job id); when every job's two values are
/// within d of each other, so are the sorted ones. NaN when the counts differ.
/// </param>
/// <param name="BenchBelowZero">Jobs the benchmark saw end before their completedAt: the metric clamps those at 0, and so does the comparison.</param>
public sealed record LatenessCrossCheck(
    bool Available,
    int BenchJobs,
    int MetricMeasurements,
    double BenchSumMs,
    double MetricSumMs,
    double BenchMeanMs,
    double MetricMeanMs,
    double MaxDifferenceMs,
    int BenchBelowZero,
    bool Agrees,
    string Verdict)
{
    /// <summary>
    /// How far the two may differ per job: both are the same two instants (ObservedAt, and completedAt in ticks in
    /// both answers), so only the rounding of a double differs; 1 µs is far above that and far below a millisecond.
    /// </summary>
    public const double ToleranceMs = 0.001;

    public const string NotSaid = "none: the server does not say when a job ended, so the library records no lateness";

    /// <summary>Compares the benchmark's latenesses (ms, one per measured job) with the metric's measurements (s).</summary>
    /// <param name="serverSaysCompletedAt">Whether the server's status answers say when a job ended (every simulator mode but HeyGen's).</param>
    /// <param name="unmeasured">
    /// Waits that ended with a result the benchmark did not measure (a wrong final state): the metric records them too,
    /// and without a job id they cannot be told apart, so such a case is named as the reason and does not agree.
    /// </param>
    public static LatenessCrossCheck Compare(IReadOnlyList<double> benchMs, IReadOnlyList<double> metricSeconds, bool serverSaysCompletedAt, int unmeasured = 0)
    {
        ArgumentNullException.ThrowIfNull(benchMs);
        ArgumentNullException.ThrowIfNull(metricSeconds);
        double[] bench = benchMs.Select(v => Math.Max(0, v)).Order().ToArray();
        double[] metric = metricSeconds.Select(v => v * 1000).Order().ToArray();
        int belowZero = benchMs.Count(v => v < 0);
        double benchSum = bench.Sum(), metricSum = metric.Sum();
        double benchMean = bench.Length == 0 ? double.NaN : benchSum / bench.Length;
        double metricMean = metric.Length == 0 ? double.NaN : metricSum / metric.Length;
        LatenessCrossCheck Result(bool available, double maxDifference, bool agrees, string verdict) =>
            new(available, bench.Length, metric.Length, benchSum, metricSum, benchMean, metricMean, maxDifference, belowZero, agrees, verdict);

        if (metric.Length == 0 && !serverSaysCompletedAt)
        {
            return Result(false, double.NaN, true, NotSaid);
        }

        if (unmeasured > 0 && metric.Length == bench.Length + unmeasured)
        {
            return Result(true, double.NaN, false, F($"cannot compare: the metric's {metric.Length} latenesses include the {unmeasured} waits the benchmark did not measure (a wrong final state: see the row's failures)"));
        }

        if (metric.Length != bench.Length)
        {
            return Result(true, double.NaN, false, F($"disagree: the metric recorded {metric.Length} latenesses for the {bench.Length} jobs the benchmark measured"));
        }

        double max = bench.Zip(metric, (b, m) => Math.Abs(b - m)).DefaultIfEmpty(0).Max();
        return max <= ToleranceMs
            ? Result(true, max, true, F($"agree: {metric.Length} measurements, each within {ToleranceMs} ms"))
            : Result(true, max, false, F($"disagree: {metric.Length} measurements, differing by up to {max:0.###} ms (more than {ToleranceMs} ms)"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
