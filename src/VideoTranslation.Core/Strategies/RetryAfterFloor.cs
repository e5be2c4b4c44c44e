using System;

namespace VideoTranslation.Internal;

/// <summary>
/// Takes the server's <c>Retry-After</c> on a pending answer as a floor under the inner strategy's delay: what the
/// named Fixed and Exponential strategies do, which read no hints themselves. Not after a held long-poll answer: by
/// answering, the server just said that now is the time to ask.
/// </summary>
internal sealed class RetryAfterFloor : DelegatingPollingStrategy
{
    public RetryAfterFloor(PollingStrategy inner)
        : base(inner)
    {
    }

    public override TimeSpan GetNextDelay(PollingContext context)
    {
        TimeSpan delay = base.GetNextDelay(context);
        return context.ConsecutiveFailures == 0 && context.LastStatus is { RetryAfter: TimeSpan hinted } last && last.LongPollHeld is not { Ticks: > 0 } && hinted > delay
            ? hinted
            : delay;
    }

    public override string ToString() => Fallback.ToString()!;
}
