using System;

namespace VideoTranslation.Internal;

/// <summary>
/// The delay before the next check and the hold of the next one, as pure functions of what the strategy asked for
/// and where the wait stands: the polling floor, the pause after failures and the deadline. No clock, no state.
/// </summary>
internal static class DelayPolicy
{
    /// <summary>The delay before the next check.</summary>
    /// <param name="strategyDelay">What the strategy asked for.</param>
    /// <param name="minimumPollInterval">The floor between the starts of two checks.</param>
    /// <param name="sinceCheckStarted">Time since the last check was sent (a held check needs no more pause).</param>
    /// <param name="failurePause">After a transient failure: the retry backoff's pause; otherwise <see langword="null"/>.</param>
    /// <param name="demandedByServer">The <c>Retry-After</c> of a failed answer (429, 503), if any.</param>
    /// <param name="timeLeft">Time left before the deadline; <see langword="null"/> without one.</param>
    public static TimeSpan NextDelay(
        TimeSpan strategyDelay,
        TimeSpan minimumPollInterval,
        TimeSpan sinceCheckStarted,
        TimeSpan? failurePause,
        TimeSpan? demandedByServer,
        TimeSpan? timeLeft)
    {
        // A strategy may ask for a negative delay; the wait never runs backwards.
        TimeSpan delay = Max(Max(strategyDelay, minimumPollInterval - sinceCheckStarted), TimeSpan.Zero);
        if (failurePause is TimeSpan pause)
        {
            delay = Max(delay, pause);
            if (demandedByServer is TimeSpan demanded)
            {
                delay = Max(delay, demanded);
            }
        }

        // A strategy or server may ask for absurd delays; no single sleep is longer than the longest option allows.
        delay = delay > Guard.MaxDuration ? Guard.MaxDuration : delay;

        // The last check happens exactly at the deadline.
        return timeLeft is TimeSpan left && delay > left ? Max(left, TimeSpan.Zero) : delay;
    }

    /// <summary>The hold of the next check: what the strategy asked for, at most a day, ending at the deadline at the latest.</summary>
    public static TimeSpan Hold(TimeSpan strategyHold, TimeSpan? timeLeft)
    {
        TimeSpan hold = Max(strategyHold, TimeSpan.Zero);
        hold = hold > Guard.MaxDuration ? Guard.MaxDuration : hold;
        return timeLeft is TimeSpan left && hold > left ? Max(left, TimeSpan.Zero) : hold;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;
}
