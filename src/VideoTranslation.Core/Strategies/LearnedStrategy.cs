using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Plans each wait from the durations of jobs already seen finish on the same server: few checks while no job has
/// ever finished, then checks at evenly spaced quantiles of the past durations, so checks are dense where
/// completions are likely. With too little history it is its <see cref="DelegatingPollingStrategy.Fallback"/>.
/// </summary>
/// <remarks>
/// <para>With <c>n</c> checks per job the k-th planned check is at the k/n quantile of the history (k = 1 … n), counted
/// from the start of the wait: a job ends on average half a quantile step before it is seen, and needs about
/// n/2 + 2 checks. Past the longest duration seen, the gap grows by half the overrun each time.</para>
/// <para>Every wait that sees its job finish adds a duration: the midpoint between the last pending answer and the
/// final one, with their distance as its uncertainty (or the final answer's time when it came from a long-poll check
/// the server held until the job ended). Quantiles are taken with each duration spread evenly over its interval, so
/// a coarse observation (from sparse early checks) spreads checks across its interval — where the next observations
/// then come out sharp — instead of being trusted as a point or dropped.</para>
/// </remarks>
public sealed class LearnedStrategy : DelegatingPollingStrategy
{
    /// <summary>The default <see cref="ChecksPerJob"/>: 8.</summary>
    public const int DefaultChecksPerJob = 8;

    /// <summary>The default <see cref="MinimumHistory"/>: 5 durations.</summary>
    public const int DefaultMinimumHistory = 5;

    private static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(10);

    /// <summary>Creates the strategy.</summary>
    /// <param name="history">Where durations are read and recorded. Default <see cref="DurationHistory.Shared"/>.</param>
    /// <param name="checksPerJob">How many planned checks span the range of past durations; 1 to 100. Default 8.</param>
    /// <param name="fallback">What to do with too little history. Default <see cref="ExponentialStrategy.Default"/>.</param>
    /// <param name="minimumHistory">How many durations a server needs before they are used; 1 to 10,000. Default 5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public LearnedStrategy(
        DurationHistory? history = null,
        int checksPerJob = DefaultChecksPerJob,
        PollingStrategy? fallback = null,
        int minimumHistory = DefaultMinimumHistory)
        : base(fallback)
    {
        History = history ?? DurationHistory.Shared;
        ChecksPerJob = Guard.InRange(checksPerJob, nameof(ChecksPerJob), 1, 100);
        MinimumHistory = Guard.InRange(minimumHistory, nameof(MinimumHistory), 1, 10_000);
    }

    /// <summary>Where durations are read and recorded.</summary>
    public DurationHistory History { get; }

    /// <summary>How many planned checks span the range of past durations.</summary>
    public int ChecksPerJob { get; }

    /// <summary>How many durations a server needs before they are used.</summary>
    public int MinimumHistory { get; }

    /// <inheritdoc />
    public override TimeSpan GetNextDelay(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        double[]? plan = context.ServerUri is null ? null : History.GetPlan(context.ServerUri, ChecksPerJob, MinimumHistory);
        if (plan is null)
        {
            return base.GetNextDelay(context);
        }

        double elapsed = context.Elapsed.TotalSeconds;
        foreach (double planned in plan)
        {
            if (planned - elapsed >= MinStep.TotalSeconds)
            {
                return Seconds(planned - elapsed);
            }
        }

        // Past the latest end seen: gaps grow with the overrun, from the plan's mean step.
        double latest = plan[plan.Length - 1];
        double step = Math.Max(latest / (2 * ChecksPerJob), MinStep.TotalSeconds);
        return Seconds(Math.Max(step, (elapsed - latest) * 0.5));
    }

    /// <inheritdoc />
    public override void OnWaitCompleted(PollingContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (context.ServerUri is not null && context.LastStatus is { IsTerminal: true } final && Measure(context, final) is var (duration, uncertainty) &&
            duration > TimeSpan.Zero && duration <= Guard.MaxDuration && uncertainty >= TimeSpan.Zero)
        {
            History.Add(context.ServerUri, duration, uncertainty);
        }

        base.OnWaitCompleted(context);
    }

    /// <inheritdoc />
    public override string ToString() => $"Learned({ChecksPerJob} checks per job, else {Fallback})";

    // The job ended after the last pending answer and before the final one. A long-poll check narrows that: if it
    // was held (it took longer than the gap before it), the job ended as it answered; if it was answered at once,
    // the job ended in the gap before it was sent. Nothing is known when no pending answer came first, unless that
    // one check was held until the end.
    private static (TimeSpan Duration, TimeSpan Uncertainty)? Measure(PollingContext context, TranslationStatus final)
    {
        TimeSpan took = context.LastCheckDuration ?? TimeSpan.Zero;
        TimeSpan sent = context.Elapsed - took;
        bool longPoll = final.LongPollHeld is TimeSpan held && held > TimeSpan.Zero;
        if (context.LastPendingElapsed is not TimeSpan lastPending)
        {
            return longPoll && took >= MinStep && took > sent ? (context.Elapsed, sent) : null;
        }

        TimeSpan gapBefore = sent > lastPending ? sent - lastPending : TimeSpan.Zero;
        if (longPoll)
        {
            return took > gapBefore
                ? (context.Elapsed, gapBefore)
                : (TimeSpan.FromTicks((lastPending.Ticks + sent.Ticks) / 2), gapBefore);
        }

        return (TimeSpan.FromTicks((lastPending.Ticks + context.Elapsed.Ticks) / 2), context.Elapsed - lastPending);
    }

    private static TimeSpan Seconds(double seconds) =>
        seconds >= Guard.MaxDuration.TotalSeconds ? Guard.MaxDuration : TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
}
