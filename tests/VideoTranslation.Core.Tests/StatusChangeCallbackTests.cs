using System.Net;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class StatusChangeCallbackTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Callback_runs_once_per_state_change_in_order()
    {
        // Arrange: pending at 0, 3, 6 s, completed at 9 s.
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9));
        var seen = new List<TranslationState>();
        var options = FixedOptions();
        options.OnStatusChanged = s => seen.Add(s.State);

        // Act
        var result = await h.Wait(options, runFor: TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(new double[] { 0, 3000, 6000, 9000 }, h.RequestTimes);
        Assert.Equal(new[] { TranslationState.Pending, TranslationState.Completed }, seen);
        Assert.Equal(TranslationState.Completed, result.State);
    }

    [Fact]
    public async Task Async_callback_runs_once_per_state_change_in_order()
    {
        // Arrange
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9), "error");
        var seen = new List<TranslationState>();
        var options = FixedOptions();
        options.OnStatusChangedAsync = (s, _) =>
        {
            seen.Add(s.State);
            return Task.CompletedTask;
        };

        // Act
        var result = await h.Wait(options, runFor: TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(4, h.Server.Requests.Count);
        Assert.Equal(new[] { TranslationState.Pending, TranslationState.Error }, seen);
        Assert.Equal(TranslationState.Error, result.State);
    }

    [Fact]
    public async Task Job_completed_on_first_check_reports_exactly_one_change()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        var sync = new List<TranslationState>();
        var asyncSeen = new List<TranslationState>();
        var options = FixedOptions();
        options.OnStatusChanged = s => sync.Add(s.State);
        options.OnStatusChangedAsync = (s, _) =>
        {
            asyncSeen.Add(s.State);
            return Task.CompletedTask;
        };

        // Act
        var result = await h.Wait(options, runFor: TimeSpan.FromSeconds(30));

        // Assert
        Assert.Single(h.Server.Requests);
        Assert.Equal(new[] { TranslationState.Completed }, sync);
        Assert.Equal(new[] { TranslationState.Completed }, asyncSeen);
        var only = Assert.Single(result.History);
        Assert.Equal(TranslationState.Completed, only.State);
    }

    [Fact]
    public async Task Transient_failures_between_two_pending_answers_do_not_repeat_the_callback()
    {
        // Arrange: pending, 503, 503, pending, completed.
        using var h = new Harness();
        h.Server.Sequence(
            () => FakeServer.Status("pending"),
            () => FakeServer.Json("""{"error":"busy"}""", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("""{"error":"busy"}""", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Status("pending"),
            () => FakeServer.Status("completed"));
        var seen = new List<TranslationState>();
        var options = FixedOptions();
        options.RetryBackoff = new RetryBackoff(Interval, 1, Interval);
        options.OnStatusChanged = s => seen.Add(s.State);

        // Act
        var result = await h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(5, h.Server.Requests.Count);
        Assert.Equal(5, result.Attempts);
        Assert.Equal(new[] { TranslationState.Pending, TranslationState.Completed }, seen);
    }

    [Fact]
    public async Task Sync_callback_runs_before_async_callback()
    {
        // Arrange
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(3));
        var events = new List<string>();
        var options = FixedOptions();
        options.OnStatusChanged = s => events.Add("sync " + s.State);
        options.OnStatusChangedAsync = (s, _) =>
        {
            events.Add("async " + s.State);
            return Task.CompletedTask;
        };

        // Act
        await h.Wait(options, runFor: TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(new[] { "sync Pending", "async Pending", "sync Completed", "async Completed" }, events);
    }

    [Fact]
    public async Task Async_callback_is_awaited_before_the_next_check()
    {
        // Arrange: the callback takes 5 s of fake time; the strategy waits 3 s after each check.
        using var h = new Harness();
        var events = new List<string>();
        h.Server.Respond = (n, _) =>
        {
            events.Add("request " + n);
            return Task.FromResult(FakeServer.Status(n < 3 ? "pending" : "completed"));
        };
        var options = FixedOptions();
        options.OnStatusChangedAsync = async (s, ct) =>
        {
            events.Add("callback start " + s.State);
            await Task.Delay(TimeSpan.FromSeconds(5), h.Clock, ct).ConfigureAwait(false);
            events.Add("callback end " + s.State);
        };

        // Act
        await h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert: the second check comes 5 s (callback) + 3 s (interval) after the first, the third 3 s later.
        Assert.Equal(new double[] { 0, 8000, 11000 }, h.RequestTimes);
        Assert.Equal(
            new[]
            {
                "request 1", "callback start Pending", "callback end Pending",
                "request 2",
                "request 3", "callback start Completed", "callback end Completed",
            },
            events);
    }

    [Fact]
    public async Task Async_callback_gets_the_waits_cancellation_token()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        using var cts = new CancellationTokenSource();
        var tokens = new List<CancellationToken>();
        var options = FixedOptions();
        options.OnStatusChangedAsync = (_, ct) =>
        {
            tokens.Add(ct);
            return Task.CompletedTask;
        };

        // Act
        await h.Wait(options, cancellationToken: cts.Token, runFor: TimeSpan.FromSeconds(30));

        // Assert
        var token = Assert.Single(tokens);
        Assert.Equal(cts.Token, token);
    }

    [Fact]
    public async Task Exception_from_sync_callback_ends_the_wait_as_the_same_instance()
    {
        // Arrange
        using var h = new Harness();
        var boom = new InvalidOperationException("boom");
        var options = FixedOptions();
        options.OnStatusChanged = _ => throw boom;

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => wait);
        Assert.Same(boom, thrown);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Exception_from_async_callback_ends_the_wait_as_the_same_instance()
    {
        // Arrange: the callback fails after a suspension, with an exception that looks transient to the client.
        using var h = new Harness();
        var boom = new TranslationHttpException(503, "Service Unavailable", string.Empty, FakeServer.BaseUri);
        var options = FixedOptions();
        options.OnStatusChangedAsync = async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), h.Clock, ct).ConfigureAwait(false);
            throw boom;
        };

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        var thrown = await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        Assert.Same(boom, thrown);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Exception_from_sync_callback_skips_the_async_callback()
    {
        // Arrange
        using var h = new Harness();
        var boom = new InvalidOperationException("boom");
        int asyncCalls = 0;
        var options = FixedOptions();
        options.OnStatusChanged = _ => throw boom;
        options.OnStatusChangedAsync = (_, _) =>
        {
            asyncCalls++;
            return Task.CompletedTask;
        };

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => wait));
        Assert.Equal(0, asyncCalls);
    }

    [Fact]
    public async Task History_equals_the_callback_arguments_observed_at_each_request()
    {
        // Arrange: requests at 0, 3, 6, 9 s; the job completes at 9 s.
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9));
        var syncArgs = new List<TranslationStatus>();
        var asyncArgs = new List<TranslationStatus>();
        var clockAtCallback = new List<DateTimeOffset>();
        var options = FixedOptions();
        options.OnStatusChanged = s =>
        {
            syncArgs.Add(s);
            clockAtCallback.Add(h.Clock.GetUtcNow());
        };
        options.OnStatusChangedAsync = (s, _) =>
        {
            asyncArgs.Add(s);
            return Task.CompletedTask;
        };

        // Act
        var result = await h.Wait(options, runFor: TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(2, result.History.Count);
        Assert.Equal(2, syncArgs.Count);
        for (int i = 0; i < result.History.Count; i++)
        {
            Assert.Same(syncArgs[i], result.History[i]);
            Assert.Same(asyncArgs[i], result.History[i]);
        }

        var requests = h.Server.Requests;
        Assert.Equal(new[] { requests[0].At, requests[3].At }, result.History.Select(s => s.ObservedAt));
        Assert.Equal(new[] { TestClock.T0, TestClock.T0.AddSeconds(9) }, result.History.Select(s => s.ObservedAt));
        Assert.Equal(clockAtCallback, result.History.Select(s => s.ObservedAt));
        Assert.Same(result.FinalStatus, result.History[^1]);
    }

    [Fact]
    public async Task Slow_async_callback_does_not_push_the_next_sleep_past_the_deadline()
    {
        // Arrange: pending forever; deadline 10 s; the first callback takes 20 s, so the deadline has passed when
        // it returns. No sleep may pass the deadline: the wait must end when the callback does, at 20 s.
        using var h = new Harness();
        var options = FixedOptions();
        options.Strategy = PollingStrategy.Fixed(TimeSpan.FromSeconds(1));
        options.MaxWait = TimeSpan.FromSeconds(10);
        options.OnStatusChangedAsync = (_, ct) => Task.Delay(TimeSpan.FromSeconds(20), h.Clock, ct);

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromSeconds(20)); // fails if it slept past the deadline

        // Assert
        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.All(h.RequestTimes, ms => Assert.True(ms <= 20000));
    }

    private static TranslationWaitOptions FixedOptions() => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        MaxWait = TimeSpan.FromMinutes(5),
    };
}
