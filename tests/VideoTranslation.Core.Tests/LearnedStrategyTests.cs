using System.Net;
using System.Text.Json;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>The strategy that plans checks from durations seen before, and what it learns from each wait.</summary>
public class LearnedStrategyTests
{
    // Without jitter, so request times are exact: 1 s, 2 s, 4 s, 8 s, 8 s …
    private static ExponentialStrategy ExactFallback => new(Sec(1), 2, Sec(8));

    private static readonly Uri Server = FakeServer.BaseUri;

    private static DurationHistory HistoryOf(params double[] seconds)
    {
        var history = new DurationHistory();
        foreach (double s in seconds)
        {
            history.Add(Server, Sec(s));
        }

        return history;
    }

    // A server without long-poll unless setUp offers it.
    private static Task<JobWait> Run(PollingStrategy strategy, double seconds, Uri? baseUri = null, Action<FakeServer>? setUp = null) =>
        WaitForJob(
            seconds,
            Exact(strategy, TimeSpan.FromHours(1)),
            s =>
            {
                s.LongPollMaxSeconds = null;
                setUp?.Invoke(s);
            },
            baseUri: baseUri);

    /// <summary>Request times in whole milliseconds (plan points can be quantiles found by bisection, to far below a millisecond).</summary>
    private static double[] TimesMs(Harness h) => h.RequestTimes.Select(t => Math.Round(t)).ToArray();

