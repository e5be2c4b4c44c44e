using System.Net;
using System.Net.Http.Headers;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>What the wait loop tells strategies, when it calls them, and the floors it keeps between checks.</summary>
public class WaitLoopTests
{
    private static Func<HttpResponseMessage> Pending(double? retryAfterSeconds = null) => () =>
    {
        var r = FakeServer.Status("pending");
        if (retryAfterSeconds is double s)
        {
            r.Headers.RetryAfter = new RetryConditionHeaderValue(Sec(s));
        }

        return r;
    };

    [Fact]
    public async Task The_first_hold_is_asked_before_any_check_with_attempt_0()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(), Pending(), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        await h.Wait(Exact(strategy), "j");

        Assert.Equal([0, 1, 2], strategy.Holds.Select(c => c.Attempt));
        var first = strategy.Holds[0];
        Assert.Null(first.LastStatus);
        Assert.Null(first.PreviousStatus);
        Assert.Null(first.FirstStatus);
        Assert.Null(first.LastPendingElapsed);
        Assert.Null(first.LastCheckDuration);
        Assert.Equal(TimeSpan.Zero, first.Elapsed);
        Assert.Equal(FakeServer.BaseUri, first.ServerUri);
    }

    [Fact]
    public async Task Contexts_carry_the_previous_first_and_last_pending_observations()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(), Pending(), Pending(), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        var result = await h.Wait(Exact(strategy), "j");

        Assert.Equal(3, strategy.Delays.Count);
        var third = strategy.Delays[2];
        Assert.Equal(3, third.Attempt);
        Assert.Equal(Sec(2), third.Elapsed);
        Assert.Equal(TestClock.T0 + Sec(2), third.LastStatus!.ObservedAt);
        Assert.Equal(TestClock.T0 + Sec(1), third.PreviousStatus!.ObservedAt);
        Assert.Equal(TestClock.T0, third.FirstStatus!.ObservedAt);
        Assert.Equal(Sec(2), third.LastPendingElapsed);
        Assert.Equal(TimeSpan.Zero, third.LastCheckDuration);
        Assert.Null(strategy.Delays[0].PreviousStatus);
        Assert.Same(strategy.Delays[0].LastStatus, strategy.Delays[0].FirstStatus);

        var done = Assert.Single(strategy.Completed);
        Assert.Equal(TranslationState.Completed, done.LastStatus!.State);
        Assert.Equal(Sec(3), done.Elapsed);
        Assert.Equal(Sec(2), done.LastPendingElapsed);
        Assert.Equal(4, done.Attempt);
        Assert.Equal(FakeServer.BaseUri, done.ServerUri);
        Assert.Same(result.FinalStatus, done.LastStatus);
    }

    [Fact]
    public async Task The_server_in_contexts_has_no_secrets()
    {
        using var h = new Harness(baseUri: new Uri("http://user:secret@jobs.test:8080/api/"));
        h.Server.Sequence(() => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        await h.Wait(Exact(strategy), "j");

        Assert.Equal(new Uri("http://jobs.test:8080/api/"), strategy.Completed[0].ServerUri);
        Assert.DoesNotContain("secret", strategy.Holds[0].ServerUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_check_keeps_the_last_observation_and_counts_failures()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(), () => FakeServer.Json("{}", HttpStatusCode.BadGateway), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        await h.Wait(Exact(strategy), "j");

        var afterFailure = strategy.Delays[1];
        Assert.Equal(1, afterFailure.ConsecutiveFailures);
        Assert.Equal(TestClock.T0, afterFailure.LastStatus!.ObservedAt);
        Assert.Equal(TimeSpan.Zero, afterFailure.LastPendingElapsed);
        Assert.Equal(1, strategy.Holds[2].ConsecutiveFailures);
    }

    [Fact]
    public async Task OnWaitCompleted_is_not_called_when_the_wait_times_out()
    {
        using var h = new Harness();
        var strategy = new RecordingStrategy();

        var wait = h.Wait(Exact(strategy, Sec(5)), "j");

        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Empty(strategy.Completed);
    }

    [Fact]
    public async Task OnWaitCompleted_is_not_called_when_the_wait_fails_or_is_cancelled()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(), () => FakeServer.Json("{}", HttpStatusCode.Unauthorized));
        var failing = new RecordingStrategy();
        var wait = h.Wait(Exact(failing), "j");
        await Assert.ThrowsAsync<TranslationHttpException>(() => wait);

        h.Server.Sequence(Pending());
        var cancelled = new RecordingStrategy();
        using var cts = new CancellationTokenSource();
        var second = h.Start(Exact(cancelled), "j", cts.Token);
        h.Clock.Run(Sec(3));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        Assert.Empty(failing.Completed);
        Assert.Empty(cancelled.Completed);
    }

    [Fact]
    public async Task OnWaitCompleted_is_not_called_when_a_status_callback_throws_at_the_end()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();
        var options = Exact(strategy);
        options.OnStatusChanged = s =>
        {
            if (s.IsTerminal)
            {
                throw new InvalidOperationException("no");
            }
        };

        var wait = h.Wait(options, "j");

        await Assert.ThrowsAsync<InvalidOperationException>(() => wait);
        Assert.Empty(strategy.Completed);
    }

    [Fact]
    public async Task The_minimum_interval_counts_from_the_start_of_the_previous_check()
    {
        using var h = new Harness(o => o.MinimumPollInterval = Ms(100));
        h.Server.LongPollMaxSeconds = null;
        h.Server.Latency = Ms(30);
        h.Server.Add("j", Sec(1));

        await h.Wait(Exact(PollingStrategy.Fixed(Ms(10))), "j");

        // Each answer takes 30 ms and the strategy asks for 10 ms: the floor puts the starts 100 ms apart.
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 100.0).ToArray(), h.RequestTimes);
    }

    [Fact]
    public async Task A_slow_answer_is_not_followed_by_the_whole_minimum_interval_again()
    {
        using var h = new Harness(o => o.MinimumPollInterval = Ms(100));
        h.Server.LongPollMaxSeconds = null;
        h.Server.Latency = Ms(80);
        h.Server.Add("j", Sec(0.5));

        await h.Wait(Exact(PollingStrategy.Fixed(Ms(50))), "j");

        // 80 ms answer + the strategy's 50 ms = 130 ms between starts, more than the 100 ms floor.
        Assert.Equal([0, 130, 260, 390, 520], h.RequestTimes);
    }

    public static TheoryData<string, Func<PollingStrategy>> NamedClassicStrategies => new()
    {
        { "PollingStrategy.Fixed", () => PollingStrategy.Fixed(Sec(1)) },
        { "PollingStrategy.Exponential", () => PollingStrategy.Exponential(Sec(1), 2, Sec(8)) },
        { "Create(Fixed)", () => PollingStrategy.Create(PollingStrategyKind.Fixed) },
        { "Create(Exponential)", () => PollingStrategy.Create(PollingStrategyKind.Exponential, new PollingStrategyOptions { Jitter = 0 }) },
    };

    [Theory]
    [MemberData(nameof(NamedClassicStrategies))]
    public async Task A_2xx_Retry_After_binds_the_named_classic_strategies(string name, Func<PollingStrategy> make)
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(retryAfterSeconds: 4), () => FakeServer.Status("completed"));

        await h.Wait(Exact(make()), "j");

        Assert.True(h.RequestTimes.SequenceEqual([0, 4_000]), $"{name}: {string.Join(", ", h.RequestTimes)}");
    }

    [Fact]
    public async Task A_2xx_Retry_After_is_a_hint_the_wait_leaves_to_the_strategy()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(retryAfterSeconds: 4), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        await h.Wait(Exact(strategy), "j");

        Assert.Equal([0, 1_000], h.RequestTimes);
        Assert.Equal(Sec(4), strategy.Delays[0].LastStatus!.RetryAfter);
    }

    [Fact]
    public async Task A_2xx_Retry_After_does_not_bind_a_bare_classic_strategy_used_as_a_fallback()
    {
        using var h = new Harness();
        h.Server.Sequence(Pending(retryAfterSeconds: 4), () => FakeServer.Status("completed"));

        await h.Wait(Exact(new FixedStrategy(Sec(1))), "j");

        Assert.Equal([0, 1_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_Retry_After_on_429_binds_every_strategy()
    {
        using var h = new Harness();
        h.Server.Sequence(
            () =>
            {
                var r = FakeServer.Json("{}", HttpStatusCode.TooManyRequests);
                r.Headers.RetryAfter = new RetryConditionHeaderValue(Sec(6));
                return r;
            },
            () => FakeServer.Status("completed"));

        await h.Wait(Exact(new RecordingStrategy()), "j");

        Assert.Equal([0, 6_000], h.RequestTimes);
    }

    [Fact]
    public async Task A_hold_asked_by_the_strategy_is_sent_as_wait_and_extends_the_request_timeout()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.Sequence(() => FakeServer.Status("completed"));
        h.Server.Override(1, FakeServer.Hang);
        var strategy = new RecordingStrategy(hold: Sec(8));

        await h.Wait(Exact(strategy), "j");

        Assert.Equal("?wait=8", h.Server.Requests[0].Uri.Query);
        Assert.Equal([0, 14_000], h.RequestTimes); // cut at 8 s + 5 s, then max(the strategy's 1 s, the retry backoff's 500 ms)
        Assert.Equal(Sec(13), strategy.Holds[1].LastCheckDuration);
    }

    [Fact]
    public void A_context_before_the_first_check_has_attempt_0_and_a_negative_attempt_is_rejected()
    {
        Assert.Equal(0, new PollingContext(0, TimeSpan.Zero, null, 0).Attempt);
        Assert.Equal("attempt", Assert.Throws<ArgumentOutOfRangeException>(() => new PollingContext(-1, TimeSpan.Zero, null, 0)).ParamName);
    }

    [Fact]
    public async Task A_check_that_starts_past_the_deadline_still_ends_in_a_timeout_exception()
    {
        // The callback before the last sleep takes 6 s (simulated by moving the clock inside it): the sleep was cut to
        // end at the deadline, but it now ends 6 s after it.
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        var options = Exact(PollingStrategy.Fixed(Sec(4)), Sec(10));
        options.OnProgress = p =>
        {
            if (p.Attempt == 3)
            {
                h.Clock.Advance(Sec(6));
            }
        };

        var wait = h.Wait(options, "j");

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => wait);
        Assert.IsType<TranslationTimeoutException>(ex);
        Assert.Equal(4, h.Server.Requests.Count); // 0, 4, 8 and the last one at 16 s
    }

    [Fact]
    public async Task A_check_that_starts_past_the_deadline_keeps_the_whole_request_timeout()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.Override(4, FakeServer.Hang);
        var options = Exact(PollingStrategy.Fixed(Sec(4)), Sec(10));
        options.OnProgress = p =>
        {
            if (p.Attempt == 3)
            {
                h.Clock.Advance(Sec(3));
            }
        };

        var wait = h.Wait(options, "j");

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(13_000, h.RequestTimes[3]); // 8 s + 3 s callback + the 2 s left of the sleep
        Assert.Equal(Sec(18), ex.Elapsed); // the hung request was given its 5 s
        Assert.True(Assert.IsType<TranslationConnectionException>(ex.InnerException).IsTimeout);
    }

    [Fact]
    public async Task A_wait_queued_past_its_deadline_ends_at_its_deadline_without_a_check()
    {
        // One slot, no holds. a's check takes 4 s; b's deadline (3 s) passes while it queues for the slot: it ends at
        // 3 s, with no check (issue 14: a wait's deadline counts from when it was asked for, turn or no turn).
        using var h = new Harness(o => o.RequestTimeout = Sec(5));
        h.Server.Latency = Sec(4);
        h.Server.Add("a", Sec(100));
        h.Server.Add("b", Sec(100));

        var outcomes = await h.WaitAll(["a", "b"], Exact(new LongPollStrategy(), Sec(3)), new TranslationBatchOptions { MaxConcurrency = 1, MaxHeldChecks = 0 });

        Assert.Equal([0], h.RequestTimes);
        var b = Assert.IsType<TranslationTimeoutException>(outcomes[1].Error);
        Assert.Equal(Sec(3), b.Elapsed);
        Assert.Equal(0, b.Attempts);
        Assert.Null(b.LastStatus);
        var a = Assert.IsType<TranslationTimeoutException>(outcomes[0].Error);
        Assert.Equal(Sec(4), a.Elapsed); // its check, in flight at the deadline, was given its whole request timeout
        Assert.Equal(TranslationState.Pending, a.LastStatus?.State);
    }
}
