using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>The hint-reading strategy against modelled jobs whose hints are exact, scaled, noisy, partial or absent.</summary>
public class AdaptiveStrategyTests
{
    // Without jitter, so request times are exact: 1 s, 2 s, 4 s, 5 s, 5 s …
    private static ExponentialStrategy ExactFallback => new(Sec(1), 2, Sec(5));

    private static TranslationWaitOptions Adaptive(TimeSpan? margin = null, TimeSpan? maxWait = null) =>
        Exact(new AdaptiveStrategy(ExactFallback, margin), maxWait ?? TimeSpan.FromHours(1));

    /// <summary>One wait on a job of <paramref name="seconds"/> with hints set by <paramref name="hints"/>; the server offers no long-poll.</summary>
    private static Task<JobWait> Run(double seconds, Action<FakeJob> hints, TranslationWaitOptions? options = null) =>
        WaitForJob(seconds, options ?? Adaptive(), s => s.LongPollMaxSeconds = null, hints);

    /// <summary>
    /// Many waits on jobs of 15–30 s, seeded: per job the requests, the lateness and the duration in seconds, and by how
    /// much the last pending answer's eta overstated the time then left (NaN without an eta).
    /// </summary>
    private static async Task<(int[] Requests, double[] Lateness, double[] Durations, double[] Overstated)> Workload(int jobs, int seed, Action<FakeJob, Random> hints)
    {
        var random = new Random(seed);
        var requests = new int[jobs];
        var lateness = new double[jobs];
        var durations = new double[jobs];
        var overstated = new double[jobs];
        for (int i = 0; i < jobs; i++)
        {
            durations[i] = 15 + (15 * random.NextDouble());
            var (h, job, result) = await Run(durations[i], j => hints(j, random));
            using (h)
            {
                Assert.Equal(TranslationState.Completed, result.State);
                requests[i] = result.Attempts;
                lateness[i] = job.Lateness!.Value.TotalSeconds;
                var answers = job.PendingAnswers;
                PendingAnswer? last = answers.Count > 0 ? answers[^1] : null;
                overstated[i] = last?.EtaSeconds is double eta ? eta - (job.FinishAt - last.At).TotalSeconds : double.NaN;
            }
        }

        return (requests, lateness, durations, overstated);
    }

