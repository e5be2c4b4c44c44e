using Microsoft.Extensions.Logging;

namespace VideoTranslation;

/// <summary>The event ids the client logs with, so hosts can filter on them. Stable across versions.</summary>
public static class TranslationLogEvents
{
    /// <summary>A status check answered (Debug).</summary>
    public static readonly EventId StatusChecked = new(1, nameof(StatusChecked));

    /// <summary>A job changed state, the first observation included (Information).</summary>
    public static readonly EventId StateChanged = new(2, nameof(StateChanged));

    /// <summary>
    /// A check failed transiently and will be retried (Warning): what failed, which retry comes ("2 of 4" while the
    /// server does not answer at all, see <see cref="TranslationClientOptions.MaxTransportRetries"/>) and when. The
    /// cmdlets write it as a warning.
    /// </summary>
    public static readonly EventId RetryingAfterFailure = new(3, nameof(RetryingAfterFailure));

    /// <summary>A wait ended with a terminal state (Information).</summary>
    public static readonly EventId WaitFinished = new(4, nameof(WaitFinished));

    /// <summary>A wait reached its deadline (Warning).</summary>
    public static readonly EventId WaitTimedOut = new(5, nameof(WaitTimedOut));

    /// <summary>A check failed in a way retrying will not fix, or the server stayed unreachable past its retries; the wait ends (Warning).</summary>
    public static readonly EventId PermanentFailure = new(6, nameof(PermanentFailure));

    /// <summary>The delay chosen before the next check (Trace).</summary>
    public static readonly EventId NextCheckScheduled = new(7, nameof(NextCheckScheduled));

    /// <summary>A single status check (<see cref="TranslationClient.GetStatusAsync"/>) answered: its URL, state and duration (Information).</summary>
    public static readonly EventId StatusAnswered = new(10, nameof(StatusAnswered));

    /// <summary>Warning: a create request failed in a way that may heal and is retried with the same <c>Idempotency-Key</c>.</summary>
    public static readonly EventId CreateRetrying = new(11, nameof(CreateRetrying));

    /// <summary>
    /// Warning: a batch's request limits for a server (MaxConcurrency and MaxHeldChecks) need more sockets than this process
    /// may open (its descriptor limit, <c>ulimit -n</c>), and are lowered to fit.
    /// </summary>
    public static readonly EventId BatchLimitedByDescriptors = new(12, nameof(BatchLimitedByDescriptors));
}
