using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Asks the server to hold each check until the job finishes (<c>?wait=</c>, see docs/protocol.md), so the answer
/// arrives as soon as the job is done, usually in one request. Falls back to <see cref="Fallback"/> for the rest of a
/// wait as soon as an answer shows that the server does not offer long-poll.
/// </summary>
/// <remarks>
/// The first check of a wait is a long-poll check: a server that does not know <c>wait</c> ignores it and answers at
/// once (the original server does), and its answer then lacks <c>X-Long-Poll-Max</c>, so no second long-poll check is
/// made. A held check's time counts against the wait's deadline; the loop shortens the hold so it ends at the deadline,
/// and adds the hold to the request timeout.
/// </remarks>
public sealed class LongPollStrategy : PollingStrategy
{
    /// <summary>The default <see cref="MaxHold"/>: 30 seconds, well under common proxy idle timeouts.</summary>
    public static readonly TimeSpan DefaultMaxHold = TimeSpan.FromSeconds(30);

    /// <summary>Creates the strategy.</summary>
    /// <param name="maxHold">The longest hold to ask for; positive, at most one day. Default <see cref="DefaultMaxHold"/>.
    /// The server's own limit (<c>X-Long-Poll-Max</c>) shortens it.</param>
    /// <param name="fallback">What to do when the server does not offer long-poll. Default an <see cref="AdaptiveStrategy"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHold"/> is zero, negative or longer than a day.</exception>
    public LongPollStrategy(TimeSpan? maxHold = null, PollingStrategy? fallback = null)
    {
        MaxHold = Guard.PositiveDuration(maxHold ?? DefaultMaxHold, nameof(MaxHold));
        Fallback = fallback ?? new AdaptiveStrategy();
    }

    /// <summary>The longest hold asked for.</summary>
    public TimeSpan MaxHold { get; }

    /// <summary>The strategy used when the server does not offer long-poll.</summary>
    public PollingStrategy Fallback { get; }

    /// <inheritdoc />
    public override bool UsesServerHints => Fallback.UsesServerHints;

    /// <inheritdoc />
    public override TimeSpan GetLongPollWait(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        return Offered(context) switch
        {
            null => Fallback.GetLongPollWait(context),
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

        // After a held answer the next hold starts at once; the loop's MinimumPollInterval, counted from the start of
        // the held check, still stops a server that answers held checks at once from being hammered.
        return Offered(context) is null ? Fallback.GetNextDelay(context) : TimeSpan.Zero;
    }

    /// <inheritdoc />
    public override void OnWaitCompleted(PollingContext context) => Fallback.OnWaitCompleted(context);

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
