using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>Settings for waiting on many jobs at once (<see cref="TranslationBatch"/>, <see cref="TranslationClient.WaitForAllAsync"/>).</summary>
public sealed class TranslationBatchOptions
{
    /// <summary>The default <see cref="MaxConcurrency"/>: 64 requests in flight per server.</summary>
    public const int DefaultMaxConcurrency = 64;

    /// <summary>The default <see cref="MaxHeldChecks"/>: 1,024 held checks per server.</summary>
    public const int DefaultMaxHeldChecks = 1024;

    private int? _maxConcurrency;
    private int _maxHeldChecks = DefaultMaxHeldChecks;

    /// <summary>
    /// The most ordinary (not held) status requests in flight at once per server; 1 to 100,000. Default 64. A wait
    /// holds a slot only while its request is out, never while it sleeps, so thousands of waits share a few connections.
    /// When not set, each server's service decides (<see cref="TranslationService.DefaultMaxConcurrency"/>: 10 for HeyGen).
    /// </summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency ?? DefaultMaxConcurrency;
        set => _maxConcurrency = Guard.InRange(value, nameof(MaxConcurrency), 1, 100_000);
    }

    /// <summary>The requests in flight at once to a server of <paramref name="service"/>: <see cref="MaxConcurrency"/> if set, else the service's default.</summary>
    internal int MaxConcurrencyFor(TranslationService service) => _maxConcurrency ?? service.DefaultMaxConcurrency;

    /// <summary>
    /// The most long-poll checks held at once per server; 0 to 100,000 (0: never hold). Default 1,024. Held checks
    /// have this budget of their own, so they never make ordinary checks queue; each keeps one connection open for its
    /// hold. When all are taken, a wait that wants to hold sends its check unheld and polls by hints until one is free.
    /// </summary>
    public int MaxHeldChecks
    {
        get => _maxHeldChecks;
        set => _maxHeldChecks = Guard.InRange(value, nameof(MaxHeldChecks), 0, 100_000);
    }

    /// <summary>Called once per job as its wait ends, successfully or not, in the order they end, before the outcome is yielded.</summary>
    public Action<TranslationJobOutcome>? OnJobFinished { get; set; }

    /// <summary>Called with the batch's totals whenever they change: when jobs arrive (once per burst) and after each job's wait ends.</summary>
    public Action<TranslationBatchProgress>? OnProgress { get; set; }
}
