using VideoTranslation.Bench.Analysis;

namespace VideoTranslation.Bench.Tests;

/// <summary>The oracle frontier on distributions whose best schedules are known exactly.</summary>
public sealed class FrontierTests
{
    [Fact]
    public void Two_durations_are_best_checked_at_each_one()
    {
        // Half the jobs take 1 s, half 10 s. One check after the first, at 10 s: 2 requests, the 1-s jobs 9 s late.
        // A check at 1 s, then at 10 s: 2.5 requests (the 10-s jobs need the third), nobody late.
        double[] durations = [.. Enumerable.Repeat(1.0, 500), .. Enumerable.Repeat(10.0, 500)];

        FrontierCurve frontier = Frontier.Compute(durations, quantilePoints: 50, timePoints: 50, minGapSeconds: 0.1);

        Assert.Equal(2, frontier.Points[0].Requests, precision: 9);
        Assert.Equal(4500, frontier.Points[0].LatenessMs, precision: 6);
        Assert.Equal(0, frontier.LatenessAt(2.5), precision: 6);
        Assert.Equal(2250, frontier.LatenessAt(2.25), precision: 6);
        Assert.Equal(2.25, frontier.RequestsAt(2250), precision: 6);
        Assert.True(double.IsNaN(frontier.LatenessAt(1.5)));
        Assert.Equal([0, 1, 10], frontier.Points[^1].FirstChecksSeconds);
    }

    [Fact]
    public void No_fixed_interval_schedule_beats_the_frontier()
    {
        // Durations spread evenly over (0, 10] s; every fixed interval is a time-only schedule, so none may lie below it.
        double[] durations = Enumerable.Range(1, 10_000).Select(i => i / 1000.0).ToArray();
        FrontierCurve frontier = Frontier.Compute(durations, quantilePoints: 400, timePoints: 400, minGapSeconds: 0.1);

        foreach (double interval in new[] { 0.25, 0.5, 1, 2, 5 })
        {
            (double[] requests, double[] lateness) = OriginalLoops.Run(durations, _ => interval);
            double r = requests.Average(), l = lateness.Average();
            Assert.True(frontier.LatenessAt(r) <= l * 1.001, $"fixed {interval} s: {r:0.000} requests, {l:0.0} ms; the frontier {frontier.LatenessAt(r):0.0} ms");
        }
    }
}
