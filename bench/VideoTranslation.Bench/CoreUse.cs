using System.Globalization;

namespace VideoTranslation.Bench;

/// <summary>The strategies of the strategy table's rows (what is compared with what).</summary>
public enum RowKind
{
    OriginalFixed,
    OriginalExponential,
    Fixed,
    Exponential,
    AdaptiveNoHints,
    LearnedNoHints,
    AdaptiveAccurate,
    AdaptiveNoisy,
    LongPoll,
}

/// <summary>
/// Every use of the core's strategy and waiting API in the benchmark: the strategies of every section, one wait, one
/// batch. When the core's API changes, this file is what changes.
/// </summary>
internal static class CoreUse
{
    /// <summary>The strategies the scale section waits with, by name (the child process's <c>--strategy</c>).</summary>
    public static IReadOnlyList<string> ScaleStrategies { get; } = ["Auto", "Adaptive", "LongPoll", "Exponential"];

    /// <summary>The strategies the soak splits its jobs over (see <see cref="Soak"/>).</summary>
    public static IReadOnlyList<string> SoakStrategies { get; } = ["Auto", "Adaptive", "Exponential"];

    /// <summary>
    /// The strategy of a row of the strategy table. Every time constant is multiplied by <paramref name="scale"/>
    /// like the workload: the original client's loops (fixed 1 s; 1 s ×2 ≤ 60 s), our Fixed (-Interval 1 s) and
    /// Exponential (1 s ×1.5 ≤ 5 s, jitter 0.2: ExponentialStrategy.Default), and that exponential as the fallback of
    /// the others, composed as PollingStrategy.Create composes the named strategies. Each row draws its jitter from a
    /// stream of its own.
    /// </summary>
    public static PollingStrategy Row(RowKind kind, double scale, int seed, DurationHistory history)
    {
        TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds * scale);
        ExponentialStrategy Ours(int salt) => new(S(1), 1.5, S(5), 0.2, new Random(seed + salt));
        return kind switch
        {
            // The original client read no hint at all: the bare strategies.
            RowKind.OriginalFixed => new FixedStrategy(S(1)),
            RowKind.OriginalExponential => new ExponentialStrategy(S(1), 2, S(60)),
            RowKind.Fixed => PollingStrategy.Fixed(S(1)),
            RowKind.Exponential => Ours(1),
            RowKind.AdaptiveNoHints => new AdaptiveStrategy(Ours(2)),
            RowKind.LearnedNoHints => new LearnedStrategy(history, fallback: Ours(3)),
            RowKind.AdaptiveAccurate => new AdaptiveStrategy(Ours(4)),
            RowKind.AdaptiveNoisy => new AdaptiveStrategy(Ours(5)),
            RowKind.LongPoll => new LongPollStrategy(fallback: new AdaptiveStrategy(Ours(6))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The row's name in the tables, with its constants at <paramref name="scale"/>.</summary>
    public static string RowName(RowKind kind, double scale)
    {
        string S(double seconds) => (seconds * scale).ToString("0.###", CultureInfo.InvariantCulture) + " s";
        return kind switch
        {
            RowKind.OriginalFixed => $"Original fixed {S(1)}",
            RowKind.OriginalExponential => $"Original exponential {S(1)} ×2 ≤ {S(60)}",
            RowKind.Fixed => $"Fixed (ours, {S(1)})",
            RowKind.Exponential => $"Exponential (ours, {S(1)} ×1.5 ≤ {S(5)}, jitter 0.2)",
            RowKind.AdaptiveNoHints => "Adaptive, no hints",
            RowKind.LearnedNoHints => "Learned, no hints",
            RowKind.AdaptiveAccurate => "Adaptive, accurate hints",
            RowKind.AdaptiveNoisy => "Adaptive, noisy hints",
            RowKind.LongPoll => "LongPoll",
            _ => kind.ToString(),
        };
    }

    /// <summary>The scale section's strategies, as shipped (unscaled).</summary>
    public static PollingStrategy Named(string name) =>
        Enum.TryParse(name, ignoreCase: false, out PollingStrategyKind kind) && ScaleStrategies.Contains(name)
            ? PollingStrategy.Create(kind)
            : throw new ArgumentException($"Unknown strategy '{name}'; use one of {string.Join(", ", ScaleStrategies)}.", nameof(name));

    /// <summary>The soak's strategies; its Auto is the wait options' default (null), which is Auto over the shared history.</summary>
    public static PollingStrategy? Soak(string name) => name == "Auto" ? null : Named(name);

    /// <summary>One job's wait (the strategy table: each job is created, then waited on alone).</summary>
    public static Task<TranslationWaitResult> WaitAsync(TranslationClient client, string jobId, PollingStrategy strategy, TimeSpan maxWait, CancellationToken cancellationToken) =>
        client.WaitForCompletionAsync(jobId, new TranslationWaitOptions { Strategy = strategy, MaxWait = maxWait }, cancellationToken);

    /// <summary>The client's least time between the starts of two checks (the frontier keeps its checks this far apart).</summary>
    public static double MinimumPollIntervalSeconds => TranslationClientOptions.DefaultMinimumPollInterval.TotalSeconds;

    /// <summary>The request limit a batch has by default (the cmdlets' -ThrottleLimit).</summary>
    public static int DefaultBatchLimit => TranslationBatchOptions.DefaultMaxConcurrency;

    /// <summary>
    /// Many waits in one batch call: at most <paramref name="maxConcurrency"/> requests in flight; the callbacks (any
    /// may be null) as the batch delivers them. Returns one outcome per id, in order.
    /// </summary>
    public static Task<IReadOnlyList<TranslationJobOutcome>> WaitForAllAsync(
        TranslationClient client,
        IEnumerable<string> jobIds,
        PollingStrategy? strategy,
        TimeSpan maxWait,
        int maxConcurrency,
        CancellationToken cancellationToken,
        Action<TranslationStatus>? onStatusChanged = null,
        Action<TranslationWaitProgress>? onProgress = null,
        Action<TranslationJobOutcome>? onJobFinished = null)
    {
        var options = new TranslationWaitOptions { MaxWait = maxWait, OnStatusChanged = onStatusChanged, OnProgress = onProgress };
        if (strategy is not null)
        {
            options.Strategy = strategy;
        }

        return client.WaitForAllAsync(jobIds, options, new TranslationBatchOptions { MaxConcurrency = maxConcurrency, OnJobFinished = onJobFinished }, cancellationToken);
    }
}
