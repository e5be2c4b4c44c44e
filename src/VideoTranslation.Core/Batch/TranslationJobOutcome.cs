using System;

namespace VideoTranslation;

/// <summary>How one job's wait in a batch ended: with a result, or with the error that ended it.</summary>
public sealed class TranslationJobOutcome
{
    /// <summary>Creates an outcome. Normally produced by <see cref="TranslationBatch"/>.</summary>
    /// <param name="target">The job.</param>
    /// <param name="index">The job's position in the batch's input, from 0.</param>
    /// <param name="result">The wait's result, when the job was seen to finish.</param>
    /// <param name="error">The error that ended the wait otherwise (timeout, HTTP, protocol, connection).</param>
    /// <exception cref="ArgumentException">Not exactly one of <paramref name="result"/> and <paramref name="error"/> is given.</exception>
    public TranslationJobOutcome(TranslationJobTarget target, int index, TranslationWaitResult? result, TranslationException? error)
    {
        Target = target ?? throw new ArgumentNullException(nameof(target));
        if ((result is null) == (error is null))
        {
            throw new ArgumentException("Exactly one of result and error must be given.", nameof(result));
        }

        Index = index;
        Result = result;
        Error = error;
    }

    /// <summary>The job: its server's client and its id.</summary>
    public TranslationJobTarget Target { get; }

    /// <summary>The job id, or <see langword="null"/> for a server's single-job endpoint.</summary>
    public string? JobId => Target.JobId;

    /// <summary>The job's position in the batch's input, from 0.</summary>
    public int Index { get; }

    /// <summary>The wait's result when the job was seen to finish (completed or error); otherwise <see langword="null"/>.</summary>
    public TranslationWaitResult? Result { get; }

    /// <summary>The error that ended the wait when the job was not seen to finish; otherwise <see langword="null"/>.</summary>
    public TranslationException? Error { get; }

    /// <summary><see langword="true"/> when the job completed successfully.</summary>
    public bool Succeeded => Result?.Succeeded == true;

    /// <inheritdoc />
    public override string ToString() => Result is not null ? $"{Target}: {Result}" : $"{Target}: {Error!.GetType().Name}: {Error.Message}";
}

/// <summary>The totals of a batch of waits at one moment.</summary>
public sealed class TranslationBatchProgress
{
    /// <summary>Creates a snapshot. Normally produced by <see cref="TranslationBatch"/>.</summary>
    /// <param name="total">Jobs in the batch so far.</param>
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

    /// <summary>Jobs in the batch so far (more may still arrive).</summary>
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
