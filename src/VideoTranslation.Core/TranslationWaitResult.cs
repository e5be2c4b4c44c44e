using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using VideoTranslation.Internal;

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
        History = new StateHistory(history ?? throw new ArgumentNullException(nameof(history)));
    }

    /// <summary>The terminal state: <see cref="TranslationState.Completed"/> or <see cref="TranslationState.Error"/>.</summary>
    public TranslationState State => FinalStatus.State;

    /// <summary><see langword="true"/> when the job completed successfully.</summary>
    public bool Succeeded => State == TranslationState.Completed;

    /// <summary>The job id, or <see langword="null"/> for the original single-job endpoint.</summary>
    public string? JobId => FinalStatus.JobId;

    /// <summary>
    /// The base address of the server that answered, without user info (<see cref="TranslationStatus.Uri"/> of
    /// <see cref="FinalStatus"/>), so a result can be piped, or exported and imported, to commands that take <c>-Uri</c>.
    /// </summary>
    public Uri? Uri => FinalStatus.Uri;

    /// <summary>The result's URL, when the service gives one (<see cref="TranslationStatus.VideoUrl"/> of <see cref="FinalStatus"/>).</summary>
    public Uri? VideoUrl => FinalStatus.VideoUrl;

    /// <summary>The service's message for a failed job, when it gives one (<see cref="TranslationStatus.FailureMessage"/> of <see cref="FinalStatus"/>).</summary>
    public string? FailureMessage => FinalStatus.FailureMessage;

    /// <summary>
    /// How late the wait learned that the job had ended, when the server says when it ended
    /// (<see cref="TranslationStatus.DetectionLateness"/> of <see cref="FinalStatus"/>): what a polling strategy is judged by.
    /// </summary>
    public TimeSpan? DetectionLateness => FinalStatus.DetectionLateness;

    /// <summary>The name of the service that answered (<see cref="TranslationStatus.Service"/> of <see cref="FinalStatus"/>).</summary>
    public string? Service => FinalStatus.Service;

    /// <summary>The terminal observation.</summary>
    public TranslationStatus FinalStatus { get; }

    /// <summary>How many status checks were made, failed ones included.</summary>
    public int Attempts { get; }

    /// <summary>Time from the start of the wait to the terminal observation.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Every change of status — of its state, or of the service's own word within a state (HeyGen's <c>pending</c> then
    /// <c>running</c>) — in order, each with its <see cref="TranslationStatus.ObservedAt"/> timestamp. Its
    /// <see cref="object.ToString"/> is the states in ASCII, <c>Pending-&gt;Completed</c>, which is what a CSV export
    /// or a log line shows of it.
    /// </summary>
    public IReadOnlyList<TranslationStatus> History { get; }

    /// <summary>
    /// <see cref="Elapsed"/> in seconds: what a JSON or CSV report wants. PowerShell's ConvertTo-Json writes every public
    /// property, and a <see cref="TimeSpan"/> as an object of 15 fields; this one is a plain number.
    /// </summary>
    public double ElapsedSeconds => Elapsed.TotalSeconds;

    /// <summary>Returns this result if the job completed; throws if it ended in error.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="TranslationJobFailedException">The job ended in <see cref="TranslationState.Error"/>.</exception>
    public TranslationWaitResult EnsureSucceeded() => Succeeded ? this : throw new TranslationJobFailedException(this);

    /// <inheritdoc />
    public override string ToString() => $"{State} after {Guard.Count(Attempts, "check")} in {Guard.Format(Elapsed)}";

    // ASCII, not an arrow: Export-Csv writes what ToString says, and spreadsheets often read CSV in a legacy code page.
    private sealed class StateHistory : ReadOnlyCollection<TranslationStatus>
    {
        public StateHistory(IReadOnlyList<TranslationStatus> history)
            : base(history.ToList())
        {
        }

        // States, not words: a change of the service's word within one state (HeyGen's pending -> running) is one Pending.
        public override string ToString() =>
            string.Join("->", this.Select(status => status.State).Where((state, i) => i == 0 || state != this[i - 1].State));
    }
}
