using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class CancellationTests
{
    // Real-clock tests only wait for completion signals; this bound is for a broken build, never reached when green.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Cancel_during_sleep_between_checks_throws_and_makes_no_further_request()
    {
        // Arrange: pending forever, a check every 10 s.
        using var h = new Harness();
        using var cts = new CancellationTokenSource();
        var wait = h.Start(FixedOptions(TimeSpan.FromSeconds(10)), cancellationToken: cts.Token);
        h.Clock.Run(TimeSpan.FromSeconds(15)); // checks at 0 and 10 s; now sleeping until 20 s

        // Act: fake time stands still, so only the cancelled sleep can end the wait.
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        h.Clock.Run(TimeSpan.FromMinutes(5));

        // Assert
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(new double[] { 0, 10000 }, h.RequestTimes);
    }

    [Fact]
    public async Task Cancel_while_request_in_flight_throws_cancellation_not_connection_error()
    {
        // Arrange: the first answer never comes; the request timeout (5 s) is far away.
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        using var cts = new CancellationTokenSource();
        var wait = h.Start(FixedOptions(TimeSpan.FromSeconds(10)), cancellationToken: cts.Token);
        h.Clock.Run(TimeSpan.FromSeconds(1));
        Assert.Single(h.Server.Requests);
        Assert.False(wait.IsCompleted);

        // Act
        cts.Cancel();

        // Assert: ThrowsAnyAsync<OperationCanceledException> fails on a TranslationConnectionException, and the
        // cancellation was not taken for a failed check to retry.
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        h.Clock.Run(TimeSpan.FromMinutes(5));
        Assert.Single(h.Server.Requests);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task GetStatusAsync_cancelled_while_in_flight_throws_cancellation_not_connection_error()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        using var cts = new CancellationTokenSource();
        var check = h.Client.GetStatusAsync(null, cts.Token);
        h.Clock.Run(TimeSpan.FromSeconds(1));
        Assert.False(check.IsCompleted);

        // Act
        cts.Cancel();

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Already_cancelled_token_throws_without_any_request()
    {
        // Arrange
        using var h = new Harness();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var wait = h.Start(FixedOptions(TimeSpan.FromSeconds(1)), cancellationToken: cts.Token);
        h.Clock.Run(TimeSpan.FromMinutes(1));

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public void Sync_wait_with_already_cancelled_token_throws_without_any_request()
    {
        // Arrange
        using var h = new Harness();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act + Assert
        Assert.ThrowsAny<OperationCanceledException>(
            () => h.Client.WaitForCompletion(null, FixedOptions(TimeSpan.FromSeconds(1)), cts.Token));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task GetStatusAsync_with_cancelled_token_throws_cancellation()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var check = h.Client.GetStatusAsync("job-1", cts.Token);

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task GetStatusAsync_with_cancelled_token_sends_no_request()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var check = h.Client.GetStatusAsync("job-1", cts.Token);

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task Sync_wait_cancelled_from_another_thread_while_request_hangs_throws_cancellation()
    {
        // Arrange: real clock; the request hangs and its own timeout is an hour away.
        using var h = RealClock();
        Task requestArrived = HangEveryRequest(h);
        using var cts = new CancellationTokenSource();
        var options = new TranslationWaitOptions { Strategy = PollingStrategy.Fixed(TimeSpan.FromHours(1)), MaxWait = TimeSpan.FromHours(2) };

        // Act
        var wait = Task.Run(() => h.Client.WaitForCompletion(null, options, cts.Token));
        await requestArrived.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Sync_wait_cancelled_from_another_thread_while_sleeping_throws_cancellation()
    {
        // Arrange: real clock; the job stays pending and the next check is an hour away.
        using var h = RealClock();
        using var cts = new CancellationTokenSource();
        var firstStatusSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TranslationWaitOptions
        {
            Strategy = PollingStrategy.Fixed(TimeSpan.FromHours(1)),
            MaxWait = TimeSpan.FromHours(2),
            OnStatusChanged = _ => firstStatusSeen.TrySetResult(),
        };

        // Act
        var wait = Task.Run(() => h.Client.WaitForCompletion(null, options, cts.Token));
        await firstStatusSeen.Task.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Sync_GetStatus_cancelled_from_another_thread_while_request_hangs_throws_cancellation()
    {
        // Arrange
        using var h = RealClock();
        Task requestArrived = HangEveryRequest(h);
        using var cts = new CancellationTokenSource();

        // Act
        var check = Task.Run(() => h.Client.GetStatus(null, cts.Token));
        await requestArrived.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    // A request timeout of an hour, so that only the caller's token can end a hanging request within the test.
    private static Harness RealClock() => Harness.OnRealClock(o => o.RequestTimeout = TimeSpan.FromHours(1));

    // Every request hangs until cancelled; the task completes when the first one arrives.
    private static Task HangEveryRequest(Harness h)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.Respond = (_, ct) =>
        {
            arrived.TrySetResult();
            return FakeServer.Hang(ct);
        };
        return arrived.Task;
    }

    private static TranslationWaitOptions FixedOptions(TimeSpan interval) => new()
    {
        Strategy = PollingStrategy.Fixed(interval),
        MaxWait = TimeSpan.FromHours(1),
    };
}
