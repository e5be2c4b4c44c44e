using System;

namespace VideoTranslation;

/// <summary>
/// Chooses how to make each status check: how long to sleep before it and, for servers that support long-poll,
/// how long to ask the server to hold it. Derive from this class to plug in your own strategy.
/// </summary>
/// <remarks>
/// One instance may serve many waits at once, so implementations must be thread-safe and keep per-wait
/// state out of fields (everything a wait knows is in the <see cref="PollingContext"/>).
/// Whatever a strategy returns, the wait loop keeps at least the client's
/// <see cref="TranslationClientOptions.MinimumPollInterval"/> between the starts of two checks, honours the retry
/// backoff and any <c>Retry-After</c> after a failure, honours a <c>Retry-After</c> on a successful answer unless
/// <see cref="UsesServerHints"/> is true, and shortens every sleep and hold so that none passes the wait's deadline.
/// </remarks>
public abstract class PollingStrategy
{
    /// <summary>Returns the delay before the next check.</summary>
    /// <param name="context">The wait so far.</param>
    /// <returns>The delay; negative values are treated as zero.</returns>
    public abstract TimeSpan GetNextDelay(PollingContext context);

    /// <summary>
    /// How long the next check should ask the server to hold the request until the job finishes (long-poll,
    /// <c>?wait=</c>); <see cref="TimeSpan.Zero"/> for an ordinary check. Called before every check, the first one
    /// included (then <see cref="PollingContext.Attempt"/> is 0). Default: never long-poll.
    /// </summary>
    /// <param name="context">The wait so far.</param>
    /// <returns>The hold; the loop shortens it to the time left before the deadline.</returns>
    public virtual TimeSpan GetLongPollWait(PollingContext context) => TimeSpan.Zero;

    /// <summary>
    /// <see langword="true"/> when the strategy weighs the server's hints itself (<c>etaSeconds</c>, <c>progress</c>,
    /// <c>Retry-After</c> on a successful answer), so the loop must not also enforce that <c>Retry-After</c> as a floor.
    /// A <c>Retry-After</c> on 429 or 503 is always honoured. Default <see langword="false"/>.
    /// </summary>
    public virtual bool UsesServerHints => false;

    /// <summary>
    /// Called once when a wait that used this strategy saw the job finish (completed or error), so a learning
    /// strategy can learn; not called for waits that time out, fail or are cancelled. Default: nothing.
    /// </summary>
    /// <param name="context">The wait at its end: <see cref="PollingContext.LastStatus"/> is the terminal status.</param>
    public virtual void OnWaitCompleted(PollingContext context)
    {
    }

    /// <summary>A strategy that waits the same <paramref name="interval"/> between checks.</summary>
    /// <param name="interval">The delay between checks; positive.</param>
    /// <returns>A <see cref="FixedInterval"/>.</returns>
    public static PollingStrategy Fixed(TimeSpan interval) => new FixedInterval(interval);

    /// <summary>A strategy whose delay grows by <paramref name="factor"/> from check to check up to <paramref name="maxInterval"/>.</summary>
    /// <param name="initialInterval">The first delay; positive.</param>
    /// <param name="factor">Growth per check; at least 1.</param>
    /// <param name="maxInterval">The cap; at least <paramref name="initialInterval"/>.</param>
    /// <param name="jitter">The fraction in [0, 1] by which each delay is randomly shortened.</param>
    /// <returns>An <see cref="ExponentialBackoff"/>.</returns>
    public static PollingStrategy Exponential(TimeSpan initialInterval, double factor, TimeSpan maxInterval, double jitter = 0) =>
        new ExponentialBackoff(initialInterval, factor, maxInterval, jitter);

    /// <summary>
    /// The best strategy the server allows, decided per wait from its answers: long-poll when the server supports it,
    /// else its <c>etaSeconds</c>/<c>progress</c>/<c>Retry-After</c> hints, else the durations of jobs seen finish
    /// before (kept in <paramref name="history"/>), else <paramref name="backoff"/>.
    /// </summary>
    /// <param name="history">Where durations are learned and read; default <see cref="DurationHistory.Shared"/>.</param>
    /// <param name="maxHold">The longest long-poll hold to ask for; default <see cref="LongPollStrategy.DefaultMaxHold"/>.</param>
    /// <param name="backoff">The last resort when the server offers nothing and nothing is learned yet;
    /// default <see cref="ExponentialBackoff.Default"/>.</param>
    /// <returns>A <see cref="LongPollStrategy"/> over an <see cref="AdaptiveStrategy"/> over a <see cref="LearnedStrategy"/> over <paramref name="backoff"/>.</returns>
    public static PollingStrategy Auto(DurationHistory? history = null, TimeSpan? maxHold = null, PollingStrategy? backoff = null) =>
        new LongPollStrategy(
            maxHold,
            fallback: new AdaptiveStrategy(
                fallback: new LearnedStrategy(history ?? DurationHistory.Shared, fallback: backoff ?? ExponentialBackoff.Default)));
}
