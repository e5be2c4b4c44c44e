using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>Settings for waiting on many jobs at once (<see cref="TranslationClient.WaitForAllAsync"/>, <see cref="TranslationClient.WaitForAnyAsync"/>).</summary>
public sealed class TranslationBatchOptions
{
    /// <summary>The default <see cref="MaxConcurrency"/>: 64 requests in flight.</summary>
    public const int DefaultMaxConcurrency = 64;

    private int _maxConcurrency = DefaultMaxConcurrency;

    /// <summary>
    /// The most status requests the batch has in flight at once; 1 to 100,000. Default 64. Every wait of the batch
    /// runs, but a wait holds one of these slots only while its request is out (a held long-poll check holds it for
    /// the hold), so thousands of waits share a few connections of one pool.
    /// </summary>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = Guard.InRange(value, nameof(MaxConcurrency), 1, 100_000);
    }

    /// <summary>Called once per job as its wait ends, successfully or not, in the order they end.</summary>
    public Action<TranslationJobOutcome>? OnJobFinished { get; set; }

    /// <summary>Called with the batch's totals at its start and after every job's wait ends.</summary>
    public Action<TranslationBatchProgress>? OnProgress { get; set; }
}

/// <summary>How one job's wait in a batch ended: with a result, or with the error that ended it.</summary>
public sealed class TranslationJobOutcome
{
    /// <summary>Creates an outcome. Normally produced by <see cref="TranslationClient"/>.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="result">The wait's result, when the job was seen to finish.</param>
    /// <param name="error">The error that ended the wait otherwise (timeout, HTTP, protocol, connection).</param>
    public TranslationJobOutcome(string jobId, TranslationWaitResult? result, TranslationException? error)
    {
        JobId = jobId ?? throw new ArgumentNullException(nameof(jobId));
        if ((result is null) == (error is null))
        {
            throw new ArgumentException("Exactly one of result and error must be given.", nameof(result));
        }

        Result = result;
        Error = error;
    }

    /// <summary>The job id.</summary>
    public string JobId { get; }

    /// <summary>The wait's result when the job was seen to finish (completed or error); otherwise <see langword="null"/>.</summary>
    public TranslationWaitResult? Result { get; }

    /// <summary>The error that ended the wait when the job was not seen to finish; otherwise <see langword="null"/>.</summary>
    public TranslationException? Error { get; }

    /// <summary><see langword="true"/> when the job completed successfully.</summary>
    public bool Succeeded => Result?.Succeeded == true;

    /// <inheritdoc />
    public override string ToString() => Result is not null ? $"{JobId}: {Result}" : $"{JobId}: {Error!.GetType().Name}: {Error.Message}";
}

/// <summary>The totals of a batch of waits at one moment.</summary>
public sealed class TranslationBatchProgress
{
    /// <summary>Creates a snapshot. Normally produced by <see cref="TranslationClient"/>.</summary>
    /// <param name="total">Jobs in the batch.</param>
    /// <param name="completed">Jobs seen to complete.</param>
    /// <param name="failed">Jobs seen to end in the error state.</param>
    /// <param name="errored">Waits that ended with an error instead (timeout, HTTP, protocol, connection).</param>
    public TranslationBatchProgress(int total, int completed, int failed, int errored)
    {
        Total = total;
        Completed = completed;
        Failed = failed;
        Errored = errored;
    }

    /// <summary>Jobs in the batch.</summary>
    public int Total { get; }

    /// <summary>Jobs seen to complete.</summary>
    public int Completed { get; }

    /// <summary>Jobs seen to end in the error state.</summary>
    public int Failed { get; }

    /// <summary>Waits that ended with an error instead of a final state.</summary>
    public int Errored { get; }

    /// <summary>Waits still running.</summary>
    public int Running => Total - Completed - Failed - Errored;

    /// <summary>The share of waits that have ended, 0 to 1 (1 for an empty batch).</summary>
    public double FractionDone => Total == 0 ? 1 : (double)(Total - Running) / Total;

    /// <inheritdoc />
    public override string ToString() => $"{Total - Running} of {Total} done ({Completed} completed, {Failed} failed, {Errored} errored)";
}
