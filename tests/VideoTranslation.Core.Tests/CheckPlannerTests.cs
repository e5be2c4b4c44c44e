using System.Globalization;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>The check plan Learned waits by: the least-lateness schedule within a request budget, its tail and its cost.</summary>
public class CheckPlannerTests
{
    private static readonly Uri Server = new("http://plan.test/");

    private static CheckPlan Exact(double budget, params double[] seconds)
    {
        double[] w = seconds.Select(_ => 1.0 / seconds.Length).ToArray();
        return CheckPlanner.Make(seconds, seconds, w, budget, CheckPlanner.MinGapSeconds);
    }

    private static double Draw(string workload, Random random)
    {
        double Normal() => Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
        switch (workload)
        {
            case "uniform":
                return 15 + (15 * random.NextDouble());
            case "lognormal":
                return 2 * Math.Exp(Normal());
            default:
                while (true)
                {
                    double x = 3 + (1.5 * Normal());
                    if (x > 0)
                    {
                        return x;
                    }
                }
        }
    }

    /// <summary>Requests and lateness of a job of <paramref name="d"/> s: checks at 0, then each next one <paramref name="next"/> gives.</summary>
    private static (int Requests, double Lateness) Follow(double d, Func<double, double> next)
    {
        double t = 0;
        int requests = 1;
        while (t < d)
        {
            t = next(t);
            requests++;
        }

        return (requests, t - d);
    }

    // The original client's exponential loop: 1 s, doubling, at most 60 s.
    private static double OriginalExponential(double t)
    {
        double at = 0, gap = 1;
        while (at <= t)
        {
            at += gap;
            gap = Math.Min(gap * 2, 60);
        }

        return at;
    }