    [Fact]
    public async Task Exact_eta_takes_three_checks_and_is_seen_within_the_margin()
    {
        var (h, job, result) = await Run(20, j => j.Eta = FakeJob.ExactEta);
        using (h)
        {
            // 0: eta 20, untrusted → 80 % capped at max(the fallback's 1 s, half the estimate) = 10 s; 10 s: eta 10
            // agrees with 20 − 10 → slept in full + 10 ms (within 4 × the 10 s that confirmed it).
            Assert.Equal([0, 10_000, 20_010], h.RequestTimes);
            Assert.Equal(3, result.Attempts);
            Assert.Equal(Ms(10), job.Lateness);
        }
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2.7, 3)]
    [InlineData(15, 3)]
    [InlineData(22.5, 3)]
    [InlineData(30, 3)]
    [InlineData(100, 3)] // 30 s (untrusted cap), then 70 s is within 4 × 30 s
    [InlineData(1000, 5)] // 30 s, then trust reaches 4 × 30 = 120 s, then 4 × 120 = 480 s, then the rest
    public async Task Exact_eta_takes_three_checks_and_a_few_more_for_very_long_jobs(double seconds, int checks)
    {
        var (h, job, result) = await Run(seconds, j => j.Eta = FakeJob.ExactEta);
        using (h)
        {
            Assert.Equal(checks, result.Attempts);
            Assert.Equal(Ms(10), job.Lateness);
        }
    }

    [Theory]
    [InlineData(0, 20_000)]
    [InlineData(50, 20_050)]
    [InlineData(1000, 21_000)]
    public async Task The_margin_is_added_to_a_trusted_estimate(double marginMs, double lastCheckMs)
    {
        var (h, _, _) = await Run(20, j => j.Eta = FakeJob.ExactEta, Adaptive(Ms(marginMs)));
        using (h)
        {
            Assert.Equal([0, 10_000, lastCheckMs], h.RequestTimes);
        }
    }

    [Fact]
    public async Task Exact_eta_on_the_workload_averages_three_checks_and_10_ms_lateness()
    {
        var (requests, lateness, _, _) = await Workload(200, seed: 1, (j, _) => j.Eta = FakeJob.ExactEta);

        Assert.All(requests, r => Assert.Equal(3, r));
        Assert.All(lateness, l => Assert.InRange(l, 0.008, 0.012)); // etaSeconds has 3 decimals
    }

    [Fact]
    public async Task Deflated_eta_converges_with_bounded_requests_and_is_seen_promptly()
    {
        var (requests, lateness, _, _) = await Workload(200, seed: 2, (j, _) => j.Eta = FakeJob.ScaledEta(0.5));

        Assert.True(requests.Max() <= 20, $"max {requests.Max()} requests per job");
        Assert.True(lateness.Max() <= 0.25, $"max lateness {lateness.Max():0.000} s");
    }

    [Fact]
    public async Task Slightly_noisy_eta_converges_with_bounded_requests_and_small_mean_lateness()
    {
        var (requests, lateness, _, _) = await Workload(200, seed: 3, (j, r) => j.Eta = FakeJob.NoisyEta(r, 0.1));

        Assert.True(requests.Max() <= 15, $"max {requests.Max()} requests per job");
        Assert.True(requests.Average() <= 9, $"mean {requests.Average():0.00} requests per job");
        Assert.True(lateness.Average() <= 0.5, $"mean lateness {lateness.Average():0.000} s");
    }

    [Fact]
    public async Task Inflated_eta_is_never_seen_later_than_the_fallback_would_see_it()
    {
        var (requests, lateness, durations, _) = await Workload(200, seed: 4, (j, _) => j.Eta = FakeJob.ScaledEta(2));

        // The fallback alone (exponential capped at 5 s) is never more than 5 s late; hints that may be wrong must not
        // make the strategy worse than having none.
        Assert.True(lateness.Max() <= 5, $"max lateness {lateness.Max():0.000} s on a job of {durations[Array.IndexOf(lateness, lateness.Max())]:0.0} s");
        Assert.True(requests.Max() <= 15, $"max {requests.Max()} requests per job");
    }

    [Theory]
    [InlineData(0.1, 5)]
    [InlineData(0.1, 6)]
    public async Task Slightly_noisy_eta_is_never_seen_later_than_the_fallback_would_see_it(double noise, int seed)
    {
        var (requests, lateness, durations, _) = await Workload(200, seed, (j, r) => j.Eta = FakeJob.NoisyEta(r, noise));

        Assert.True(lateness.Max() <= 5, $"max lateness {lateness.Max():0.000} s on a job of {durations[Array.IndexOf(lateness, lateness.Max())]:0.0} s");
        Assert.True(requests.Max() <= 20, $"max {requests.Max()} requests per job");
    }

    [Theory]
    [InlineData(0.3, 5)]
    [InlineData(0.3, 55)]
    public async Task Noisy_eta_is_seen_no_later_than_the_fallback_would_or_than_its_last_estimate_overstated(double noise, int seed)
    {
        // The documented limit: two noisy etas can agree by chance and the second is then trusted, so a job may be seen
        // later than the fallback's 5 s — but by no more than that estimate overstated the time left, plus the margin.
        var (requests, lateness, durations, overstated) = await Workload(200, seed, (j, r) => j.Eta = FakeJob.NoisyEta(r, noise));

        for (int i = 0; i < lateness.Length; i++)
        {
            double bound = Math.Max(5, overstated[i] + 0.010) + 0.001; // + 1 ms: request times are in ticks, etas in ms
            Assert.True(lateness[i] <= bound, $"job {i} of {durations[i]:0.0} s seen {lateness[i]:0.000} s late; its last eta overstated by {overstated[i]:0.000} s");
        }

        Assert.True(requests.Max() <= 20, $"max {requests.Max()} requests per job");
    }

    [Fact]
    public async Task Two_etas_that_agree_by_chance_are_trusted_and_the_wait_is_late_by_the_second_ones_error()
    {
        // A 26 s job. 0 s: eta 32 (untrusted, slept in part: 16 s). 16 s: eta 16 — 10 s are left, but 32 − 16 = 16
        // agrees, so it is trusted and slept in full + 10 ms. Both estimates are under twice the truth.
        var (h, job, _) = await Run(26, j => j.Eta = FakeJob.ScriptedEta(32, 16));
        using (h)
        {
            Assert.Equal([0, 16_000, 32_010], h.RequestTimes);
            Assert.Equal(Ms(6_010), job.Lateness);
        }
    }

    [Fact]
    public async Task Two_etas_that_agree_by_chance_are_followed_only_within_their_reach()
    {
        // A 100 s job. 0 s: eta 1000 (untrusted: 30 s). 30 s: eta 970 agrees and is trusted, but only as far as four times
        // the 30 s that confirmed it: the next check is at 150 s, not at 1000 s.
        var (h, job, _) = await Run(100, j => j.Eta = FakeJob.ScriptedEta(1000, 970));
        using (h)
        {
            Assert.Equal([0, 30_000, 150_000], h.RequestTimes);
            Assert.Equal(Sec(50), job.Lateness);
        }
    }

    [Fact]
    public async Task An_eta_inflated_by_a_quarter_is_still_seen_promptly_on_the_workload()
    {
        // 80 % of 1.25 × the truth is exactly the truth: the edge of what an untrusted sleep absorbs. A check that lands
        // a rounding error early sees eta ≈ 0 and checks again after MinimumPollInterval (100 ms).
        var (requests, lateness, _, _) = await Workload(100, seed: 6, (j, _) => j.Eta = FakeJob.ScaledEta(1.25));

        Assert.True(requests.Max() <= 10, $"max {requests.Max()} requests per job");
        Assert.True(lateness.Max() <= 0.11, $"max lateness {lateness.Max():0.000} s");
    }

    [Fact]
    public async Task Progress_alone_is_read_as_a_rate_from_two_checks()
    {
        var (h, job, result) = await Run(20, j => j.Progress = true);
        using (h)
        {
            // One reading gives no rate: the fallback's first delay (1 s); from then on the rate predicts the end, an
            // untrusted prediction never sleeping longer than the fallback would.
            Assert.Equal(1_000, h.RequestTimes[1]);
            Assert.True(job.Lateness <= Ms(100), $"lateness {job.Lateness}: {string.Join(", ", h.RequestTimes)}");
            Assert.True(result.Attempts <= 10, $"{result.Attempts} checks: {string.Join(", ", h.RequestTimes)}");
        }
    }

    [Fact]
    public async Task Progress_alone_on_the_workload_is_seen_within_100_ms()
    {
        var (requests, lateness, _, _) = await Workload(100, seed: 7, (j, _) => j.Progress = true);

        Assert.True(requests.Max() <= 12, $"max {requests.Max()} requests per job");
        Assert.True(lateness.Max() <= 0.1, $"max lateness {lateness.Max():0.000} s");
    }

    [Fact]
    public async Task Exact_progress_costs_fewer_checks_than_no_hints()
    {
        var (withProgress, _, _, _) = await Workload(100, seed: 9, (j, _) => j.Progress = true);
        var (without, _, _, _) = await Workload(100, seed: 9, (_, _) => { });

        // A linear progress predicts the end exactly once two readings exist, as exactly as etaSeconds does.
        Assert.True(withProgress.Average() <= 5, $"mean {withProgress.Average():0.00} checks with progress, {without.Average():0.00} without hints");
        Assert.True(withProgress.Average() < without.Average(), $"mean {withProgress.Average():0.00} checks with progress, {without.Average():0.00} without hints");
    }

    [Fact]
    public async Task Retry_After_alone_is_read_as_the_estimate_to_whole_seconds()
    {
        var (requests, lateness, _, _) = await Workload(200, seed: 8, (j, _) =>
        {
            j.Eta = FakeJob.ExactEta;
            j.EtaInBody = false;
            j.RetryAfter = true; // the eta rounded up to whole seconds, as the simulator's header
        });

        Assert.True(requests.Max() <= 3, $"max {requests.Max()} requests per job");
        Assert.True(lateness.Max() < 1.02, $"max lateness {lateness.Max():0.000} s (the header's resolution is 1 s)");
        Assert.InRange(lateness.Average(), 0.3, 0.7);
    }

    [Fact]
    public async Task A_2xx_Retry_After_is_one_hint_among_others_not_a_floor()
    {
        // etaSeconds has milliseconds, Retry-After whole seconds rounded up (20): the finer hint is used.
        var (h, job, _) = await Run(19.5, j =>
        {
            j.Eta = FakeJob.ExactEta;
            j.RetryAfter = true;
        });
        using (h)
        {
            Assert.Equal([0, 9_750, 19_510], h.RequestTimes);
            Assert.Equal(Ms(10), job.Lateness);
        }
    }

    [Fact]
    public async Task Without_hints_it_makes_exactly_the_fallbacks_requests()
    {
        var (adaptive, _, _) = await Run(20, _ => { });
        var (plain, _, _) = await Run(20, _ => { }, Exact(ExactFallback, TimeSpan.FromHours(1)));
        using (adaptive)
        using (plain)
        {
            Assert.Equal([0, 1_000, 3_000, 7_000, 12_000, 17_000, 22_000], plain.RequestTimes);
            Assert.Equal(plain.RequestTimes, adaptive.RequestTimes);
        }
    }

    [Fact]
    public async Task Without_hints_it_behaves_like_the_default_capped_exponential_with_jitter()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("j", Sec(60));

        await h.Wait(Exact(new AdaptiveStrategy(), TimeSpan.FromHours(1)), "j");

        h.AssertDefaultExponentialGaps();
    }

    [Fact]
    public async Task A_server_that_keeps_saying_eta_0_while_pending_gets_growing_gaps()
    {
        var (h, _, result) = await Run(60, j => j.Eta = FakeJob.ConstantEta(0));
        using (h)
        {
            double[] gaps = h.RequestGaps;
            Assert.Equal(100, gaps[0]); // MinimumPollInterval
            for (int i = 1; i < gaps.Length && gaps[i] < 5_000; i++)
            {
                Assert.InRange(gaps[i], (gaps[i - 1] * 1.5) - 1, (gaps[i - 1] * 1.5) + 1);
            }

            Assert.True(result.Attempts <= 25, $"{result.Attempts} checks in 60 s");
        }
    }

    [Fact]
    public async Task The_gaps_for_a_server_stuck_at_eta_0_stop_growing_at_the_fallbacks_delay()
    {
        var (h, job, _) = await Run(300, j => j.Eta = FakeJob.ConstantEta(0));
        using (h)
        {
            double[] gaps = h.RequestGaps;
            Assert.Equal(5_000, gaps.Max()); // the fallback's cap
            Assert.True(job.Lateness <= Sec(5), $"seen {job.Lateness} late");
        }
    }

    [Fact]
    public async Task An_absurdly_large_eta_is_slept_for_at_most_30_s_while_untrusted()
    {
        // Documented: only an estimate over twice the truth can make the wait late, and an untrusted sleep is at most 30 s.
        var (h, job, _) = await Run(20, j => j.Eta = FakeJob.ScaledEta(1000));
        using (h)
        {
            Assert.Equal([0, 30_000], h.RequestTimes);
            Assert.Equal(Sec(10), job.Lateness);
        }
    }

    [Fact]
    public void An_absurdly_large_untrusted_eta_is_slept_for_at_most_30_s_even_after_a_slow_fallback()
    {
        var strategy = new AdaptiveStrategy(PollingStrategy.Fixed(TimeSpan.FromHours(1)));
        var status = new TranslationStatus(TranslationState.Pending, "pending", TestClock.T0, FakeServer.BaseUri, estimatedTimeRemaining: TimeSpan.FromHours(10));

        Assert.Equal(Sec(30), strategy.GetNextDelay(new PollingContext(1, TimeSpan.Zero, status, 0)));
    }

    [Fact]
    public async Task A_stale_constant_eta_is_never_trusted()
    {
        // A constant 3600 s never "falls by the time that passed", so it is never slept in full: 30 s at a time.
        var (h, job, _) = await Run(70, j => j.Eta = FakeJob.ConstantEta(3600), Adaptive(maxWait: TimeSpan.FromMinutes(10)));
        using (h)
        {
            Assert.Equal([0, 30_000, 60_000, 90_000], h.RequestTimes);
            Assert.Equal(Sec(20), job.Lateness);
        }
    }

    [Fact]
    public async Task After_a_failed_check_the_fallback_and_the_retry_backoff_decide_not_the_stale_hint()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        var job = h.Server.Add("j", Sec(20));
        job.Eta = FakeJob.ExactEta;
        h.Server.Override(2, () => FakeServer.Json("{}", System.Net.HttpStatusCode.BadGateway));

        var result = await h.Wait(Adaptive(), "j");

        // 0: eta 20 → 10 s; 10 s: 502 → max(fallback after 2 checks 2 s, backoff 0.5 s) = 2 s; 12 s: eta 8 agrees with
        // the last successful hint (20 at 0 s) → slept in full + 10 ms.
        Assert.Equal([0, 10_000, 12_000, 20_010], h.RequestTimes);
        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(Ms(10), job.Lateness);
    }

    [Fact]
    public void Defaults_are_a_10_ms_margin_over_the_default_exponential()
    {
        var strategy = new AdaptiveStrategy();
        Assert.Equal(Ms(10), strategy.Margin);
        Assert.Equal(AdaptiveStrategy.DefaultMargin, strategy.Margin);
        Assert.Same(ExponentialStrategy.Default, strategy.Fallback);
        Assert.Equal(TimeSpan.Zero, strategy.GetLongPollWait(new PollingContext(0, TimeSpan.Zero, null, 0)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void A_margin_out_of_range_is_rejected_naming_it(double ms)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveStrategy(margin: Ms(ms)));
        Assert.Equal("margin", ex.ParamName);
    }

    [Fact]
    public void A_margin_of_zero_or_one_minute_is_accepted()
    {
        Assert.Equal(TimeSpan.Zero, new AdaptiveStrategy(margin: TimeSpan.Zero).Margin);
        Assert.Equal(TimeSpan.FromMinutes(1), new AdaptiveStrategy(margin: TimeSpan.FromMinutes(1)).Margin);
    }

    [Fact]
    public void GetNextDelay_rejects_a_null_context()
    {
        Assert.Throws<ArgumentNullException>(() => new AdaptiveStrategy().GetNextDelay(null!));
    }
}
