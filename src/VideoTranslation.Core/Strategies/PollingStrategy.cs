using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Chooses how to make each status check: how long to sleep before it and, for servers that support long-poll,
/// how long to ask the server to hold it. Derive from this class (or from <see cref="DelegatingPollingStrategy"/> to
/// decide only some checks) to plug in your own strategy.
/// </summary>
/// <remarks>
/// One instance may serve many waits at once, so implementations must be thread-safe and keep per-wait state out of
/// fields (everything a wait knows is in the <see cref="PollingContext"/>). Server hints — <c>etaSeconds</c>,
/// <c>progress</c>, a <c>Retry-After</c> on a pending answer — are the strategy's to weigh; whatever it returns, the wait
/// keeps at least <see cref="TranslationClientOptions.MinimumPollInterval"/> between the starts of two checks, pauses at
/// least the <see cref="TranslationWaitOptions.RetryBackoff"/> and any <c>Retry-After</c> after a failure, and shortens
/// every sleep and hold so that none passes the deadline.
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
    /// <returns>The hold; the wait shortens it to the time left, and a batch may send the check unheld when its holds are all taken.</returns>
    public virtual TimeSpan GetLongPollWait(PollingContext context) => TimeSpan.Zero;

    /// <summary>
    /// Called once when a wait that used this strategy saw the job finish (completed or error), so a learning
    /// strategy can learn; not called for waits that time out, fail or are cancelled. Default: nothing.
    /// </summary>
    /// <param name="context">The wait at its end: <see cref="PollingContext.LastStatus"/> is the terminal status.</param>
    public virtual void OnWaitCompleted(PollingContext context)
    {
    }

    private string? _telemetryName;

    /// <summary>
    /// The strategy's name in telemetry (<c>video_translation.strategy</c>): a <see cref="PollingStrategyKind"/> name for the
    /// library's strategies (its class without "Strategy", or <c>Auto</c>), <c>Custom</c> for any other, so the tag's
    /// values stay few.
    /// </summary>
    internal string TelemetryName
    {
        get => _telemetryName ??= this switch
        {
            RetryAfterFloor floor => floor.Fallback.TelemetryName,
            _ when GetType().Assembly == typeof(PollingStrategy).Assembly && GetType().Name.EndsWith("Strategy", StringComparison.Ordinal) =>
                GetType().Name.Substring(0, GetType().Name.Length - "Strategy".Length),
            _ => "Custom",
        };
        set => _telemetryName = value;
    }

    /// <summary>
    /// The same <paramref name="interval"/> between checks; a server's <c>Retry-After</c> on a pending answer is a floor.
    /// (<see cref="FixedStrategy"/> alone, as a fallback inside another strategy, ignores it.)
    /// </summary>
    /// <param name="interval">The delay between checks; positive.</param>
    /// <returns>The strategy.</returns>
    public static PollingStrategy Fixed(TimeSpan interval) => new RetryAfterFloor(new FixedStrategy(interval));

    /// <summary>
    /// Delays that grow by <paramref name="factor"/> from check to check up to <paramref name="maxInterval"/>; a server's
    /// <c>Retry-After</c> on a pending answer is a floor. (<see cref="ExponentialStrategy"/> alone ignores it.)
    /// </summary>
    /// <param name="initialInterval">The first delay; positive.</param>
    /// <param name="factor">Growth per check; at least 1.</param>
    /// <param name="maxInterval">The cap; at least <paramref name="initialInterval"/>.</param>
    /// <param name="jitter">The fraction in [0, 1] by which each delay is randomly shortened.</param>
    /// <returns>The strategy.</returns>
    public static PollingStrategy Exponential(TimeSpan initialInterval, double factor, TimeSpan maxInterval, double jitter = 0) =>
        new RetryAfterFloor(new ExponentialStrategy(initialInterval, factor, maxInterval, jitter));

    /// <summary>
    /// The best strategy the server allows, decided per wait from its answers: long-poll when the server supports it,
    /// else its <c>etaSeconds</c>/<c>progress</c>/<c>Retry-After</c> hints, else the durations of jobs seen to finish
    /// before (kept in <paramref name="history"/>), else <paramref name="backoff"/>.
    /// </summary>
    /// <param name="history">Where durations are learned and read; default <see cref="DurationHistory.Shared"/>.</param>
    /// <param name="maxHold">The longest long-poll hold to ask for; default <see cref="LongPollStrategy.DefaultMaxHold"/>.</param>
    /// <param name="backoff">The last resort when the server offers nothing and nothing is learned yet;
    /// default <see cref="ExponentialStrategy.Default"/>.</param>
    /// <returns>A <see cref="LongPollStrategy"/> over an <see cref="AdaptiveStrategy"/> over a <see cref="LearnedStrategy"/> over <paramref name="backoff"/>.</returns>
    public static PollingStrategy Auto(DurationHistory? history = null, TimeSpan? maxHold = null, PollingStrategy? backoff = null) =>
        new LongPollStrategy(maxHold, new AdaptiveStrategy(new LearnedStrategy(history, fallback: backoff))) { TelemetryName = nameof(PollingStrategyKind.Auto) };

    /// <summary>
    /// The strategy of a name, as <c>Wait-TranslationJob -Strategy</c> offers them, with its settings. The one place the
    /// named strategies are composed: each falls back on the next of Auto's order (long-poll, hints, learned durations,
    /// exponential) that it does not do itself.
    /// </summary>
    /// <param name="kind">Which strategy.</param>
    /// <param name="options">Intervals, hold and history; default: defaults.</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value, or a setting is out of range.</exception>
    public static PollingStrategy Create(PollingStrategyKind kind, PollingStrategyOptions? options = null)
    {
        options ??= new PollingStrategyOptions();
        if (kind == PollingStrategyKind.Fixed)
        {
            return new RetryAfterFloor(new FixedStrategy(options.Interval));
        }

        var backoff = new ExponentialStrategy(options.Interval, options.Factor, options.MaxInterval, options.Jitter);
        return kind switch
        {
            PollingStrategyKind.Auto => Auto(options.History, options.MaxHold, backoff),
            PollingStrategyKind.LongPoll => new LongPollStrategy(options.MaxHold, new AdaptiveStrategy(backoff)),
            PollingStrategyKind.Adaptive => new AdaptiveStrategy(backoff),
            PollingStrategyKind.Learned => new LearnedStrategy(options.History, fallback: backoff),
            PollingStrategyKind.Exponential => new RetryAfterFloor(backoff),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind must be one of {string.Join(", ", Enum.GetNames(typeof(PollingStrategyKind)))}."),
        };
    }
}
