using System;
using System.Collections.Generic;

namespace VideoTranslation;

/// <summary>The outcome of a wait that reached a terminal state.</summary>
public sealed class TranslationWaitResult
{
    /// <summary>Creates a result. Normally produced by <see cref="TranslationClient"/>.</summary>
    /// <param name="finalStatus">The terminal observation.</param>
    /// <param name="attempts">How many status checks were made, failed ones included.</param>
    /// <param name="elapsed">Time from the start of the wait to the terminal observation.</param>
    /// <param name="history">Every change of state, in order, starting with the first observation.</param>
    public TranslationWaitResult(TranslationStatus finalStatus, int attempts, TimeSpan elapsed, IReadOnlyList<TranslationStatus> history)
    {
        FinalStatus = finalStatus ?? throw new ArgumentNullException(nameof(finalStatus));
        Attempts = attempts;
        Elapsed = elapsed;
        History = history ?? throw new ArgumentNullException(nameof(history));
    }

    /// <summary>The terminal state: <see cref="TranslationState.Completed"/> or <see cref="TranslationState.Error"/>.</summary>
    public TranslationState State => FinalStatus.State;

    /// <summary><see langword="true"/> when the job completed successfully.</summary>
    public bool Succeeded => State == TranslationState.Completed;

    /// <summary>The job id, or <see langword="null"/> for the original single-job endpoint.</summary>
    public string? JobId => FinalStatus.JobId;

    /// <summary>The terminal observation.</summary>
    public TranslationStatus FinalStatus { get; }

    /// <summary>How many status checks were made, failed ones included.</summary>
    public int Attempts { get; }

    /// <summary>Time from the start of the wait to the terminal observation.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Every change of state, in order, each with its <see cref="TranslationStatus.ObservedAt"/> timestamp.</summary>
    public IReadOnlyList<TranslationStatus> History { get; }

    /// <summary>Returns this result if the job completed; throws if it ended in error.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="TranslationJobFailedException">The job ended in <see cref="TranslationState.Error"/>.</exception>
    public TranslationWaitResult EnsureSucceeded() => Succeeded ? this : throw new TranslationJobFailedException(this);

    /// <inheritdoc />
    public override string ToString() => $"{State} after {Attempts} checks in {Elapsed}";
}
