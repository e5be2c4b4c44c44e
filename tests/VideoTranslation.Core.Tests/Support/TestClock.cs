using Microsoft.Extensions.Time.Testing;

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
    private readonly List<TrackedTimer> _timers = new();

    public TestClock()
        : base(T0)
    {
    }

    /// <summary>Time since <see cref="T0"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - T0;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);
        tracked.Inner = base.CreateTimer(s => { tracked.Fired(); callback(s); }, state, dueTime, period);
        tracked.Schedule(dueTime, period);
        lock (_lock)
        {
            _timers.Add(tracked);
        }

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
                    if (end > GetUtcNow())
                    {
                        Advance(end - GetUtcNow());
                    }

                    return;
                }

                Advance(next.Value > GetUtcNow() ? next.Value - GetUtcNow() : TimeSpan.Zero);
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
            _timers.RemoveAll(t => t.Due is null);
            return _timers.Count == 0 ? null : _timers.Min(t => t.Due);
        }
    }

    private sealed class TrackedTimer(TestClock clock) : ITimer
    {
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                _period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            }
        }

        public void Fired()
        {
            lock (clock._lock)
            {
                Due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock.GetUtcNow() + _period;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                Due = null;
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
