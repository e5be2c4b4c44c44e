using System;
using System.Threading;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// How <see cref="TranslationClient.WaitForCompletionAsync"/> waits: strategy, deadline, retry backoff and
/// status-change callbacks. Setters validate and name the option and value in their exception.
/// </summary>
public sealed class TranslationWaitOptions
{
    /// <summary>The default <see cref="MaxWait"/>: 10 minutes. A finite default so that no forgotten job hangs a script.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(10);

    private PollingStrategy? _strategy;
    private RetryBackoff _retryBackoff = RetryBackoff.Default;
    private TimeSpan? _maxWait;

    /// <summary>
    /// The default strategy, <see cref="PollingStrategy.Auto"/> over <see cref="DurationHistory.Shared"/>: long-poll when
    /// the server offers it, else the server's hints, else durations learned in this process, else
    /// <see cref="ExponentialStrategy.Default"/> (exponential from 1 s, ×1.5 per check, capped at 5 s, 20 % jitter).
    /// </summary>
    public static PollingStrategy DefaultStrategy { get; } = PollingStrategy.Auto();

    /// <summary>
    /// Chooses the delay between checks. Default <see cref="DefaultStrategy"/>; when not set, a wait on a service with
    /// polling defaults of its own (HeyGen: 30 s, then 60 s) uses <see cref="PollingStrategy.Auto"/> with those instead
    /// (<see cref="TranslationService.CreatePollingOptions"/>).
    /// </summary>
    public PollingStrategy Strategy
    {
        get => _strategy ?? DefaultStrategy;
        set => _strategy = value ?? throw new ArgumentNullException(nameof(Strategy), "Strategy must not be null.");
    }

    /// <summary>
    /// The hard deadline of the wait, from its start. The loop never sleeps past it, makes one last check at it,
    /// then throws <see cref="TranslationTimeoutException"/>. Positive and at most one day, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> to wait without a deadline. Default 10 minutes; when not set, a wait uses
    /// its service's <see cref="TranslationService.DefaultMaxWait"/> (60 minutes for HeyGen).
    /// </summary>
    public TimeSpan MaxWait
    {
        get => _maxWait ?? DefaultMaxWait;
        set => _maxWait = value == Timeout.InfiniteTimeSpan ? value : Guard.PositiveDuration(value, nameof(MaxWait));
    }

    /// <summary>Whether <see cref="MaxWait"/> was set (else the service's default applies).</summary>
    internal bool IsMaxWaitSet => _maxWait is not null;

    /// <summary>Whether <see cref="Strategy"/> was set (else the service's default applies).</summary>
    internal bool IsStrategySet => _strategy is not null;

    /// <summary>
    /// The least delay after the n-th transient failure in a row. The strategy's delay and the server's
    /// <c>Retry-After</c> still apply when they are longer. Default <see cref="VideoTranslation.RetryBackoff.Default"/>.
    /// </summary>
    public RetryBackoff RetryBackoff
    {
        get => _retryBackoff;
        set => _retryBackoff = value ?? throw new ArgumentNullException(nameof(RetryBackoff), "RetryBackoff must not be null.");
    }

    /// <summary>
    /// Called once per change of status, in order, starting with the first observed status: a change of state, or of the
    /// service's own word within a state (HeyGen's <c>pending</c> then <c>running</c>, both Pending), on the thread that runs
    /// the wait loop (never concurrently with itself). An exception it throws ends the wait and propagates
    /// unchanged to the caller of the wait method.
    /// </summary>
    public Action<TranslationStatus>? OnStatusChanged { get; set; }

    /// <summary>
    /// The asynchronous flavour of <see cref="OnStatusChanged"/>; awaited before the wait goes on. If both are set,
    /// <see cref="OnStatusChanged"/> runs first. The token is the wait's cancellation token.
    /// </summary>
    public Func<TranslationStatus, CancellationToken, Task>? OnStatusChangedAsync { get; set; }

    /// <summary>
    /// Called after every check that does not end the wait, just before the sleep, with the attempt count, the last
    /// status, the last failure and the delay chosen: what a progress display needs. Runs on the loop's thread;
    /// keep it quick. An exception it throws ends the wait and propagates unchanged.
    /// </summary>
    public Action<TranslationWaitProgress>? OnProgress { get; set; }
}
