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
        var clock = new TestClock();
        var server = new FakeServer(clock);
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        var wait = client.WaitForCompletionAsync(null, FixedOptions(TimeSpan.FromSeconds(10)), cts.Token);
        clock.Run(TimeSpan.FromSeconds(15)); // checks at 0 and 10 s; now sleeping until 20 s

        // Act: fake time stands still, so only the cancelled sleep can end the wait.
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        clock.Run(TimeSpan.FromMinutes(5));

        // Assert
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(new double[] { 0, 10000 }, server.RequestOffsetsMs(TestClock.T0));
    }

    [Fact]
    public async Task Cancel_while_request_in_flight_throws_cancellation_not_connection_error()
    {
        // Arrange: the first answer never comes; the request timeout (5 s) is far away.
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Respond = (_, ct) => FakeServer.Hang(ct);
        var logger = new FakeLogger();
        using var client = NewClient(clock, server, logger);
        using var cts = new CancellationTokenSource();
        var wait = client.WaitForCompletionAsync(null, FixedOptions(TimeSpan.FromSeconds(10)), cts.Token);
        clock.Run(TimeSpan.FromSeconds(1));
        Assert.Single(server.Requests);
        Assert.False(wait.IsCompleted);

        // Act
        cts.Cancel();

        // Assert: ThrowsAnyAsync<OperationCanceledException> fails on a TranslationConnectionException, and the
        // cancellation was not taken for a failed check to retry.
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        clock.Run(TimeSpan.FromMinutes(5));
        Assert.Single(server.Requests);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task GetStatusAsync_cancelled_while_in_flight_throws_cancellation_not_connection_error()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Respond = (_, ct) => FakeServer.Hang(ct);
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        var check = client.GetStatusAsync(null, cts.Token);
        clock.Run(TimeSpan.FromSeconds(1));
        Assert.False(check.IsCompleted);

        // Act
        cts.Cancel();

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Already_cancelled_token_throws_without_any_request()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var wait = client.WaitForCompletionAsync(null, FixedOptions(TimeSpan.FromSeconds(1)), cts.Token);
        clock.Run(TimeSpan.FromMinutes(1));

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Sync_wait_with_already_cancelled_token_throws_without_any_request()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act + Assert
        Assert.ThrowsAny<OperationCanceledException>(
            () => client.WaitForCompletion(null, FixedOptions(TimeSpan.FromSeconds(1)), cts.Token));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetStatusAsync_with_cancelled_token_throws_cancellation()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Sequence(() => FakeServer.Status("completed"));
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var check = client.GetStatusAsync("job-1", cts.Token);

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task GetStatusAsync_with_cancelled_token_sends_no_request()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Sequence(() => FakeServer.Status("completed"));
        using var client = NewClient(clock, server);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var check = client.GetStatusAsync("job-1", cts.Token);

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Sync_wait_cancelled_from_another_thread_while_request_hangs_throws_cancellation()
    {
        // Arrange: real clock; the request hangs and its own timeout is an hour away.
        var server = new FakeServer(TimeProvider.System);
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Respond = (_, ct) =>
        {
            requestArrived.TrySetResult();
            return FakeServer.Hang(ct);
        };
        using var client = RealClockClient(server);
        using var cts = new CancellationTokenSource();
        var options = new TranslationWaitOptions { Strategy = PollingStrategy.Fixed(TimeSpan.FromHours(1)), MaxWait = TimeSpan.FromHours(2) };

        // Act
        var wait = Task.Run(() => client.WaitForCompletion(null, options, cts.Token));
        await requestArrived.Task.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Sync_wait_cancelled_from_another_thread_while_sleeping_throws_cancellation()
    {
        // Arrange: real clock; the job stays pending and the next check is an hour away.
        var server = new FakeServer(TimeProvider.System);
        using var client = RealClockClient(server);
        using var cts = new CancellationTokenSource();
        var firstStatusSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TranslationWaitOptions
        {
            Strategy = PollingStrategy.Fixed(TimeSpan.FromHours(1)),
            MaxWait = TimeSpan.FromHours(2),
            OnStatusChanged = _ => firstStatusSeen.TrySetResult(),
        };

        // Act
        var wait = Task.Run(() => client.WaitForCompletion(null, options, cts.Token));
        await firstStatusSeen.Task.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Sync_GetStatus_cancelled_from_another_thread_while_request_hangs_throws_cancellation()
    {
        // Arrange
        var server = new FakeServer(TimeProvider.System);
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Respond = (_, ct) =>
        {
            requestArrived.TrySetResult();
            return FakeServer.Hang(ct);
        };
        using var client = RealClockClient(server);
        using var cts = new CancellationTokenSource();

        // Act
        var check = Task.Run(() => client.GetStatus(null, cts.Token));
        await requestArrived.Task.WaitAsync(Generous);
        cts.CancelAfter(TimeSpan.FromMilliseconds(50));

        // Assert
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.WaitAsync(Generous));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    private static TranslationClient NewClient(TestClock clock, FakeServer server, ILogger? logger = null) =>
        new(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock, Logger = logger }, new HttpClient(server));

    // A request timeout of an hour, so that only the caller's token can end a hanging request within the test.
    private static TranslationClient RealClockClient(FakeServer server) =>
        new(
            FakeServer.BaseUri,
            new TranslationClientOptions { RequestTimeout = TimeSpan.FromHours(1) },
            new HttpClient(server) { Timeout = Timeout.InfiniteTimeSpan });

    private static TranslationWaitOptions FixedOptions(TimeSpan interval) => new()
    {
        Strategy = PollingStrategy.Fixed(interval),
        MaxWait = TimeSpan.FromHours(1),
    };
}
