using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Plans each wait from the durations of jobs already seen finish on the same server: the check times with the least
/// mean lateness over the distribution of past durations, within a request budget of fewer checks than a 1 s
/// doubling backoff would make on those durations. With too little history it is its
/// <see cref="DelegatingPollingStrategy.Fallback"/>.
/// </summary>
/// <remarks>
/// <para>With at least <see cref="MinimumHistory"/> durations the plan is the dynamic programme of the benchmark's
/// oracle frontier run on the history: for a price λ per request it minimises E[lateness] + λ·E[requests] exactly over
/// candidate check times (quantiles of the history and an even grid), and λ is the least that keeps the mean requests
/// per job within the budget: min(<see cref="ChecksPerJob"/>, 0.9 × the requests of the backoff 0, 1, 3, 7, 15 … s on
/// the same durations), the first check at 0 included. So on the durations it has seen it never makes more checks
/// than exponential backoff, and it is on the frontier there. The plan is made once per change of the history (a few
/// milliseconds at most: its grid is bounded, not the history) and each wait checks at the next planned time; the
/// check just made counts as the planned one nearest to it, so a plan that changed during a wait adds no checks.</para>
/// <para>The last planned check is at the longest duration seen. Past it the gap starts at the last planned gap and
/// grows 1.5 times per check up to the longest duration seen, and stays there: never unbounded, so a job k times
/// longer than any seen is at most 1/k of its duration late, for about k checks more.</para>
/// <para>Every wait that sees its job finish adds a duration: the midpoint between the last pending answer and the
/// final one, with their distance as its uncertainty (or the final answer's time when it came from a long-poll check
/// the server held until the job ended). The distribution is a histogram fitted to these intervals: each spread evenly
/// over its interval, then sharpened by one round of expectation–maximisation for interval-censored data, so coarse
/// observations from sparse checks count where they overlap instead of being trusted as points or dropped.</para>
/// </remarks>
public sealed class LearnedStrategy : DelegatingPollingStrategy
{
    /// <summary>The default <see cref="ChecksPerJob"/>: 8, above what the backoff budget allows on most histories.</summary>
    public const int DefaultChecksPerJob = 8;

    /// <summary>The default <see cref="MinimumHistory"/>: 5 durations.</summary>
    public const int DefaultMinimumHistory = 5;

    private static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(10);

    /// <summary>Creates the strategy.</summary>
    /// <param name="history">Where durations are read and recorded. Default <see cref="DurationHistory.Shared"/>.</param>
    /// <param name="checksPerJob">The most checks a plan may make per job on average over the history, the first
    /// included; 1 to 100. Default 8. Below 2 no plan keeps within it, and the plan is the fewest checks: 0 and the longest.</param>
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

    /// <summary>The most checks a plan may make per job on average over the history (besides the backoff budget).</summary>
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

        CheckPlan? plan = context.ServerUri is null ? null : History.GetPlan(context.ServerUri, ChecksPerJob, MinimumHistory);
        if (plan is null)
        {
            return base.GetNextDelay(context);
        }

        double elapsed = context.Elapsed.TotalSeconds;
        return Seconds(plan.Next(elapsed, MinStep.TotalSeconds) - elapsed);
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
