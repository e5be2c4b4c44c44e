using System.Net;
using System.Net.Http.Headers;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>The long-poll strategy and the loop's handling of held checks, on the fake clock and a holding fake h.Server.</summary>
public class LongPollStrategyTests
{
    // The fallback, without jitter, so request times after a fallback are exact: 1 s, 2 s, 4 s, 8 s, 8 s …
    private static ExponentialStrategy ExactFallback => new(Sec(1), 2, Sec(8));

    private static TranslationWaitOptions LongPoll(TimeSpan? maxHold = null, TimeSpan? maxWait = null) =>
        Exact(new LongPollStrategy(maxHold, ExactFallback), maxWait);

    private static string[] Queries(Harness h) => h.Server.Requests.Select(r => r.Uri.Query).ToArray();

    [Fact]
    public async Task The_first_check_asks_for_MaxHold_and_a_shorter_server_limit_shortens_the_later_holds()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 12;
        h.Server.Add("j", Sec(40));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal(["?wait=30", "?wait=12", "?wait=12", "?wait=12"], Queries(h));
        Assert.Equal([0, 12_000, 24_000, 36_000], h.RequestTimes);
        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(TestClock.T0 + Sec(40), result.FinalStatus.ObservedAt);
    }

    [Fact]
    public async Task A_server_limit_above_MaxHold_does_not_lengthen_the_holds()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 300;
        h.Server.Add("j", Sec(70));

        await h.Wait(LongPoll(maxHold: Sec(30)), "j");

        Assert.Equal(["?wait=30", "?wait=30", "?wait=30"], Queries(h));
        Assert.Equal([0, 30_000, 60_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_job_finishing_at_7_s_on_a_holding_server_takes_one_request_and_is_seen_at_7_s()
    {
        using var h = new Harness();
        var job = h.Server.Add("j", Sec(7));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal(1, result.Attempts);
        Assert.Single(h.Server.Requests);
        Assert.Equal("?wait=30", h.Server.Requests[0].Uri.Query);
        Assert.Equal(TestClock.T0 + Sec(7), result.FinalStatus.ObservedAt);
        Assert.Equal(TimeSpan.Zero, job.Lateness);
        Assert.Equal(Sec(7), result.Elapsed);
        Assert.Equal(Sec(30), result.FinalStatus.LongPollHeld);
        Assert.Equal(Sec(60), result.FinalStatus.LongPollLimit);
    }

    [Fact]
    public async Task The_single_job_endpoint_is_long_polled_too()
    {
        using var h = new Harness();
        h.Server.Add("default", Sec(3));

        var result = await h.Wait(LongPoll());

        Assert.Equal(new Uri(FakeServer.BaseUri, "status?wait=30"), Assert.Single(h.Server.Requests).Uri);
        Assert.Equal(Sec(3), result.Elapsed);
    }

    [Fact]
    public async Task A_server_without_long_poll_gets_exactly_one_long_poll_attempt_then_the_fallbacks_schedule()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null; // the original server: ignores wait, never sends X-Long-Poll-Max
        h.Server.Add("j", Sec(10));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal(["?wait=30", "", "", "", ""], Queries(h));
        Assert.Equal([0, 1_000, 3_000, 7_000, 15_000], h.RequestTimes);
        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Null(result.FinalStatus.LongPollHeld);
        Assert.Null(result.FinalStatus.LongPollLimit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-5")]
    public async Task A_zero_or_malformed_X_Long_Poll_Max_means_no_long_poll(string header)
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Decorate = (_, r) => r.Headers.TryAddWithoutValidation("X-Long-Poll-Max", header);
        h.Server.Add("j", Sec(4));

        await h.Wait(LongPoll(), "j");

        Assert.Equal(["?wait=30", "", "", ""], Queries(h));
        Assert.Equal([0, 1_000, 3_000, 7_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_server_that_stops_offering_long_poll_mid_wait_gets_the_fallback_from_then_on()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 10;
        var job = h.Server.Add("j", Sec(25));
        h.Server.Decorate = (_, r) =>
        {
            if (h.Clock.Elapsed > Sec(10))
            {
                r.Headers.Remove("X-Long-Poll-Max"); // e.g. a failover to an older server
            }
        };

        await h.Wait(LongPoll(), "j");

        // Held 0–10 s and 10–20 s; the answer at 20 s lacks the header, so the fallback's schedule runs from there.
        Assert.Equal(["?wait=30", "?wait=10", "", ""], Queries(h));
        Assert.Equal([0, 10_000, 22_000, 26_000], h.RequestTimes);
    }

    [Fact]
    public async Task The_hold_is_shortened_so_the_held_check_ends_at_the_deadline()
    {
        using var h = new Harness();
        h.Server.Add("j", Sec(100));

        var wait = h.Wait(LongPoll(maxWait: Sec(45)), "j");

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(["?wait=30", "?wait=15"], Queries(h));
        Assert.Equal([0, 30_000], h.RequestTimes);
        Assert.Equal(Sec(45), h.Clock.Elapsed);
        Assert.Equal(2, ex.Attempts);
    }

    [Fact]
    public async Task A_deadline_shorter_than_MaxHold_shortens_the_first_hold()
    {
        using var h = new Harness();
        h.Server.Add("j", Sec(100));

        var wait = h.Wait(LongPoll(maxWait: Ms(2500)), "j");

        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(["?wait=2.5"], Queries(h));
        Assert.Equal(Ms(2500), h.Clock.Elapsed);
    }

    [Fact]
    public async Task A_held_request_is_not_cut_at_the_request_timeout()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.Add("j", Sec(29));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal(1, result.Attempts);
        Assert.Equal(Sec(29), result.Elapsed);
    }

    [Fact]
    public async Task A_hung_held_request_times_out_at_the_hold_plus_the_request_timeout()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.Add("j", Sec(10));
        h.Server.Override(1, FakeServer.Hang);
        var failures = new List<TranslationWaitProgress>();
        var options = LongPoll();
        options.OnProgress = failures.Add;

        var result = await h.Wait(options, "j");

        // Timed out at 30 s + 5 s, then the retry backoff's 500 ms; the retry is a long-poll check again and is
        // answered at once (the job finished at 10 s).
        Assert.Equal([0, 35_500], h.RequestTimes);
        Assert.Equal(["?wait=30", "?wait=30"], Queries(h));
        var timeout = Assert.IsType<TranslationConnectionException>(failures[0].LastError);
        Assert.True(timeout.IsTimeout);
        Assert.Equal(Sec(35), failures[0].Elapsed);
        Assert.Equal(TranslationState.Completed, result.State);
    }

    [Fact]
    public async Task An_ordinary_check_after_the_fallback_keeps_the_plain_request_timeout()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("j", Sec(1.5));
        h.Server.Override(2, FakeServer.Hang);

        await h.Wait(LongPoll(), "j");

        // 0: long-poll attempt (answered at once); 1 s: hangs, cut at 6 s; retry after max(fallback 2 s, backoff 0.5 s).
        Assert.Equal([0, 1_000, 8_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_server_that_answers_held_requests_at_once_is_not_hammered()
    {
        using var h = new Harness(o => o.MinimumPollInterval = Ms(250));
        h.Server.Holds = false; // advertises long-poll, answers every ?wait= at once with pending
        h.Server.Add("j", Sec(2));

        await h.Wait(LongPoll(), "j");

        var times = h.RequestTimes;
        Assert.Equal(Enumerable.Range(0, 9).Select(i => i * 250.0).ToArray(), times);
        Assert.All(Queries(h), q => Assert.StartsWith("?wait=", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_held_answer_the_next_hold_starts_at_once()
    {
        using var h = new Harness(o => o.MinimumPollInterval = Sec(1));
        h.Server.LongPollMaxSeconds = 2;
        h.Server.Add("j", Sec(5));

        await h.Wait(LongPoll(), "j");

        // The floor is between the starts of two checks: a 2 s hold needs no further pause.
        Assert.Equal([0, 2_000, 4_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_2xx_Retry_After_after_a_held_answer_does_not_delay_the_next_hold()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 10;
        var job = h.Server.Add("j", Sec(25));
        h.Server.Decorate = (_, r) => r.Headers.RetryAfter = new RetryConditionHeaderValue(Sec(60));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal([0, 10_000, 20_000], h.RequestTimes);
        Assert.Equal(TimeSpan.Zero, job.Lateness);
        Assert.Equal(Sec(25), result.Elapsed);
    }

    [Fact]
    public async Task A_2xx_Retry_After_on_an_answer_that_was_not_held_binds_a_fallback_that_honours_it()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        var job = h.Server.Add("j", Sec(6));
        h.Server.Decorate = (_, r) => r.Headers.RetryAfter = new RetryConditionHeaderValue(Sec(4));

        await h.Wait(Exact(new LongPollStrategy(fallback: PollingStrategy.Exponential(Sec(1), 2, Sec(8)))), "j");

        Assert.Equal([0, 4_000, 8_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_Retry_After_on_503_is_still_honoured_and_the_retry_is_a_long_poll_again()
    {
        using var h = new Harness();
        var job = h.Server.Add("j", Sec(12));
        h.Server.Override(1, () => FakeServer.Json("""{"title":"busy"}""", HttpStatusCode.ServiceUnavailable, retryAfter: Sec(7)));

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal([0, 7_000], h.RequestTimes);
        Assert.Equal(["?wait=30", "?wait=30"], Queries(h));
        Assert.Equal(Sec(12), result.Elapsed);
        Assert.Equal(TimeSpan.Zero, job.Lateness);
    }

    [Fact]
    public async Task A_Retry_After_on_429_between_held_checks_is_honoured()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 5;
        h.Server.Add("j", Sec(30));
        h.Server.Override(2, () => FakeServer.Json("""{"title":"slow down"}""", HttpStatusCode.TooManyRequests, retryAfter: Sec(9)));

        await h.Wait(LongPoll(), "j");

        Assert.Equal([0, 5_000, 14_000, 19_000, 24_000, 29_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_job_already_finished_is_answered_by_the_first_check_at_once()
    {
        using var h = new Harness();
        h.Server.Add("j", TimeSpan.Zero, "error");

        var result = await h.Wait(LongPoll(), "j");

        Assert.Equal(TranslationState.Error, result.State);
        Assert.Equal([0], h.RequestTimes);
        Assert.Equal(TimeSpan.Zero, result.Elapsed);
    }

    [Fact]
    public async Task Cancelling_during_a_held_check_cancels_the_request()
    {
        using var h = new Harness();
        h.Server.Add("j", Sec(20));
        using var cts = new CancellationTokenSource();
        var wait = h.Start(LongPoll(), "j", cts.Token);
        h.Clock.Run(Sec(3));
        Assert.Equal(1, h.Server.InFlight);

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, h.Server.InFlight);
        h.Clock.Run(Sec(60));
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_fractional_hold_is_sent_in_seconds_with_at_most_three_decimals()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = 2.5;
        h.Server.Add("j", Sec(4));

        await h.Wait(LongPoll(maxHold: Ms(1234.56)), "j");

        Assert.Equal(["?wait=1.234", "?wait=1.234", "?wait=1.234", "?wait=1.234"], Queries(h));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(86_401)]
    public void MaxHold_out_of_range_is_rejected_naming_it(double seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LongPollStrategy(Sec(seconds)));
        Assert.Equal("MaxHold", ex.ParamName);
    }

    [Fact]
    public void Defaults_are_a_30_s_hold_over_the_default_exponential()
    {
        var strategy = new LongPollStrategy();
        Assert.Equal(Sec(30), strategy.MaxHold);
        Assert.Equal(LongPollStrategy.DefaultMaxHold, strategy.MaxHold);
        Assert.Same(ExponentialStrategy.Default, strategy.Fallback);
    }

    [Fact]
    public void GetLongPollWait_asks_for_MaxHold_before_any_answer_then_for_the_offered_limit()
    {
        var strategy = new LongPollStrategy(Sec(30), ExactFallback);
        TranslationStatus Answer(double? limit, double? held = null) =>
            new(TranslationState.Pending, "pending", TestClock.T0, FakeServer.BaseUri, longPollLimit: limit is null ? null : Sec(limit.Value), longPollHeld: held is null ? null : Sec(held.Value));

        Assert.Equal(Sec(30), strategy.GetLongPollWait(new PollingContext(0, TimeSpan.Zero, null, 0)));
        Assert.Equal(Sec(30), strategy.GetLongPollWait(new PollingContext(1, Sec(1), null, 1))); // only failures so far
        Assert.Equal(Sec(12), strategy.GetLongPollWait(new PollingContext(1, Sec(1), Answer(12), 0)));
        Assert.Equal(Sec(30), strategy.GetLongPollWait(new PollingContext(1, Sec(1), Answer(60), 0)));
        Assert.Equal(TimeSpan.Zero, strategy.GetLongPollWait(new PollingContext(1, Sec(1), Answer(null), 0)));
        Assert.Equal(TimeSpan.Zero, strategy.GetNextDelay(new PollingContext(1, Sec(12), Answer(12, held: 12), 0))); // held: the next hold at once
        Assert.Equal(Sec(1), strategy.GetNextDelay(new PollingContext(1, Sec(1), Answer(12), 0))); // offered but not held: the fallback
        Assert.Equal(Sec(1), strategy.GetNextDelay(new PollingContext(1, Sec(1), Answer(null), 0)));
        Assert.Equal(TimeSpan.Zero, strategy.GetNextDelay(new PollingContext(1, Sec(1), null, 1))); // only failures: the retry backoff paces
        Assert.Throws<ArgumentNullException>(() => strategy.GetLongPollWait(null!));
        Assert.Throws<ArgumentNullException>(() => strategy.GetNextDelay(null!));
    }
}
