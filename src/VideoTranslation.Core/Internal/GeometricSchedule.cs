using System;

namespace VideoTranslation.Internal;

/// <summary>
/// Delays that grow geometrically, <c>initial × factor^(n−1)</c> capped at <c>max</c>, each shortened by a random
/// fraction of up to <c>jitter</c>: the schedule of both <see cref="ExponentialStrategy"/> and <see cref="RetryBackoff"/>.
/// </summary>
/// <remarks>
/// Jitter only ever shortens a delay (delay × (1 − jitter × r), r uniform in [0, 1)), so the cap stays a hard cap
/// and a waiter never learns of completion later than without jitter; it still spreads many clients apart.
/// </remarks>
internal sealed class GeometricSchedule
{
    // Random is not thread-safe and one schedule serves concurrent waits, so every draw takes this lock.
    private readonly object _randomLock = new();
    private readonly Random _random;

    public GeometricSchedule(TimeSpan initial, double factor, TimeSpan max, double jitter, Random? random)
    {
        Initial = Guard.PositiveDuration(initial, "InitialInterval");
        Factor = Guard.InRange(factor, "Factor", 1, 100);
        Max = Guard.PositiveDuration(max, "MaxInterval");
        if (max < initial)
        {
#pragma warning disable CA2208 // the name of the public constructors' parameter, which this schedule serves
            throw new ArgumentOutOfRangeException(
                "maxInterval",
                max,
                $"MaxInterval must be at least InitialInterval ({Guard.Format(initial)}); it was {Guard.Format(max)}.");
#pragma warning restore CA2208
        }

        Jitter = Guard.InRange(jitter, "Jitter", 0, 1);
        _random = random ?? new Random();
    }

    public TimeSpan Initial { get; }

    public double Factor { get; }

    public TimeSpan Max { get; }

    public double Jitter { get; }

    /// <summary>The n-th delay (1-based), jitter applied.</summary>
    public TimeSpan Delay(int n, string argumentName)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(argumentName, n, $"{argumentName} must be 1 or more.");
        }

        // In double milliseconds: Factor^(n-1) overflows long ticks long before it reaches infinity.
        double capped = Math.Min(Initial.TotalMilliseconds * Math.Pow(Factor, n - 1), Max.TotalMilliseconds);
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

    public override string ToString() =>
        FormattableString.Invariant($"{Guard.Format(Initial)} ×{Factor} ≤ {Guard.Format(Max)}, jitter {Jitter}");
}
