using System.Collections.Concurrent;
using System.Net;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>
/// The sync API blocks its caller; under a single-threaded SynchronizationContext (WinForms, WPF, the PowerShell
/// pipeline thread, old ASP.NET) anything posted to that context while the caller blocks never runs. These tests
/// run each sync call on a dedicated thread with such a context installed, on the real clock.
/// </summary>
public class SyncContextTests
{
    // Generous: a green run takes milliseconds; a deadlock never ends, so only a broken build waits this long.
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void WaitForCompletion_does_not_deadlock_when_handler_yields()
    {
        // Arrange
        using var h = RealClock();
        h.Server.Respond = async (n, _) =>
        {
            await Task.Yield();
            return FakeServer.Status(n < 3 ? "pending" : "completed");
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion(null, FastOptions()));

        // Assert
        Assert.True(run.Finished, "the sync wait deadlocked under a single-threaded SynchronizationContext");
        Assert.Null(run.Error);
        Assert.Equal(TranslationState.Completed, run.Result!.State);
        Assert.Equal(3, run.Result.Attempts);
        Assert.Equal(0, run.Posted);
    }

    [Fact]
    public void WaitForCompletion_does_not_deadlock_when_handler_delays()
    {
        // Arrange
        using var h = RealClock();
        h.Server.Respond = async (n, ct) =>
        {
            await Task.Delay(1, ct);
            return FakeServer.Status(n < 3 ? "pending" : "error");
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion("job-7", FastOptions()));

        // Assert
        Assert.True(run.Finished, "the sync wait deadlocked under a single-threaded SynchronizationContext");
        Assert.Null(run.Error);
        Assert.Equal(TranslationState.Error, run.Result!.State);
        Assert.Equal("job-7", run.Result.JobId);
        Assert.Equal(3, h.Server.Requests.Count);
        Assert.Equal(0, run.Posted);
    }

    [Fact]
    public void GetStatus_does_not_deadlock_when_handler_yields()
    {
        // Arrange
        using var h = RealClock();
        h.Server.Respond = async (_, ct) =>
        {
            await Task.Delay(1, ct);
            return FakeServer.Json("""{"result":"pending","progress":0.25}""");
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.GetStatus("job-1"));

        // Assert
        Assert.True(run.Finished, "the sync check deadlocked under a single-threaded SynchronizationContext");
        Assert.Null(run.Error);
        Assert.Equal(TranslationState.Pending, run.Result!.State);
        Assert.Equal(0.25, run.Result.Progress);
        Assert.Equal(0, run.Posted);
    }

    [Fact]
    public void WaitForCompletion_does_not_deadlock_when_async_callback_yields_after_synchronous_first_check()
    {
        // Arrange: the handler answers synchronously, so the first check and the first callback run on the blocked
        // caller's thread before any real suspension; the callback's await captures whatever context is current.
        using var h = RealClock();
        h.Server.Sequence(
            () => FakeServer.Status("pending"),
            () => FakeServer.Status("pending"),
            () => FakeServer.Status("completed"));
        var seen = new ConcurrentQueue<TranslationState>();
        var options = FastOptions();
        options.OnStatusChangedAsync = async (s, _) =>
        {
            await Task.Yield(); // deliberately without ConfigureAwait(false), as user code often is
            seen.Enqueue(s.State);
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion(null, options));

        // Assert
        Assert.True(run.Finished, "the sync wait deadlocked: the callback's continuation went to the blocked context");
        Assert.Null(run.Error);
        Assert.Equal(TranslationState.Completed, run.Result!.State);
        Assert.Equal(new[] { TranslationState.Pending, TranslationState.Completed }, seen);
        Assert.Equal(0, run.Posted);
    }

    [Fact]
    public void Sync_call_restores_the_callers_synchronization_context()
    {
        // Arrange
        using var h = RealClock();
        h.Server.Sequence(() => FakeServer.Status("completed"));

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion(null, FastOptions()));