    /// <summary>The entries of one server in a saved history: (seconds, uncertainty) pairs, oldest first.</summary>
    private static (double Seconds, double Uncertainty)[] Saved(DurationHistory history, Uri server)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vt-learned-{Guid.NewGuid():N}.json");
        try
        {
            history.Save(path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            string key = server.GetLeftPart(UriPartial.Path);
            return doc.RootElement.GetProperty("servers").GetProperty(key).EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Array ? (e[0].GetDouble(), e[1].GetDouble()) : (e.GetDouble(), double.NaN))
                .ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Without_history_it_makes_exactly_the_fallbacks_requests()
    {
        var (learned, _, _) = await Run(new LearnedStrategy(new DurationHistory(), fallback: ExactFallback), 10);
        var (plain, _, _) = await Run(ExactFallback, 10);
        using (learned)
        using (plain)
        {
            Assert.Equal([0, 1_000, 3_000, 7_000, 15_000], plain.RequestTimes);
            Assert.Equal(plain.RequestTimes, learned.RequestTimes);
        }
    }

    [Fact]
    public async Task With_fewer_durations_than_MinimumHistory_it_is_still_the_fallback()
    {
        var history = HistoryOf(10, 12, 14, 16);
        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback, minimumHistory: 5), 10);
        using (h)
        {
            Assert.Equal([0, 1_000, 3_000, 7_000, 15_000], h.RequestTimes);
        }
    }

    [Fact]
    public async Task With_enough_history_it_checks_at_the_planned_times()
    {
        // Exact durations 10 … 20 s: the least-lateness plan within 4 requests per job checks only where jobs ended
        // and last at the longest; the wait follows it until its job (16 s) is seen.
        var history = HistoryOf(10, 12, 14, 16, 18, 20);
        double[] plan = history.GetPlan(Server, 4, 5)!.Checks;
        Assert.All(plan, t => Assert.Contains(new double[] { 10, 12, 14, 16, 18, 20 }, d => Math.Abs(d - t) < 1e-6));
        Assert.Equal(20, plan[^1], precision: 6);
        Assert.True(history.GetPlan(Server, 4, 5)!.ExpectedRequests <= 4);

        var (h, job, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback, minimumHistory: 5), 16);
        using (h)
        {
            double[] expected = [0, .. plan.TakeWhile(t => t < 15.999).Select(t => Math.Round(t * 1000)), Math.Round(plan.First(t => t >= 15.999) * 1000)];
            Assert.Equal(expected, TimesMs(h));
            Assert.Equal(plan.First(t => t >= 15.999) - 16, job.Lateness!.Value.TotalSeconds, precision: 3);
        }
    }

    [Fact]
    public async Task Past_the_longest_duration_seen_the_gap_grows_by_half_each_check_up_to_that_duration()
    {
        var history = HistoryOf(10, 12, 14, 16, 18, 20);
        double[] plan = history.GetPlan(Server, 4, 5)!.Checks;
        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback, minimumHistory: 5), 120);
        using (h)
        {
            // After the last planned check (20 s) each gap is 1.5 times the one before, from the last planned gap, up
            // to 20 s (the longest duration seen), then 20 s.
            double[] times = TimesMs(h).Select(t => t / 1000).SkipWhile(t => t < 20).ToArray();
            double[] gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
            double lastPlanned = plan.Length > 1 ? plan[^1] - plan[^2] : plan[0];
            Assert.Equal(Math.Min(1.5 * lastPlanned, 20), gaps[0], precision: 2);
            for (int i = 1; i < gaps.Length; i++)
            {
                Assert.Equal(Math.Min(1.5 * gaps[i - 1], 20), gaps[i], precision: 2);
            }

            Assert.Equal(20, gaps[^1], precision: 2);
        }
    }

    [Fact]
    public async Task A_job_far_longer_than_anything_seen_is_found_at_most_one_longest_duration_late()
    {
        // Past the plan the gap is capped at the longest duration seen (1.5 s): a job 400 times longer costs about
        // 400 checks and is at most 1.5 s late. (Before, gaps grew without bound: few checks, unbounded lateness.)
        var history = HistoryOf(1, 1.1, 1.2, 1.3, 1.4, 1.5);
        var (h, job, result) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback), 600);
        using (h)
        {
            Assert.Equal(TranslationState.Completed, result.State);
            Assert.True(job.Lateness!.Value.TotalSeconds <= 1.5 + 1e-3, $"{job.Lateness} late");
            Assert.InRange(result.Attempts, 600 / 1.5, (600 / 1.5) + 20);
        }
    }

    [Fact]
    public async Task A_coarse_duration_spreads_the_planned_checks_over_its_interval()
    {
        // Five jobs each seen to end somewhere in 10–30 s: the plan checks across that interval, last at its end.
        var history = new DurationHistory();
        for (int i = 0; i < 5; i++)
        {
            history.Add(Server, Sec(20), Sec(20));
        }

        double[] plan = history.GetPlan(Server, 4, 5)!.Checks;
        Assert.True(plan.Length >= 2, string.Join(", ", plan));
        Assert.All(plan, t => Assert.InRange(t, 10, 30));
        Assert.Equal(30, plan[^1], precision: 6);

        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback), 21);
        using (h)
        {
            double[] expected = [0, .. plan.TakeWhile(t => t < 21).Select(t => t * 1000), plan.First(t => t >= 21) * 1000];
            Assert.Equal(expected.Length, TimesMs(h).Length);
            Assert.All(expected.Zip(h.RequestTimes), p => Assert.Equal(p.First, p.Second, 1.0));
        }
    }

    [Fact]
    public void Exact_and_coarse_durations_mix()
    {
        // Four exact ends at 12 s and four somewhere in 20–28 s: a check right at 12 s, the rest over 20–28 s.
        var history = new DurationHistory();
        for (int i = 0; i < 4; i++)
        {
            history.Add(Server, Sec(12));
            history.Add(Server, Sec(24), Sec(8));
        }

        double[] plan = history.GetPlan(Server, 4, 5)!.Checks;
        Assert.Equal(12, plan[0], precision: 6);
        Assert.All(plan.Skip(1), t => Assert.InRange(t, 20, 28 + 1e-6));
        Assert.Equal(28, plan[^1], precision: 6);
    }

    [Fact]
    public async Task With_an_exact_history_of_the_workload_it_makes_fewer_checks_than_exponential_backoff_and_is_late_as_planned()
    {
        // The planner alone: every job gets a fresh history of 200 exact durations drawn from the same uniform
        // 15–30 s, so what earlier waits learned cannot disturb it. The 1 s doubling backoff takes 6 checks on it;
        // the plan keeps within 0.9 × that (5.4) and is about as late as it expects (the frontier has ≈ 0.86 s there).
        var random = new Random(11);
        var checks = new List<int>();
        var lateness = new List<double>();
        var expected = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            var history = new DurationHistory();
            for (int k = 0; k < 200; k++)
            {
                history.Add(Server, Sec(15 + (15 * random.NextDouble())));
            }

            expected.Add(history.GetPlan(Server, 10, 5)!.ExpectedLateness);
            var (h, job, result) = await Run(new LearnedStrategy(history, checksPerJob: 10, ExactFallback), 15 + (15 * random.NextDouble()));
            using (h)
            {
                checks.Add(result.Attempts);
                lateness.Add(job.Lateness!.Value.TotalSeconds);
            }
        }

        string seen = $"mean {checks.Average():0.00} checks, mean lateness {lateness.Average():0.000} s (planned {expected.Average():0.000} s), max {lateness.Max():0.000} s";
        Assert.True(checks.Average() <= 5.4 + 0.3, seen);
        Assert.InRange(expected.Average(), 0.7, 1.1);
        Assert.True(Math.Abs(lateness.Average() - expected.Average()) <= 0.25, seen);
        Assert.True(lateness.Max() <= 4.0, seen);
    }

    [Fact]
    public async Task After_a_20_job_warm_up_on_the_workload_checks_and_lateness_are_as_documented()
    {
        // The documented behaviour end to end: one history, learned from the waits themselves (no hints, no long-poll),
        // 20 warm-up jobs, then 200 jobs drawn from the same uniform 15–30 s.
        var random = new Random(1);
        var history = new DurationHistory();
        var fallback = new ExponentialStrategy(Sec(1), 1.5, Sec(5), 0.2, new Random(2)); // ExponentialStrategy.Default, seeded
        var strategy = new LearnedStrategy(history, fallback: fallback); // at most the default 8 checks per job
        var checks = new List<int>();
        var lateness = new List<double>();
        for (int i = 0; i < 220; i++)
        {
            var (h, job, result) = await Run(strategy, 15 + (15 * random.NextDouble()));
            using (h)
            {
                if (i >= 20)
                {
                    checks.Add(result.Attempts);
                    lateness.Add(job.Lateness!.Value.TotalSeconds);
                }
            }
        }

        // Fewer checks than the 1 s doubling backoff (6 on uniform 15–30 s, 8.5 s late on average), and late about as
        // the frontier is there (≈ 0.9 s at 5 requests), with room for durations learned coarser than the truth.
        string seen = $"mean {checks.Average():0.00} checks, mean lateness {lateness.Average():0.000} s, max {lateness.Max():0.000} s";
        Assert.True(checks.Average() < 6.0, seen);
        Assert.True(lateness.Average() <= 1.5, seen);
    }

    [Fact]
    public async Task A_finished_wait_records_the_midpoint_of_the_last_pending_and_the_final_check()
    {
        var history = new DurationHistory();
        var (h, _, _) = await Run(new LearnedStrategy(history, fallback: ExactFallback), 5);
        using (h)
        {
            // Checks at 0, 1, 3, 7: pending last at 3 s, completed at 7 s → 5 s ± 4 s.
            Assert.Equal([Sec(5)], history.GetDurations(Server));
            Assert.Equal([(5.0, 4.0)], Saved(history, Server));
        }
    }

    [Fact]
    public async Task A_job_ending_in_error_is_learned_too()
    {
        var history = new DurationHistory();
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("j", Sec(2), "error");

        var result = await h.Wait(Exact(new LearnedStrategy(history, fallback: ExactFallback)), "j");

        Assert.Equal(TranslationState.Error, result.State);
        Assert.Equal([Sec(2)], history.GetDurations(Server)); // 1 s … 3 s
    }

    [Fact]
    public async Task A_held_long_poll_answer_records_the_exact_time()
    {
        var history = new DurationHistory();
        var strategy = new LongPollStrategy(fallback: new LearnedStrategy(history, fallback: ExactFallback));
        var (h, _, result) = await Run(strategy, 15, setUp: b => b.LongPollMaxSeconds = 10);
        using (h)
        {
            // Held 0–10 s (pending), then 10–15 s: completed at 15 s, exactly.
            Assert.Equal(2, result.Attempts);
            Assert.Equal([(15.0, 0.0)], Saved(history, Server));
        }
    }

    [Fact]
    public async Task A_final_answer_that_was_not_actually_held_is_recorded_as_a_midpoint()
    {
        var history = new DurationHistory();
        var strategy = new LongPollStrategy(fallback: new LearnedStrategy(history, fallback: ExactFallback));
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 10;
        h.Server.Add("j", Sec(12));
        h.Server.Override(2, () => FakeServer.Json("""{"title":"slow down"}""", HttpStatusCode.TooManyRequests, retryAfter: Sec(9)));

        await h.Wait(Exact(strategy), "j");

        // Held 0–10 s: pending. 10 s: 429, retry after 9 s. 19 s: a long-poll check answered at once (the job ended at
        // 12 s). All the client knows is "between 10 and 19 s".
        Assert.Equal([0, 10_000, 19_000], h.RequestTimes);
        var (seconds, uncertainty) = Assert.Single(Saved(history, Server));
        Assert.True(uncertainty > 0, $"recorded {seconds} s as exact");
        Assert.Equal(14.5, seconds, precision: 3);
    }

    [Fact]
    public async Task A_single_held_check_that_saw_the_job_finish_records_its_exact_time()
    {
        var history = new DurationHistory();
        var strategy = new LongPollStrategy(fallback: new LearnedStrategy(history, fallback: ExactFallback));
        var (h, _, result) = await Run(strategy, 7, setUp: b => b.LongPollMaxSeconds = 60);
        using (h)
        {
            // Held from 0 until the job ended at 7 s: the job was pending when the check was sent.
            Assert.Equal(1, result.Attempts);
            Assert.Equal([(7.0, 0.0)], Saved(history, Server));
        }
    }

    [Fact]
    public async Task A_long_poll_check_answered_at_once_with_the_job_done_records_nothing()
    {
        var history = new DurationHistory();
        var strategy = new LongPollStrategy(fallback: new LearnedStrategy(history, fallback: ExactFallback));
        var (h, _, result) = await Run(strategy, 0, setUp: b => b.LongPollMaxSeconds = 60);
        using (h)
        {
            Assert.Equal(1, result.Attempts);
            Assert.Equal(TimeSpan.Zero, result.Elapsed);
            Assert.Equal(0, history.Count(Server));
        }
    }

    [Fact]
    public async Task A_job_already_done_at_the_first_check_is_not_recorded()
    {
        var history = new DurationHistory();
        var (h, _, result) = await Run(new LearnedStrategy(history, fallback: ExactFallback), 0);
        using (h)
        {
            Assert.Equal(1, result.Attempts);
            Assert.Equal(0, history.Count(Server));
        }
    }

    [Fact]
    public async Task A_wait_that_times_out_records_nothing()
    {
        var history = new DurationHistory();
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("j", Sec(100));

        var wait = h.Wait(Exact(new LearnedStrategy(history, fallback: ExactFallback), Sec(10)), "j");

        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(0, history.Count(Server));
    }

    [Fact]
    public async Task A_wait_that_fails_records_nothing()
    {
        var history = new DurationHistory();
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Json("""{"title":"gone"}""", HttpStatusCode.NotFound));

        var wait = h.Wait(Exact(new LearnedStrategy(history, fallback: ExactFallback)), "j");

        await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        Assert.Equal(0, history.Count(Server));
    }

    [Fact]
    public async Task Each_server_learns_and_plans_on_its_own()
    {
        var history = new DurationHistory();
        var a = new Uri("http://a.test/");
        var b = new Uri("http://b.test/");
        foreach (double s in new double[] { 10, 12, 14, 16, 18, 20 })
        {
            history.Add(a, Sec(s));
        }

        double[] plan = history.GetPlan(a, 4, 5)!.Checks;
        var strategy = new LearnedStrategy(history, checksPerJob: 4, ExactFallback);
        var (onA, _, _) = await Run(strategy, 16, a);
        var (onB, _, _) = await Run(strategy, 16, b);
        using (onA)
        using (onB)
        {
            Assert.Equal([0, .. plan.TakeWhile(t => t < 15.999).Select(t => Math.Round(t * 1000)), Math.Round(plan.First(t => t >= 15.999) * 1000)], TimesMs(onA));
            Assert.Equal([0, 1_000, 3_000, 7_000, 15_000, 23_000], onB.RequestTimes); // b has no history: the fallback
            Assert.Equal(7, history.Count(a));
            Assert.Equal(1, history.Count(b));
        }
    }

    [Fact]
    public async Task The_server_is_the_clients_base_address_without_secrets_and_with_its_path()
    {
        var history = new DurationHistory();
        var strategy = new LearnedStrategy(history, fallback: ExactFallback);
        var (h, _, _) = await Run(strategy, 2, new Uri("http://user:secret@a.test:8080/api"));
        using (h)
        {
            Assert.Equal(1, history.Count(new Uri("http://a.test:8080/api/")));
            Assert.Equal(0, history.Count(new Uri("http://a.test:8080/")));
            Assert.Equal(0, history.Count(new Uri("http://a.test/api/")));
        }
    }

    [Fact]
    public void OnWaitCompleted_without_a_server_or_a_pending_observation_records_nothing()
    {
        var history = new DurationHistory();
        var strategy = new LearnedStrategy(history, fallback: ExactFallback);
        var done = new TranslationStatus(TranslationState.Completed, "completed", TestClock.T0, Server);

        strategy.OnWaitCompleted(new PollingContext(3, Sec(5), done) { LastPendingElapsed = Sec(4) });
        strategy.OnWaitCompleted(new PollingContext(3, Sec(5), done) { ServerUri = Server });
        strategy.OnWaitCompleted(new PollingContext(3, Sec(5), done, 0));

        Assert.Equal(0, history.Count(Server));
        strategy.OnWaitCompleted(new PollingContext(3, Sec(5), done) { LastPendingElapsed = Sec(4), ServerUri = Server });
        Assert.Equal([Sec(4.5)], history.GetDurations(Server));
        Assert.Throws<ArgumentNullException>(() => strategy.OnWaitCompleted(null!));
        Assert.Throws<ArgumentNullException>(() => strategy.GetNextDelay(null!));
    }

    [Fact]
    public void OnWaitCompleted_reaches_the_fallback_too()
    {
        var inner = new DurationHistory();
        var outer = new DurationHistory();
        var strategy = new LearnedStrategy(outer, fallback: new LearnedStrategy(inner, fallback: ExactFallback));
        var done = new TranslationStatus(TranslationState.Completed, "completed", TestClock.T0, Server);

        strategy.OnWaitCompleted(new PollingContext(3, Sec(5), done) { LastPendingElapsed = Sec(3), ServerUri = Server });

        Assert.Equal([Sec(4)], outer.GetDurations(Server));
        Assert.Equal([Sec(4)], inner.GetDurations(Server));
    }

    [Fact]
    public void Defaults_are_eight_checks_five_durations_the_shared_history_and_the_default_exponential()
    {
        var strategy = new LearnedStrategy();
        Assert.Equal(LearnedStrategy.DefaultChecksPerJob, strategy.ChecksPerJob);
        Assert.Equal(8, strategy.ChecksPerJob);
        Assert.Equal(5, strategy.MinimumHistory);
        Assert.Same(DurationHistory.Shared, strategy.History);
        Assert.Same(ExponentialStrategy.Default, strategy.Fallback);
    }

    [Theory]
    [InlineData(0, 5, "ChecksPerJob")]
    [InlineData(101, 5, "ChecksPerJob")]
    [InlineData(10, 0, "MinimumHistory")]
    [InlineData(10, 10_001, "MinimumHistory")]
    public void Counts_out_of_range_are_rejected_naming_them(int checks, int minimum, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedStrategy(new DurationHistory(), checks, ExactFallback, minimum));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void GetLongPollWait_is_the_fallbacks()
    {
        var context = new PollingContext(0, TimeSpan.Zero, null, 0);
        Assert.Equal(TimeSpan.Zero, new LearnedStrategy(new DurationHistory(), fallback: ExactFallback).GetLongPollWait(context));
        Assert.Equal(Sec(30), new LearnedStrategy(new DurationHistory(), fallback: new LongPollStrategy()).GetLongPollWait(context));
    }
}
