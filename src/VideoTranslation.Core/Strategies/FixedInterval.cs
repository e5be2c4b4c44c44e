using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>Waits the same interval between every two checks.</summary>
public sealed class FixedInterval : PollingStrategy
{
    /// <summary>Creates the strategy.</summary>
    /// <param name="interval">The delay between checks; positive, at most one day.</param>
    /// <exception cref="ArgumentOutOfRangeException">The interval is zero, negative or longer than a day.</exception>
    public FixedInterval(TimeSpan interval)
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