    private static double P99(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1];
    }

    [Fact]
    public void All_durations_equal_is_one_check_at_that_time()
    {
        CheckPlan plan = Exact(8, Enumerable.Repeat(7.0, 50).ToArray());
        Assert.Equal([7.0], plan.Checks);
        Assert.Equal(2, plan.ExpectedRequests, precision: 9);
        Assert.Equal(0, plan.ExpectedLateness, precision: 9);
    }

    [Fact]
    public void Two_points_are_both_checked_when_the_budget_allows_and_only_the_later_when_not()
    {
        // Half at 10 s, half at 20 s: checks at 10 and 20 cost 1 + 1 + ½ = 2.5 requests and no lateness; with fewer
        // requests allowed the one check at 20 s (2 requests) makes the jobs at 10 s wait 10 s: 5 s on average.
        double[] durations = [10, 10, 20, 20];
        CheckPlan both = Exact(3, durations);
        Assert.Equal([10.0, 20.0], both.Checks);
        Assert.Equal(2.5, both.ExpectedRequests, precision: 9);
        Assert.Equal(0, both.ExpectedLateness, precision: 9);

        CheckPlan one = Exact(2.2, durations);
        Assert.Equal([20.0], one.Checks);
        Assert.Equal(2, one.ExpectedRequests, precision: 9);
        Assert.Equal(5, one.ExpectedLateness, precision: 9);
    }

    [Fact]
    public void An_interval_is_checked_across_and_up_to_its_end()
    {
        CheckPlan plan = CheckPlanner.Make([10], [30], [1], 4, CheckPlanner.MinGapSeconds);
        Assert.True(plan.Checks.Length >= 2, string.Join(", ", plan.Checks));
        Assert.All(plan.Checks, t => Assert.InRange(t, 10, 30));
        Assert.Equal(30, plan.Checks[^1], precision: 9);
        Assert.True(plan.ExpectedRequests <= 4);
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("lognormal")]
    [InlineData("gaussian")]
    public void On_a_sampled_history_it_makes_fewer_requests_than_the_original_exponential_with_less_lateness(string workload)
    {
        // The plan from 256 durations, then followed on 20,000 fresh ones of the same distribution (seeded).
        var random = new Random(workload.Length);
        var history = new DurationHistory();
        for (int i = 0; i < 256; i++)
        {
            history.Add(Server, Sec(Draw(workload, random)));
        }

        CheckPlan plan = history.GetPlan(Server, LearnedStrategy.DefaultChecksPerJob, 5)!;
        double[] fresh = Enumerable.Range(0, 20_000).Select(_ => Draw(workload, random)).ToArray();
        var ours = fresh.Select(d => Follow(d, t => plan.Next(t, 0.01))).ToArray();
        var original = fresh.Select(d => Follow(d, OriginalExponential)).ToArray();

        string seen = $"{workload}: {ours.Average(o => o.Requests):0.000} requests, {ours.Average(o => o.Lateness):0.000} s (p99 {P99(ours.Select(o => o.Lateness)):0.00} s) " +
            $"against {original.Average(o => o.Requests):0.000}, {original.Average(o => o.Lateness):0.000} s (p99 {P99(original.Select(o => o.Lateness)):0.00} s); plan {string.Join(", ", plan.Checks.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))}";
        Assert.True(plan.ExpectedRequests <= plan.Budget + 1e-9, seen);
        Assert.True(ours.Average(o => o.Requests) <= original.Average(o => o.Requests), seen);
        Assert.True(ours.Average(o => o.Lateness) < 0.8 * original.Average(o => o.Lateness), seen);
        Assert.True(P99(ours.Select(o => o.Lateness)) <= P99(original.Select(o => o.Lateness)), seen);
    }

    [Fact]
    public void Past_the_plan_the_gap_grows_by_half_each_check_up_to_the_longest_duration_and_stays_there()
    {
        CheckPlan plan = Exact(8, 10, 12, 14, 16, 18, 20);
        Assert.Equal(20, plan.Checks[^1], precision: 9);
        Assert.Equal(20, plan.TailCap, precision: 9);

        var times = new List<double> { plan.Checks[^1] };
        while (times[^1] < 400)
        {
            times.Add(plan.Next(times[^1], 0.01));
        }

        double[] gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        double lastPlanned = plan.Checks.Length > 1 ? plan.Checks[^1] - plan.Checks[^2] : plan.Checks[0];
        Assert.Equal(Math.Min(lastPlanned * 1.5, 20), gaps[0], precision: 6);
        for (int i = 1; i < gaps.Length; i++)
        {
            Assert.True(gaps[i] >= gaps[i - 1] - 1e-9 && gaps[i] <= (gaps[i - 1] * 1.5) + 1e-9 && gaps[i] <= 20 + 1e-9, string.Join(", ", gaps));
        }

        Assert.Equal(20, gaps[^1], precision: 6);

        // A day past the plan: still the cap, found without walking the day.
        double dayLater = plan.Next(86_400, 0.01);
        Assert.InRange(dayLater - 86_400, 0.01, 20 + 1e-6);
    }

    [Fact]
    public void The_plan_is_made_again_only_after_the_history_changes()
    {
        var history = new DurationHistory();
        foreach (double s in new double[] { 10, 12, 14, 16, 18, 20 })
        {
            history.Add(Server, Sec(s));
        }

        var strategy = new LearnedStrategy(history, fallback: new ExponentialStrategy(Sec(1), 2, Sec(8)));
        var pending = new TranslationStatus(TranslationState.Pending, "pending", TestClock.T0, Server);
        for (int i = 0; i < 100; i++)
        {
            strategy.GetNextDelay(new PollingContext(1 + (i % 5), Sec(i % 25), pending) { ServerUri = Server });
        }

        Assert.Equal(1, history.PlansMade(Server));
        history.Add(Server, Sec(22));
        Assert.Equal(1, history.PlansMade(Server)); // made when asked for, not on Add
        for (int i = 0; i < 100; i++)
        {
            strategy.GetNextDelay(new PollingContext(1, Sec(i % 25), pending) { ServerUri = Server });
        }

        Assert.Equal(2, history.PlansMade(Server));
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(256, 0.5)]
    [InlineData(100_000, 0)]
    [InlineData(20_000, 0.5)]
    public void A_plans_work_is_bounded_by_its_grid_and_bins_not_its_durations(int count, double width)
    {
        var random = new Random(count);
        var history = new DurationHistory(capacityPerServer: 100_000);
        for (int i = 0; i < count; i++)
        {
            history.Add(Server, Sec(Draw("lognormal", random)), Sec(width * (1 + random.NextDouble())));
        }

        CheckPlan plan = history.GetPlan(Server, 8, 5)!;
        long grid = CheckPlanner.QuantilePoints + CheckPlanner.EvenPoints + 2;
        long programme = (CheckPlanner.Bisections + 1) * grid * grid / 2;
        long fit = width == 0 ? 0 : 2L * DurationDensity.Bins * count * DurationDensity.Rounds;
        Assert.True(plan.Work <= programme + fit, $"{plan.Work:N0} steps for {count:N0} durations; bound {programme + fit:N0}");
        Assert.True(plan.Work > 0);
    }

    [Fact]
    public void A_plan_made_from_a_snapshot_is_kept_only_if_the_history_did_not_change_meanwhile()
    {
        // Plans are made outside the history's lock; one made while another wait added a duration is stale.
        var series = new DurationSeries(capacity: 16);
        foreach (double seconds in new[] { 10.0, 11, 12, 13, 14 })
        {
            series.Add(seconds, 0);
        }

        (double[] low, double[] high) = series.Intervals();
        long version = series.Version;
        CheckPlan plan = DurationSeries.MakePlan(low, high, LearnedStrategy.DefaultChecksPerJob);
        series.Add(40, 0);
        series.Keep(version, LearnedStrategy.DefaultChecksPerJob, plan);

        Assert.False(series.TryGetPlan(LearnedStrategy.DefaultChecksPerJob, out _));

        (low, high) = series.Intervals();
        version = series.Version;
        plan = DurationSeries.MakePlan(low, high, LearnedStrategy.DefaultChecksPerJob);
        series.Keep(version, LearnedStrategy.DefaultChecksPerJob, plan);

        Assert.True(series.TryGetPlan(LearnedStrategy.DefaultChecksPerJob, out CheckPlan? kept));
        Assert.Same(plan, kept);
        Assert.False(series.TryGetPlan(LearnedStrategy.DefaultChecksPerJob + 1, out _)); // made for another budget
    }
}
