using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Asks the server to hold each check until the job finishes (<c>?wait=</c>, see docs/protocol.md), so the answer
/// arrives as soon as the job is done, usually in one request. Falls back to <see cref="DelegatingPollingStrategy.Fallback"/>
/// for the rest of a wait as soon as an answer shows that the server does not offer long-poll.
/// </summary>
/// <remarks>
/// The first check of a wait is a long-poll check: a server that does not know <c>wait</c> ignores it and answers at
/// once (the original server does), and its answer then lacks <c>X-Long-Poll-Max</c>, so no second long-poll check is
/// made. After a held answer the next hold starts at once; after an answer that was not held (the server answered at
/// once, or a batch had no hold to spare and sent the check unheld) the fallback chooses the delay, so such waits
/// poll by hints meanwhile. A held check's time counts against the deadline: the wait shortens the hold so that it
/// ends at the deadline, and adds the hold to the request timeout.
/// </remarks>
public sealed class LongPollStrategy : DelegatingPollingStrategy
{
    /// <summary>The default <see cref="MaxHold"/>: 30 seconds, well under common proxy idle timeouts.</summary>
    public static readonly TimeSpan DefaultMaxHold = TimeSpan.FromSeconds(30);

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxHold">The longest hold to ask for; positive, at most one day. Default <see cref="DefaultMaxHold"/>.
    /// The server's own limit (<c>X-Long-Poll-Max</c>) shortens it.</param>
    /// <param name="fallback">What to do when the server does not offer long-poll. Default <see cref="ExponentialStrategy.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHold"/> is zero, negative or longer than a day.</exception>
    public LongPollStrategy(TimeSpan? maxHold = null, PollingStrategy? fallback = null)
        : base(fallback)
    {
        MaxHold = Guard.PositiveDuration(maxHold ?? DefaultMaxHold, nameof(MaxHold));
    }

    /// <summary>The longest hold asked for.</summary>
    public TimeSpan MaxHold { get; }

    /// <inheritdoc />
    public override TimeSpan GetLongPollWait(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        return Offered(context) switch
        {
            null => base.GetLongPollWait(context),
            TimeSpan limit => limit < MaxHold ? limit : MaxHold,
        };
    }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        // The wait's MinimumPollInterval, counted from the start of the held check, still bounds a server that
        // claims to hold checks but answers them at once.
        // No answer yet (the checks so far failed): the retry backoff alone paces the next try.
        TranslationStatus? last = context.LastStatus;
        bool nextHoldAtOnce = last is null || (last.LongPollHeld is { Ticks: > 0 } && Offered(context) is not null);
        return nextHoldAtOnce ? TimeSpan.Zero : base.GetNextDelay(context);
    }

    /// <inheritdoc />
    public override string ToString() => $"LongPoll(≤ {Guard.Format(MaxHold)}, else {Fallback})";

    // The hold the server offers: optimistic before any answer, else what the last answer advertised (null: none).
    private TimeSpan? Offered(PollingContext context)
    {
        if (context.LastStatus is not { } last)
        {
            return MaxHold;
        }

        return last.LongPollLimit is TimeSpan limit && limit > TimeSpan.Zero ? limit : null;
    }
}
