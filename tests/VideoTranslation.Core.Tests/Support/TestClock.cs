using Microsoft.Extensions.Time.Testing;
using VideoTranslation.Internal;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows its pending timers, so a test can run the client through any span
/// of fake time by jumping from one timer's due time to the next: every request then happens at its exact
/// scheduled instant. FakeTimeProvider.Advance alone would fire all due timers at the end of the jump.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _lock = new();
    // Pending timers by due time (ties by creation order), so finding the next one stays cheap with thousands of waits.
    private readonly SortedSet<(DateTimeOffset Due, long Id)> _due = new();
    private readonly Dictionary<long, TrackedTimer> _pending = new();
    private int _pendingTimeouts;
    private int _pendingQueued;
    private long _nextId;

    public TestClock()
        : base(T0)
    {
    }

    /// <summary>Time since <see cref="T0"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - T0;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // TimeProvider.CreateCancellationTokenSource hands its token source to the timer as the state: that is how a
        // request's timeout is told from a sleep.
        var tracked = new TrackedTimer(this, Interlocked.Increment(ref _nextId), state is CancellationTokenSource, state is CheckBudget.QueueTimeout);
        tracked.Inner = base.CreateTimer(s => { tracked.Fired(); callback(s); }, state, dueTime, period);
        tracked.Schedule(dueTime, period);
        return tracked;
    }

    /// <summary>
    /// Runs fake time forward by <paramref name="duration"/>, stopping at every pending timer on the way.
    /// The client's continuations run inline on this thread (no SynchronizationContext here, so the runtime
    /// inlines them), so all the client does in that span has happened when this returns.
    /// </summary>
    public void Run(TimeSpan duration) => RunUntil(GetUtcNow() + duration, stopWhen: null);

    /// <summary>Runs fake time forward until <paramref name="task"/> completes or <paramref name="limit"/> passes.</summary>
    public void RunUntilDone(Task task, TimeSpan? limit = null) =>
        RunUntil(GetUtcNow() + (limit ?? TimeSpan.FromDays(2)), stopWhen: () => task.IsCompleted);

    /// <summary>Timers that are due some time (sleeps, request timeouts, the fake server's delayed answers).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Pending timers that are cancellation timeouts (one per request in progress, in the client).</summary>
    public int PendingTimeouts
    {
        get
        {
            lock (_lock)
            {
                return _pendingTimeouts;
            }
        }
    }

    /// <summary>Pending timers that bound a wait queued for a slot of its batch's budget (by its deadline).</summary>
    public int PendingQueued
    {
        get
        {
            lock (_lock)
            {
                return _pendingQueued;
            }
        }
    }

    /// <summary>When the next pending timer is due; null when none is.</summary>
    public DateTimeOffset? NextTimerDue => NextDue();

    /// <summary>
    /// Advances to <paramref name="when"/> (or not at all if that has passed), firing every timer due by then. Safe while
    /// other threads create timers: FakeTimeProvider fires every timer due by the new time before Advance returns, so a
    /// timer still listed as due by then was listed after it fired (created on another thread while this one advanced)
    /// and is forgotten, instead of holding every later step at its instant.
    /// </summary>
    public void AdvanceTo(DateTimeOffset when)
    {
        DateTimeOffset now = GetUtcNow();
        Advance(when > now ? when - now : TimeSpan.Zero);
        lock (_lock)
        {
            now = GetUtcNow();
            while (_due.Count > 0 && _due.Min.Due <= now)
            {
                long id = _due.Min.Id;
                _due.Remove(_due.Min);
                if (_pending.Remove(id, out TrackedTimer? stale))
                {
                    stale.Forget();
                    if (stale.IsTimeout)
                    {
                        _pendingTimeouts--;
                    }

                    if (stale.IsQueued)
                    {
                        _pendingQueued--;
                    }
                }
            }
        }
    }

    private void RunUntil(DateTimeOffset end, Func<bool>? stopWhen)
    {
        var prior = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (stopWhen?.Invoke() != true)
            {
                DateTimeOffset? next = NextDue();
                if (next is null || next > end)
                {
                    AdvanceTo(end);
                    return;
                }

                AdvanceTo(next.Value);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prior);
        }
    }

    private DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _due.Count == 0 ? null : _due.Min.Due;
        }
    }

    private sealed class TrackedTimer(TestClock clock, long id, bool isTimeout, bool isQueued) : ITimer
    {
        public bool IsTimeout => isTimeout;

        public bool IsQueued => isQueued;

        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                _period = period;
                SetDue(dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime);
            }
        }

        public void Fired()
        {
            lock (clock._lock)
            {
                SetDue(_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock.GetUtcNow() + _period);
            }
        }

        // Under clock._lock.
        public void Forget() => Due = null;

        // Under clock._lock.
        private void SetDue(DateTimeOffset? due)
        {
            if (Due is DateTimeOffset old)
            {
                clock._due.Remove((old, id));
                clock._pending.Remove(id);
                clock._pendingTimeouts -= isTimeout ? 1 : 0;
                clock._pendingQueued -= isQueued ? 1 : 0;
            }

            Due = due;
            if (due is DateTimeOffset now)
            {
                clock._due.Add((now, id));
                clock._pending[id] = this;
                clock._pendingTimeouts += isTimeout ? 1 : 0;
                clock._pendingQueued += isQueued ? 1 : 0;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // The inner timer first: the due time listed is then never earlier than the real one.
            bool changed = Inner.Change(dueTime, period);
            Schedule(dueTime, period);
            return changed;
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                SetDue(null);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
