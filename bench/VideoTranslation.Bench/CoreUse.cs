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

    /// <summary>HeyGen's advice alone: the HeyGen services' polling options (30 s ×2 ≤ 60 s, jitter 0.1) as the Exponential strategy.</summary>
    HeyGenAdvice,

    /// <summary>HeyGen's official CLI's <c>--wait</c>: 2 s × 2ⁿ capped at 30 s, ±25 % jitter (<see cref="CliWaitStrategy"/>).</summary>
    HeyGenCli,

    /// <summary>The module's default wait on a HeyGen service: Auto over the HeyGen services' polling options.</summary>
    AutoHeyGen,
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

            // The HeyGen rows: what the module does for TranslationService.HeyGen when the caller gives no polling
            // settings (its CreatePollingOptions, every time scaled), and what HeyGen's CLI does.
            RowKind.HeyGenAdvice => PollingStrategy.Create(PollingStrategyKind.Exponential, HeyGenPolling(scale, history)),
            RowKind.HeyGenCli => new CliWaitStrategy(scale, new Random(seed + 7)),
            RowKind.AutoHeyGen => PollingStrategy.Create(PollingStrategyKind.Auto, HeyGenPolling(scale, history)),
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
            RowKind.HeyGenAdvice => $"HeyGen's advice ({S(30)} ×2 ≤ {S(60)}, jitter 0.1: -Strategy Exponential on HeyGen)",
            RowKind.HeyGenCli => $"HeyGen CLI --wait ({S(2)} ×2 ≤ {S(30)}, ±25 %)",
            RowKind.AutoHeyGen => "Auto (the module's default on HeyGen)",
            _ => kind.ToString(),
        };
    }

    /// <summary>
    /// The HeyGen services' polling options (<see cref="TranslationService.CreatePollingOptions"/>: 30 s ×2 ≤ 60 s,
    /// jitter 0.1, as the core ships them) with every time multiplied by <paramref name="scale"/>, and
    /// <paramref name="history"/> for Auto's and Learned's durations.
    /// </summary>
    public static PollingStrategyOptions HeyGenPolling(double scale, DurationHistory? history = null) =>
        Scaled(TranslationService.HeyGen.CreatePollingOptions(), scale, history);

    /// <summary>Options with every duration (interval, cap, hold) multiplied by <paramref name="scale"/>; factor and jitter kept.</summary>
    public static PollingStrategyOptions Scaled(PollingStrategyOptions options, double scale, DurationHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        return new PollingStrategyOptions
        {
            Interval = options.Interval * scale,
            MaxInterval = options.MaxInterval * scale,
            MaxHold = options.MaxHold * scale,
            Factor = options.Factor,
            Jitter = options.Jitter,
            History = history ?? options.History,
        };
    }

    /// <summary>The deadline a HeyGen wait has by default (<see cref="TranslationService.DefaultMaxWait"/>: 60 min).</summary>
    public static TimeSpan HeyGenMaxWait => TranslationService.HeyGen.DefaultMaxWait;

    /// <summary>
    /// A client of the HeyGen-shaped simulator (v3 translations) whose least time between two checks is the core's
    /// default (100 ms) × <paramref name="scale"/>, so that it shrinks with the jobs like every other constant.
    /// </summary>
    public static TranslationClient HeyGenClient(Uri server, double scale) => new(server, new TranslationClientOptions
    {
        Service = TranslationService.HeyGen,
        RequestTimeout = TimeSpan.FromSeconds(10),
        MinimumPollInterval = TranslationClientOptions.DefaultMinimumPollInterval * scale,
    });

    /// <summary>One HeyGen create (v3, one output language) with the simulator's per-job delay and outcome.</summary>
    public static async Task<string> CreateHeyGenJobAsync(TranslationClient client, string language, TimeSpan delay, TranslationState outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IReadOnlyList<TranslationJob> jobs = await client.CreateJobsAsync(
            new TranslationJobRequest { VideoUrl = new Uri("https://example.com/talk.mp4"), OutputLanguages = [language], Delay = delay, Outcome = outcome },
            cancellationToken);
        return jobs[0].Id;
    }

    /// <summary>
    /// Where a wait on the HeyGen service learns its durations (<see cref="PollingContext.ServerUri"/>): the server,
    /// the service and the output language, as the core keys them (<c>base#HeyGen/&lt;language&gt;</c>).
    /// </summary>
    public static Uri HeyGenDurationKey(Uri server, string language) =>
        new(server, "#" + Uri.EscapeDataString(TranslationService.HeyGen.Name) + "/" + Uri.EscapeDataString(language));

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

    /// <summary>
    /// A client of an in-process status route (<see cref="Infrastructure.ScriptedStatusHandler"/>) whose delays take no
    /// time (<see cref="Infrastructure.InstantDelays"/>): least time between checks 1 ms, request timeout 30 s.
    /// </summary>
    public static TranslationClient ScriptedClient(HttpMessageHandler handler) => new(
        new Uri("http://scripted.invalid/"),
        new TranslationClientOptions { TimeProvider = Infrastructure.InstantDelays.Instance, MinimumPollInterval = TimeSpan.FromMilliseconds(1), RequestTimeout = TimeSpan.FromSeconds(30) },
        new HttpClient(handler));

    /// <summary>A scripted wait's options: Fixed 1 ms (its delays fire at once), 10 minutes' deadline. One object for many waits.</summary>
    public static TranslationWaitOptions ScriptedWaitOptions() => new() { Strategy = PollingStrategy.Fixed(TimeSpan.FromMilliseconds(1)), MaxWait = TimeSpan.FromMinutes(10) };

    /// <summary>One wait with given options; returns its checks.</summary>
    public static async Task<int> WaitAsync(TranslationClient client, string jobId, TranslationWaitOptions options) =>
        (await client.WaitForCompletionAsync(jobId, options)).Attempts;

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
