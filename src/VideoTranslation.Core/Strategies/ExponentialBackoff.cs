using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Delays that grow geometrically: <c>InitialInterval × Factor^(attempt−1)</c>, capped at <see cref="MaxInterval"/>,
/// each then shortened by a random fraction of up to <see cref="Jitter"/>.
/// </summary>
/// <remarks>
/// Jitter only ever shortens a delay (delay × (1 − Jitter × r), r uniform in [0, 1)), so the cap stays a hard cap
/// and a waiter never learns of completion later than without jitter; it still spreads many clients apart.
/// </remarks>
public sealed class ExponentialBackoff : PollingStrategy
{
    /// <summary>
    /// Exponential from 1 s, ×1.5 per check, capped at 5 s, 20 % jitter: the fallback of the hint-reading and learning
    /// strategies when they have nothing to go on.
    /// </summary>
    public static ExponentialBackoff Default { get; } = new(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(5), 0.2);

    // Random is not thread-safe and one strategy serves concurrent waits, so every draw takes this lock.
    private readonly object _randomLock = new();
    private readonly Random _random;

    /// <summary>Creates the strategy.</summary>
    /// <param name="initialInterval">The first delay; positive, at most one day.</param>
    /// <param name="factor">Growth per check; at least 1 (1 means fixed), at most 100.</param>
    /// <param name="maxInterval">The cap on any delay; at least <paramref name="initialInterval"/>, at most one day.</param>
    /// <param name="jitter">The fraction in [0, 1] by which each delay may be randomly shortened; 0 turns jitter off.</param>
    /// <param name="random">The random source for jitter (inject a seeded one for reproducible delays); default a new <see cref="Random"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it and its value.</exception>
    public ExponentialBackoff(TimeSpan initialInterval, double factor, TimeSpan maxInterval, double jitter = 0, Random? random = null)
    {
        InitialInterval = Guard.PositiveDuration(initialInterval, nameof(InitialInterval));
        Factor = Guard.InRange(factor, nameof(Factor), 1, 100);
        MaxInterval = Guard.PositiveDuration(maxInterval, nameof(MaxInterval));
        if (maxInterval < initialInterval)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxInterval),
                maxInterval,
                $"{nameof(MaxInterval)} must be at least {nameof(InitialInterval)} ({Guard.Format(initialInterval)}); it was {Guard.Format(maxInterval)}.");
        }

        Jitter = Guard.InRange(jitter, nameof(Jitter), 0, 1);
        _random = random ?? new Random();
    }

    /// <summary>The first delay.</summary>
    public TimeSpan InitialInterval { get; }

    /// <summary>Growth per check.</summary>
    public double Factor { get; }

    /// <summary>The cap on any delay.</summary>
    public TimeSpan MaxInterval { get; }

    /// <summary>The fraction by which each delay may be randomly shortened.</summary>
    public double Jitter { get; }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        return GetDelay(context.Attempt);
    }

    /// <summary>The delay after the <paramref name="attempt"/>-th check (1-based).</summary>
    /// <param name="attempt">1 for the delay after the first check.</param>
    /// <returns>The delay, jitter applied.</returns>
    public TimeSpan GetDelay(int attempt)
    {
        if (attempt < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt must be 1 or more.");
        }

        // Computed in double milliseconds: Factor^(attempt-1) overflows long ticks long before it reaches infinity.
        double uncapped = InitialInterval.TotalMilliseconds * Math.Pow(Factor, attempt - 1);
        double capped = Math.Min(uncapped, MaxInterval.TotalMilliseconds);
        if (Jitter > 0)
        {
            double r;
            lock (_randomLock)
            {
                r = _random.NextDouble();
            }

            capped *= 1 - (Jitter * r);
        }

        return TimeSpan.FromTicks((long)(capped * TimeSpan.TicksPerMillisecond));
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"Exponential({Guard.Format(InitialInterval)} ×{Factor} ≤ {Guard.Format(MaxInterval)}, jitter {Jitter})");
}
