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
        PollingStrategy strategy,
        RetryBackoff retryBackoff,
        TimeSpan maxWait,
        Func<TranslationStatus, CancellationToken, Task>? onStateChanged,
        Func<TranslationWaitProgress, CancellationToken, Task>? onProgress)
    {
        Strategy = strategy;
        RetryBackoff = retryBackoff;
        MaxWait = maxWait;
        OnStateChanged = onStateChanged;
        OnProgress = onProgress;
    }

    public PollingStrategy Strategy { get; }

    public RetryBackoff RetryBackoff { get; }

    /// <summary>The deadline from the wait's start, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan MaxWait { get; }

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
            options.Strategy,
            options.RetryBackoff,
            options.MaxWait,
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

    /// <summary>The same settings with other callbacks (a batch runs them in turns).</summary>
    public WaitSettings WithCallbacks(
        Func<TranslationStatus, CancellationToken, Task>? onStateChanged,
        Func<TranslationWaitProgress, CancellationToken, Task>? onProgress) =>
        new(Strategy, RetryBackoff, MaxWait, onStateChanged, onProgress);
}
