using System;

namespace VideoTranslation;

/// <summary>
/// A strategy that decides some checks itself and hands the rest to <see cref="Fallback"/>, the way a
/// <c>DelegatingHandler</c> wraps an inner handler: every member forwards to the fallback unless overridden, so a
/// strategy overrides only what it changes and calls <c>base</c> for what it leaves to the fallback.
/// </summary>
public abstract class DelegatingPollingStrategy : PollingStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="fallback">What decides whatever this strategy leaves; default <see cref="ExponentialStrategy.Default"/>.</param>
    protected DelegatingPollingStrategy(PollingStrategy? fallback)
    {
        Fallback = fallback ?? ExponentialStrategy.Default;
    }

    /// <summary>The strategy that decides whatever this one leaves.</summary>
    public PollingStrategy Fallback { get; }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context) => Fallback.GetNextDelay(context);

    /// <inheritdoc />
    public override TimeSpan GetLongPollWait(PollingContext context) => Fallback.GetLongPollWait(context);

    /// <inheritdoc />
    public override void OnWaitCompleted(PollingContext context) => Fallback.OnWaitCompleted(context);
}
