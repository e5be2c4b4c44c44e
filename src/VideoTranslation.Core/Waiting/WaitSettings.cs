using System;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// A wait's options as read at its start (a caller changing the options object mid-wait changes nothing), with the
/// sync and async callbacks of each kind joined into one asynchronous callback.
/// </summary>
internal sealed class WaitSettings
{
    private WaitSettings(
        PollingStrategy? strategy,
        RetryBackoff retryBackoff,
        TimeSpan? maxWait,
        Func<TranslationStatus, CancellationToken, Task>? onStateChanged,
        Func<TranslationWaitProgress, CancellationToken, Task>? onProgress)
    {
        _strategy = strategy;
        RetryBackoff = retryBackoff;
        _maxWait = maxWait;
        OnStateChanged = onStateChanged;
        OnProgress = onProgress;
    }

    // Null: not set by the caller; the service's default applies (For).
    private readonly PollingStrategy? _strategy;
    private readonly TimeSpan? _maxWait;

    public PollingStrategy Strategy => _strategy ?? TranslationWaitOptions.DefaultStrategy;

    public RetryBackoff RetryBackoff { get; }

    /// <summary>The deadline from the wait's start, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan MaxWait => _maxWait ?? TranslationWaitOptions.DefaultMaxWait;

    public bool HasDeadline => MaxWait != Timeout.InfiniteTimeSpan;

    public Func<TranslationStatus, CancellationToken, Task>? OnStateChanged { get; }

    public Func<TranslationWaitProgress, CancellationToken, Task>? OnProgress { get; }

    public static WaitSettings From(TranslationWaitOptions? options)
    {
        options ??= new TranslationWaitOptions();
        Action<TranslationStatus>? changed = options.OnStatusChanged;
        Func<TranslationStatus, CancellationToken, Task>? changedAsync = options.OnStatusChangedAsync;
        Action<TranslationWaitProgress>? progress = options.OnProgress;
        return new WaitSettings(
            options.IsStrategySet ? options.Strategy : null,
            options.RetryBackoff,
            options.IsMaxWaitSet ? options.MaxWait : null,
            changed is null && changedAsync is null ? null : async (status, token) =>
            {
                // The documented order: the sync callback first, then the async one.
                changed?.Invoke(status);
                if (changedAsync is not null)
                {
                    await changedAsync(status, token).ConfigureAwait(false);
                }
            },
            progress is null ? null : (p, _) =>
            {
                progress(p);
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// The settings of a wait on <paramref name="service"/>: what the caller left unset is the service's default — its
    /// deadline, and Auto over its polling settings (the simulator's are the library's defaults, so nothing changes there).
    /// </summary>
    public WaitSettings For(TranslationService service)
    {
        if (_strategy is not null && _maxWait is not null)
        {
            return this;
        }

        PollingStrategy strategy = _strategy ?? (ReferenceEquals(service, SimulatorService.Instance)
            ? TranslationWaitOptions.DefaultStrategy
            : service.DefaultStrategy);
        return new WaitSettings(strategy, RetryBackoff, _maxWait ?? service.DefaultMaxWait, OnStateChanged, OnProgress);
    }

    /// <summary>The same settings with other callbacks (a batch runs them in turns).</summary>
    public WaitSettings WithCallbacks(
        Func<TranslationStatus, CancellationToken, Task>? onStateChanged,
        Func<TranslationWaitProgress, CancellationToken, Task>? onProgress) =>
        new(_strategy, RetryBackoff, _maxWait, onStateChanged, onProgress);
}
