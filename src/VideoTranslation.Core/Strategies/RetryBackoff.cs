using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// How long a wait pauses after transient failures (refused connections, timeouts, 408, 429, 5xx): delays that grow
/// geometrically with the number of failures in a row, capped, with jitter that only shortens them. The strategy's
/// delay and the server's <c>Retry-After</c> still apply when they are longer.
/// </summary>
public sealed class RetryBackoff
{
    private readonly GeometricSchedule _schedule;

    /// <summary>Creates the backoff.</summary>
    /// <param name="initialInterval">The pause after the first failure; positive, at most one day.</param>
    /// <param name="factor">Growth per failure in a row; at least 1, at most 100.</param>
    /// <param name="maxInterval">The cap; at least <paramref name="initialInterval"/>, at most one day.</param>
    /// <param name="jitter">The fraction in [0, 1] by which each pause may be randomly shortened.</param>
    /// <param name="random">The random source for jitter; default a new <see cref="Random"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it and its value.</exception>
    public RetryBackoff(TimeSpan initialInterval, double factor, TimeSpan maxInterval, double jitter = 0, Random? random = null)
    {
        _schedule = new GeometricSchedule(initialInterval, factor, maxInterval, jitter, random);
    }

    /// <summary>The default: from 0.5 s, ×2 per failure, capped at 30 s, 20 % jitter.</summary>
    public static RetryBackoff Default { get; } = new(TimeSpan.FromMilliseconds(500), 2, TimeSpan.FromSeconds(30), 0.2);

    /// <summary>The pause after the first failure.</summary>
    public TimeSpan InitialInterval => _schedule.Initial;

    /// <summary>Growth per failure in a row.</summary>
    public double Factor => _schedule.Factor;

    /// <summary>The cap on any pause.</summary>
    public TimeSpan MaxInterval => _schedule.Max;

    /// <summary>The fraction by which each pause may be randomly shortened.</summary>
    public double Jitter => _schedule.Jitter;

    /// <summary>The pause after <paramref name="consecutiveFailures"/> failures in a row, jitter applied.</summary>
    /// <param name="consecutiveFailures">1 after the first failure.</param>
    /// <returns>The pause.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="consecutiveFailures"/> is below 1.</exception>
    public TimeSpan GetDelay(int consecutiveFailures) => _schedule.Delay(consecutiveFailures, nameof(consecutiveFailures));

    /// <summary>
    /// The pause before retrying one request after <paramref name="failure"/> (a create, a lone status check): this
    /// backoff's delay, or the server's longer <c>Retry-After</c>. A wait's own retries go by <see cref="DelayPolicy"/>.
    /// </summary>
    internal TimeSpan PauseAfter(TranslationException failure, int consecutiveFailures)
    {
        TimeSpan delay = GetDelay(consecutiveFailures);
        return (failure as TranslationHttpException)?.RetryAfter is TimeSpan after && after > delay ? after : delay;
    }

    /// <inheritdoc />
    public override string ToString() => $"RetryBackoff({_schedule})";
}
