using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Checks at delays that grow geometrically: <c>InitialInterval × Factor^(attempt−1)</c>, capped at
/// <see cref="MaxInterval"/>, each shortened by a random fraction of up to <see cref="Jitter"/> (jitter never lengthens
/// a delay, so the cap stays a hard cap).
/// </summary>
public sealed class ExponentialStrategy : PollingStrategy
{
    private readonly GeometricSchedule _schedule;

    /// <summary>Creates the strategy.</summary>
    /// <param name="initialInterval">The first delay; positive, at most one day.</param>
    /// <param name="factor">Growth per check; at least 1 (1 means fixed), at most 100.</param>
    /// <param name="maxInterval">The cap on any delay; at least <paramref name="initialInterval"/>, at most one day.</param>
    /// <param name="jitter">The fraction in [0, 1] by which each delay may be randomly shortened; 0 turns jitter off.</param>
    /// <param name="random">The random source for jitter (a seeded one gives reproducible delays); default a new <see cref="Random"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it and its value.</exception>
    public ExponentialStrategy(TimeSpan initialInterval, double factor, TimeSpan maxInterval, double jitter = 0, Random? random = null)
    {
        _schedule = new GeometricSchedule(initialInterval, factor, maxInterval, jitter, random);
    }

    /// <summary>
    /// Exponential from 1 s, ×1.5 per check, capped at 5 s, 20 % jitter: the last resort of the hint-reading, long-poll
    /// and learning strategies when they have nothing to go on.
    /// </summary>
    public static ExponentialStrategy Default { get; } = new(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(5), 0.2);

    /// <summary>The first delay.</summary>
    public TimeSpan InitialInterval => _schedule.Initial;

    /// <summary>Growth per check.</summary>
    public double Factor => _schedule.Factor;

    /// <summary>The cap on any delay.</summary>
    public TimeSpan MaxInterval => _schedule.Max;

    /// <summary>The fraction by which each delay may be randomly shortened.</summary>
    public double Jitter => _schedule.Jitter;

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        return GetDelay(context.Attempt);
    }

    /// <summary>The delay after the <paramref name="attempt"/>-th check (1-based), jitter applied.</summary>
    /// <param name="attempt">1 for the delay after the first check.</param>
    /// <returns>The delay.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is below 1.</exception>
    public TimeSpan GetDelay(int attempt) => _schedule.Delay(attempt, nameof(attempt));

    /// <inheritdoc />
    public override string ToString() => $"Exponential({_schedule})";
}
