using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Polls near the job's expected end, read from the server's hints: <c>etaSeconds</c>, else the rate of
/// <c>progress</c> between two checks, else <c>Retry-After</c>. With no hint it is its <see cref="DelegatingPollingStrategy.Fallback"/>.
/// </summary>
/// <remarks>
/// <para>A hint is trusted once it agrees with the one before it: the estimate fell by the time that passed, give or
/// take 10 % of that time + 20 ms. A trusted estimate is slept in full, plus <see cref="Margin"/>, so the next check
/// lands just after the end — but never more than four times the span over which it was confirmed (or what
/// the fallback would sleep, if longer), so trust grows with evidence and two noisy hints that agree by
/// chance cannot send the wait far past the end. With exact hints a job of a few seconds or tens of seconds takes
/// three checks (one to hear the estimate, one to confirm it, one just after the end) and is seen done within the margin. An untrusted estimate above a quarter second is
/// slept only in part: 80 % of it, capped at what the fallback would sleep or half the estimate, whichever
/// is longer (and at 30 s). So an untrusted estimate makes the wait late only when it is over twice the truth, and a
/// noisy, inflated or stale hint mostly costs a few more checks. Known limit: two noisy estimates can agree by chance
/// over a long span, and the second is then trusted (within its reach) and may be late by its own error.</para>
/// <para>When the server keeps saying "any moment now" (two estimates in a row under 50 ms) but the job is still
/// pending, the gap between checks grows by half each time, up to what the fallback would sleep, so a server
/// that overruns its own estimate is not hammered.</para>
/// </remarks>
public sealed class AdaptiveStrategy : DelegatingPollingStrategy
{
    /// <summary>The default <see cref="Margin"/>: 10 milliseconds.</summary>
    public static readonly TimeSpan DefaultMargin = TimeSpan.FromMilliseconds(10);

    private const double Caution = 0.8;
    private const double Agreement = 0.1;
    private const int TrustGrowth = 4;
    private static readonly TimeSpan AgreementSlack = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ShortEstimate = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Imminent = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxUntrustedDelay = TimeSpan.FromSeconds(30);

    /// <summary>Creates the strategy.</summary>
    /// <param name="fallback">What to do when the server sends no usable hint. Default <see cref="ExponentialStrategy.Default"/>.</param>
    /// <param name="margin">Added to a trusted estimate so the check lands after the end, not just before it;
    /// zero to one minute. Default <see cref="DefaultMargin"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="margin"/> is negative or over a minute.</exception>
    public AdaptiveStrategy(PollingStrategy? fallback = null, TimeSpan? margin = null)
        : base(fallback)
    {
        TimeSpan m = margin ?? DefaultMargin;
        if (m < TimeSpan.Zero || m > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), m, $"{nameof(Margin)} must be between 0 and 1 minute; it was {Guard.Format(m)}.");
        }

        Margin = m;
    }

    /// <summary>Added to a trusted estimate.</summary>
    public TimeSpan Margin { get; }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        TranslationStatus? last = context.LastStatus;
        TimeSpan? estimate = context.ConsecutiveFailures == 0 && last is { IsTerminal: false } ? Estimate(last, context.PreviousStatus) : null;
        if (estimate is not TimeSpan remaining)
        {
            return base.GetNextDelay(context);
        }

        // Hints can be wrong; the fallback's own schedule bounds how far an untrusted one may take us.
        TimeSpan fallback = base.GetNextDelay(context);
        TranslationStatus? previous = context.PreviousStatus;
        // The previous estimate, as it was made then: for a progress rate, from the first observation to the previous one.
        TimeSpan? before = previous is null ? null : Estimate(previous, ReferenceEquals(context.FirstStatus, previous) ? null : context.FirstStatus);
        if (remaining <= Imminent && before is TimeSpan b && b <= Imminent && previous is not null)
        {
            // The server keeps saying "now" and is wrong: back off geometrically from the last gap, up to the fallback's delay.
            TimeSpan gap = last!.ObservedAt - previous.ObservedAt;
            TimeSpan grown = TimeSpan.FromTicks(Math.Max((long)(gap.Ticks * 1.5), remaining.Ticks + Margin.Ticks));
            return Min(grown, Max(fallback, remaining + Margin));
        }

        if (remaining <= ShortEstimate)
        {
            return remaining + Margin;
        }

        if (Agrees(remaining, before, last!, previous))
        {
            // Trust grows with the evidence: a hint confirmed over a short span is not followed far beyond it, so two
            // noisy hints that agree by chance cannot send the wait to sleep far past the end.
            TimeSpan passed = last!.ObservedAt - previous!.ObservedAt;
            TimeSpan reach = Max(fallback, TimeSpan.FromTicks(passed.Ticks * TrustGrowth));
            return Min(remaining + Margin, reach);
        }

        // Untrusted: 80 % of the estimate, but no more than the fallback would sleep unless that is under half the
        // estimate — so only an estimate more than twice the truth can make the wait late, and a noisy one still
        // halves the time left with every check.
        TimeSpan partial = TimeSpan.FromTicks((long)(remaining.Ticks * Caution));
        TimeSpan half = TimeSpan.FromTicks(remaining.Ticks / 2);
        return Min(Min(partial, Max(fallback, half)), MaxUntrustedDelay);
    }

    /// <inheritdoc />
    public override string ToString() => $"Adaptive(margin {Guard.Format(Margin)}, else {Fallback})";

    // The time left after `status` was observed, by the best hint it carries.
    private static TimeSpan? Estimate(TranslationStatus status, TranslationStatus? previous)
    {
        if (status.EstimatedTimeRemaining is TimeSpan eta)
        {
            return eta;
        }

        if (status.Progress is double p && previous?.Progress is double p0 && p > p0)
        {
            TimeSpan dt = status.ObservedAt - previous.ObservedAt;
            if (dt > TimeSpan.Zero)
            {
                double seconds = (1 - p) * dt.TotalSeconds / (p - p0);
                return seconds < Guard.MaxDuration.TotalSeconds ? TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond)) : Guard.MaxDuration;
            }
        }

        return status.RetryAfter;
    }

    private static bool Agrees(TimeSpan remaining, TimeSpan? before, TranslationStatus last, TranslationStatus? previous)
    {
        if (before is not TimeSpan b || previous is null)
        {
            return false;
        }

        // The estimate should have fallen by the time that passed; the tolerance scales with that time, not with the
        // estimate, so a stale constant estimate never agrees with itself.
        TimeSpan passed = last.ObservedAt - previous.ObservedAt;
        if (passed <= TimeSpan.Zero)
        {
            return false;
        }

        TimeSpan error = remaining - (b - passed);
        if (error < TimeSpan.Zero)
        {
            error = -error;
        }

        return error.Ticks <= (long)(passed.Ticks * Agreement) + AgreementSlack.Ticks;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;
}
