namespace VideoTranslation.Tests.Support;

/// <summary>
/// Runs a batch of waits on the fake clock with exact timing although some of its continuations leave the clock's
/// thread: a slot of the request gate handed to a queued wait (SemaphoreSlim resumes it on the thread pool) and the
/// waits cancelled when a batch stops. Before each step of the clock the driver waits (real time, bounded) until the
/// batch is at rest: every wait that has not finished either sleeps on a timer or has its request at the server, or
/// all the slots are taken. Only then does fake time move.
/// </summary>
public sealed class BatchDriver
{
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(15);

    private readonly Harness _harness;
    private readonly Func<int> _waits;
    private readonly int _slots;
    private readonly Func<bool>? _settled;
    private int _finished;

    public BatchDriver(Harness harness, int waits, TranslationBatchOptions batch)
        : this(harness, () => waits, batch.MaxConcurrency, batch, settled: null)
    {
    }

    /// <summary>
    /// A driver for a batch whose waits arrive over time (<paramref name="waits"/>: how many have arrived so far), over
    /// <paramref name="slots"/> ordinary slots in all (the sum over its servers); <paramref name="settled"/>, when given,
    /// must also hold before fake time moves (e.g. an outcome the test asked for has been handed over).
    /// </summary>
    public BatchDriver(Harness harness, Func<int> waits, int slots, TranslationBatchOptions batch, Func<bool>? settled)
    {
        _harness = harness;
        _waits = waits;
        _slots = slots;
        _settled = settled;
        Action<TranslationJobOutcome>? inner = batch.OnJobFinished;
        batch.OnJobFinished = outcome =>
        {
            Interlocked.Increment(ref _finished);
            inner?.Invoke(outcome);
        };
    }

    /// <summary>Waits whose end the batch has reported.</summary>
    public int Finished => Volatile.Read(ref _finished);

    // A request in progress holds its timeout timer from before it reaches the server until after its answer is read;
    // a held or delayed answer has one more timer of its own. The other timers are sleeping waits. At rest: every
    // request that started has reached the server and has its answer scheduled, and every wait is accounted for.
    private bool AtRest()
    {
        if (_settled?.Invoke() == false)
        {
            return false;
        }

        TestClock clock = _harness.Clock;
        FakeServer server = _harness.Server;
        int requests = clock.PendingTimeouts;
        int inFlight = server.InFlight;
        int answers = server.PendingAnswers;
        if (requests != inFlight || (answers != inFlight && (server.Latency > TimeSpan.Zero || server.LongPollMaxSeconds is not null)))
        {
            return false;
        }

        int sleeping = clock.PendingTimers - requests - answers - clock.PendingQueued; // a wait queued for a slot is not asleep
        // A group request answers for several waits.
        int elsewhere = _waits() - Finished - sleeping - requests - server.ExtraGroupMembersInFlight; // queued for a slot, or on their way
        return elsewhere <= 0 || requests >= _slots;
    }

    /// <summary>Runs fake time until <paramref name="task"/> completes; false when the batch stopped moving (a deadlock).</summary>
    public bool Run(Task task, TimeSpan? limit = null) => Run(() => task.IsCompleted, limit, idleEnds: false);

    /// <summary>
    /// Runs fake time until <paramref name="done"/> or <paramref name="limit"/> passes; a batch at rest with nothing
    /// due on the clock (every wait ended, the input still open) is idle, and fake time then jumps to the limit.
    /// False when the batch stopped moving.
    /// </summary>
    public bool RunUntil(Func<bool> done, TimeSpan? limit = null) => Run(done, limit, idleEnds: true);

    private bool Run(Func<bool> isDone, TimeSpan? limit, bool idleEnds)
    {
        TestClock clock = _harness.Clock;
        DateTimeOffset end = clock.GetUtcNow() + (limit ?? TimeSpan.FromDays(2));
        var prior = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (!isDone())
            {
                // At rest twice in a row, so a wait caught between two of its counters does not pass for one at rest.
                if (!SpinWait.SpinUntil(() => isDone() || (AtRest() && Yielded() && AtRest()), Stuck))
                {
                    return false;
                }

                if (isDone())
                {
                    break;
                }

                DateTimeOffset? next = clock.NextTimerDue;
                if (next is null && idleEnds)
                {
                    clock.AdvanceTo(end);
                    return true;
                }

                if (next is null)
                {
                    // Nothing to wait for on the clock: what is left (cancelled waits unwinding) runs on the pool.
                    if (!SpinWait.SpinUntil(() => isDone() || clock.NextTimerDue is not null, Stuck))
                    {
                        return false;
                    }

                    continue;
                }

                if (next > end)
                {
                    clock.AdvanceTo(end);
                    return true;
                }

                clock.AdvanceTo(next.Value);
            }

            return true;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(prior);
        }
    }

    private static bool Yielded()
    {
        Thread.Yield();
        return true;
    }
}
