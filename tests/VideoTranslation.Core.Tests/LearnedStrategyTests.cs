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

    /// <summary>Request times in whole milliseconds (plans are found by bisection, to far below a millisecond).</summary>
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
    public async Task With_enough_history_it_checks_at_the_quantiles_of_past_durations()
    {
        // The times by which k/4 of {10, 12, 14, 16, 18, 20} had ended: 12 (2/6 ≥ 1/4), 14, 18, and the latest, 20.
        var history = HistoryOf(10, 12, 14, 16, 18, 20);
        var (h, job, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback, minimumHistory: 5), 16);
        using (h)
        {
            Assert.Equal([0, 12_000, 14_000, 18_000], TimesMs(h));
            Assert.Equal(2.0, job.Lateness!.Value.TotalSeconds, precision: 3);
        }
    }

    [Fact]
    public async Task Past_the_longest_duration_seen_the_gap_grows_by_half_the_overrun()
    {
        var history = HistoryOf(10, 12, 14, 16, 18, 20);
        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback, minimumHistory: 5), 30);
        using (h)
        {
            // Planned 12, 14, 18, 20; then max(mean step 20 / (2 × 4) = 2.5 s, overrun / 2): 22.5, 25, 27.5, 31.25.
            Assert.Equal([0, 12_000, 14_000, 18_000, 20_000, 22_500, 25_000, 27_500, 31_250], TimesMs(h));
        }
    }

    [Fact]
    public async Task A_job_longer_than_anything_seen_is_still_found_with_few_checks()
    {
        var history = HistoryOf(1, 1.1, 1.2, 1.3, 1.4, 1.5);
        var (h, _, result) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback), 600);
        using (h)
        {
            Assert.Equal(TranslationState.Completed, result.State);
            Assert.True(result.Attempts <= 30, $"{result.Attempts} checks for a job 400 times longer than any seen");
        }
    }

    [Fact]
    public async Task A_coarse_duration_spreads_the_planned_checks_over_its_interval()
    {
        // Five jobs each seen to end somewhere in 10–30 s: the plan spreads evenly over that interval.
        var history = new DurationHistory();
        for (int i = 0; i < 5; i++)
        {
            history.Add(Server, Sec(20), Sec(20));
        }

        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback), 21);
        using (h)
        {
            Assert.Equal([0, 15_000, 20_000, 25_000], TimesMs(h));
        }
    }

    [Fact]
    public async Task Exact_and_coarse_durations_mix()
    {
        // Four exact ends at 12 s and four somewhere in 20–28 s: half the plan at 12 s, the rest spread over 20–28 s.
        var history = new DurationHistory();
        for (int i = 0; i < 4; i++)
        {
            history.Add(Server, Sec(12));
            history.Add(Server, Sec(24), Sec(8));
        }

        var (h, _, _) = await Run(new LearnedStrategy(history, checksPerJob: 4, ExactFallback), 27);
        using (h)
        {
            Assert.Equal([0, 12_000, 24_000, 28_000], TimesMs(h));
        }
    }

    [Fact]
    public async Task With_an_exact_history_of_the_workload_a_job_takes_about_n_over_2_checks_and_is_half_a_step_late()
    {
        // The planner alone: every job gets a fresh history of 200 exact durations drawn from the same uniform
        // 15–30 s, so what earlier waits learned cannot disturb it. n = 10 → step 1.5 s.
        var random = new Random(11);
        var checks = new List<int>();
        var lateness = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            var history = new DurationHistory();
            for (int k = 0; k < 200; k++)
            {
                history.Add(Server, Sec(15 + (15 * random.NextDouble())));
            }

            var (h, job, result) = await Run(new LearnedStrategy(history, checksPerJob: 10, ExactFallback), 15 + (15 * random.NextDouble()));
            using (h)
            {
                checks.Add(result.Attempts);
                lateness.Add(job.Lateness!.Value.TotalSeconds);
            }
        }

        // k-th check at ≈ 15 + 1.5 k: the first check (at 0) + k checks, k uniform in 1…10 → ≈ 6.5 = n/2 + 1.5.
        Assert.InRange(checks.Average(), 6.0, 7.0);
        Assert.True(checks.Max() <= 12, $"max {checks.Max()} checks");
        Assert.InRange(lateness.Average(), 0.6, 0.9); // half a step: 0.75 s
        Assert.True(lateness.Max() <= 3.0, $"max lateness {lateness.Max():0.000} s");
    }

    [Fact]
    public async Task After_a_20_job_warm_up_on_the_workload_checks_and_lateness_are_as_documented()
    {
        // The documented behaviour end to end: one history, learned from the waits themselves (no hints, no long-poll),
        // 20 warm-up jobs, then 200 jobs drawn from the same uniform 15–30 s.
        var random = new Random(1);
        var history = new DurationHistory();
        var fallback = new ExponentialStrategy(Sec(1), 1.5, Sec(5), 0.2, new Random(2)); // ExponentialStrategy.Default, seeded
        var strategy = new LearnedStrategy(history, fallback: fallback); // the default 8 checks per job
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

        // "About n/2 + 2 checks; a job ends on average half a quantile step before it is seen": n = 8, step 15 / 8 s.
        // Durations learned from the waits are coarser than the truth, so allow half as much again.
        string seen = $"mean {checks.Average():0.00} checks, mean lateness {lateness.Average():0.000} s, max {lateness.Max():0.000} s";
        Assert.True(lateness.Average() <= 1.5 * (15.0 / 8 / 2), $"{seen}; half a step is 0.94 s");
        Assert.True(checks.Average() is >= 4.0 and <= 7.0, seen);
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

        var strategy = new LearnedStrategy(history, checksPerJob: 4, ExactFallback);
        var (onA, _, _) = await Run(strategy, 16, a);
        var (onB, _, _) = await Run(strategy, 16, b);
        using (onA)
        using (onB)
        {
            Assert.Equal([0, 12_000, 14_000, 18_000], TimesMs(onA));
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
