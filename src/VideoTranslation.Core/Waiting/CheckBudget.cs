using System;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// A batch's request limits for one server: short checks and held (long-poll) checks have budgets of their own, so
/// waits holding checks for up to their whole hold never make the others queue. A check that wants a hold and finds
/// every hold taken goes out unheld instead, so its wait polls by hints meanwhile. Held checks that go out in groups
/// (<see cref="GroupHolds"/>) take one hold per group request.
/// </summary>
internal sealed class CheckBudget : IDisposable
{
    private readonly SemaphoreSlim _checks;
    private readonly SemaphoreSlim? _holds; // null: never hold

    public CheckBudget(int maxChecks, int maxHolds, ServerConnection? server = null, TimeProvider? time = null)
    {
        _checks = new SemaphoreSlim(maxChecks, maxChecks);
        _holds = maxHolds > 0 ? new SemaphoreSlim(maxHolds, maxHolds) : null;
        Groups = _holds is not null && server is not null ? new GroupHolds(server, this, time ?? TimeProvider.System) : null;
    }

    /// <summary>The held checks of this server in groups, when the budget holds at all and knows its server.</summary>
    public GroupHolds? Groups { get; }

    /// <summary>Takes a hold if one is wanted and free (without waiting), else waits for a short-check slot.</summary>
    public async ValueTask<Lease> EnterAsync(bool wantsHold, CancellationToken cancellationToken) =>
        (await EnterAsync(wantsHold, null, TimeProvider.System, cancellationToken).ConfigureAwait(false))!.Value;

    /// <summary>
    /// As <see cref="EnterAsync(bool, CancellationToken)"/>, but waits for a slot no longer than <paramref name="notAfter"/>
    /// (by <paramref name="time"/>; null: as long as it takes): null when that passed first. A wait's deadline counts from
    /// when it was asked for, so a wait whose turn has not come by then ends at its deadline, not when a slot frees.
    /// </summary>
    public async ValueTask<Lease?> EnterAsync(bool wantsHold, TimeSpan? notAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        if (wantsHold && _holds is not null && _holds.Wait(0, CancellationToken.None))
        {
            return new Lease(_holds, mayHold: true);
        }

        if (notAfter is not TimeSpan limit || _checks.Wait(0, CancellationToken.None))
        {
            if (notAfter is null)
            {
                await _checks.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new Lease(_checks, mayHold: false);
        }

        if (limit <= TimeSpan.Zero)
        {
            return null;
        }

        // The provider's timer, not SemaphoreSlim's own timeout: that one runs on the real clock.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task slot = _checks.WaitAsync(stop.Token);
        var expiry = new QueueTimeout();
        using (ITimer timer = time.CreateTimer(static state => ((QueueTimeout)state!).Fire(), expiry, limit, Timeout.InfiniteTimeSpan))
        {
            if (await Task.WhenAny(slot, expiry.Fired).ConfigureAwait(false) == slot)
            {
                await slot.ConfigureAwait(false); // done: the slot, or the caller's cancellation
                return new Lease(_checks, mayHold: false);
            }
        }

        // The wait for a slot ends as the deadline fires (its cancellation completes it inline; only its continuations
        // would run on the pool), and a slot taken meanwhile is given back.
        stop.Cancel();
        if (slot.Status == TaskStatus.RanToCompletion)
        {
            _checks.Release();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }

    /// <summary>Whether this budget ever grants a hold.</summary>
    public bool AllowsHolds => _holds is not null;

    /// <summary>How many holds are free now.</summary>
    public int FreeHolds => _holds?.CurrentCount ?? 0;

    /// <summary>Takes a hold for a group request, without waiting; false when every hold is taken.</summary>
    public bool TryTakeHold()
    {
        try
        {
            return _holds is not null && _holds.Wait(0, CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            return false; // the batch has ended
        }
    }

    /// <summary>Gives back a hold taken with <see cref="TryTakeHold"/>; a group request may end after its batch.</summary>
    public void ReleaseHold()
    {
        try
        {
            _holds?.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _checks.Dispose();
        _holds?.Dispose();
    }

    /// <summary>The timer of a wait queued for a slot until its deadline (a type of its own, so a test clock can tell it).</summary>
    internal sealed class QueueTimeout
    {
        // Inline continuations: the wait ends on the timer's thread, at its deadline (on a test clock, within its step).
        private readonly TaskCompletionSource<bool> _fired = new();

        public Task Fired => _fired.Task;

        public void Fire() => _fired.TrySetResult(true);
    }

    /// <summary>One slot, released on dispose.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly SemaphoreSlim? _slot;

        public Lease(SemaphoreSlim? slot, bool mayHold)
        {
            _slot = slot;
            MayHold = mayHold;
        }

        /// <summary>Outside a batch: no limit, any hold.</summary>
        public static Lease Unlimited => new(null, mayHold: true);

        public bool MayHold { get; }

        public void Dispose() => _slot?.Release();
    }
}
