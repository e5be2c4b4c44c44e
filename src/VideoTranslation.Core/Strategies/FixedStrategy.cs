using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>Checks at the same interval, whatever happens.</summary>
public sealed class FixedStrategy : PollingStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="interval">The delay between checks; positive, at most one day.</param>
    /// <exception cref="ArgumentOutOfRangeException">The interval is zero, negative or longer than a day.</exception>
    public FixedStrategy(TimeSpan interval)
    {
        Interval = Guard.PositiveDuration(interval, nameof(Interval));
    }

    /// <summary>The delay between checks.</summary>
    public TimeSpan Interval { get; }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context) => Interval;

    /// <inheritdoc />
    public override string ToString() => $"Fixed({Guard.Format(Interval)})";
}
