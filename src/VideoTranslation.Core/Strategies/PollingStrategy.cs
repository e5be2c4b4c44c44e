using System;

namespace VideoTranslation;

/// <summary>
/// Chooses the delay between two status checks. Derive from this class to plug in your own strategy.
/// </summary>
/// <remarks>
/// One instance may serve many waits at once, so implementations must be thread-safe and keep per-wait
/// state out of fields (everything a wait knows is in the <see cref="PollingContext"/>).
/// Whatever a strategy returns, the wait loop raises it to the client's
/// <see cref="TranslationClientOptions.MinimumPollInterval"/>, to the server's <c>Retry-After</c>, and to the
/// retry backoff after a failure, and shortens it so that no sleep passes the wait's deadline.
/// </remarks>
public abstract class PollingStrategy
{
    /// <summary>Returns the delay before the next check.</summary>
    /// <param name="context">The wait so far.</param>
    /// <returns>The delay; negative values are treated as zero.</returns>
    public abstract TimeSpan GetNextDelay(PollingContext context);

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
}