        // Assert
        Assert.True(run.Finished);
        Assert.Null(run.Error);
        Assert.Same(run.Context, run.ContextAfterCall);
    }

    [Fact]
    public void Sync_wait_rethrows_a_failure_unwrapped()
    {
        // Arrange: 404 is not transient, so the wait ends with the typed exception, not an AggregateException.
        using var h = RealClock();
        h.Server.Respond = async (_, ct) =>
        {
            await Task.Delay(1, ct);
            return FakeServer.Json("""{"error":"no such job"}""", HttpStatusCode.NotFound);
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion("gone", FastOptions()));

        // Assert
        Assert.True(run.Finished);
        var http = Assert.IsType<TranslationHttpException>(run.Error);
        Assert.Equal(404, http.StatusCode);
    }

    [Fact]
    public void Sync_wait_rethrows_a_callback_exception_as_the_same_instance()
    {
        // Arrange
        using var h = RealClock();
        h.Server.Respond = async (_, _) =>
        {
            await Task.Yield();
            return FakeServer.Status("pending");
        };
        var boom = new InvalidOperationException("boom");
        var options = FastOptions();
        options.OnStatusChanged = _ => throw boom;

        // Act
        var run = RunUnderSingleThreadContext(() => h.Client.WaitForCompletion(null, options));

        // Assert
        Assert.True(run.Finished);
        Assert.Same(boom, run.Error);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public void Async_wait_never_needs_the_callers_context()
    {
        // Arrange: a caller that blocks on the async API under a UI-like context. Every continuation inside the
        // client must run without that context (ConfigureAwait(false)); the handler is written the same way.
        using var h = RealClock();
        h.Server.Respond = async (n, ct) =>
        {
            await Task.Delay(1, ct).ConfigureAwait(false);
            return FakeServer.Status(n < 3 ? "pending" : "completed");
        };

        // Act
        var run = RunUnderSingleThreadContext(() => h.Start(FastOptions()).GetAwaiter().GetResult());

        // Assert
        Assert.True(run.Finished, "a continuation inside the client was posted to the caller's blocked context");
        Assert.Null(run.Error);
        Assert.Equal(TranslationState.Completed, run.Result!.State);
        Assert.Equal(0, run.Posted);
    }

    private static Harness RealClock() => Harness.OnRealClock(o => o.MinimumPollInterval = TimeSpan.FromMilliseconds(10));

    private static TranslationWaitOptions FastOptions() => new()
    {
        Strategy = PollingStrategy.Fixed(TimeSpan.FromMilliseconds(10)),
        MaxWait = TimeSpan.FromMinutes(1),
    };

    /// <summary>Runs <paramref name="call"/> on a new thread whose SynchronizationContext is single-threaded.</summary>
    private static ContextRun<T> RunUnderSingleThreadContext<T>(Func<T> call)
    {
        var context = new SingleThreadSynchronizationContext();
        var run = new ContextRun<T> { Context = context };
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                run.Result = call();
            }
            catch (Exception ex)
            {
                run.Error = ex;
            }

            run.ContextAfterCall = SynchronizationContext.Current;
        })
        {
            IsBackground = true, // a deadlocked thread must not keep the test host alive
            Name = "single-threaded context",
        };

        thread.Start();
        run.Finished = thread.Join(JoinTimeout);
        run.Posted = context.PostedCount;
        return run;
    }

    private sealed class ContextRun<T>
    {
        public bool Finished { get; set; }

        public T? Result { get; set; }

        public Exception? Error { get; set; }

        public SynchronizationContext? Context { get; init; }

        public SynchronizationContext? ContextAfterCall { get; set; }

        /// <summary>How many callbacks were posted to the context (none of them ever runs).</summary>
        public int Posted { get; set; }
    }

    /// <summary>
    /// A context whose posted work only its own thread may run, and that thread is blocked in the sync call, so
    /// anything posted while the call runs waits forever: exactly a UI thread's behaviour.
    /// </summary>
    private sealed class SingleThreadSynchronizationContext : SynchronizationContext
    {
        private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _queue = new();
        private int _posted;

        public int PostedCount => Volatile.Read(ref _posted);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posted);
            _queue.Enqueue((d, state));
        }

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("Send would block on the busy owner thread.");

        public override SynchronizationContext CreateCopy() => this;
    }
}
