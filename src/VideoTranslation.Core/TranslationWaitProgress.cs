using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>Where a wait stands after a check that did not end it; see <see cref="TranslationWaitOptions.OnProgress"/>.</summary>
public sealed class TranslationWaitProgress
{
    /// <summary>Creates a progress report. The wait loop creates these.</summary>
    /// <param name="jobId">The job id, or <see langword="null"/> for the single-job endpoint.</param>
    /// <param name="attempt">How many checks have been made, failed ones included.</param>
    /// <param name="elapsed">Time since the wait started.</param>
    /// <param name="lastStatus">The most recent successful observation, if any.</param>
    /// <param name="lastError">The failure of the check just made, if it failed transiently.</param>
    /// <param name="nextCheckIn">The delay before the next check.</param>
    public TranslationWaitProgress(
        string? jobId,
        int attempt,
        TimeSpan elapsed,
        TranslationStatus? lastStatus,
        TranslationException? lastError,
        TimeSpan nextCheckIn)
    {
        JobId = jobId;
        Attempt = attempt;
        Elapsed = elapsed;
        LastStatus = lastStatus;
        LastError = lastError;
        NextCheckIn = nextCheckIn;
    }

    /// <summary>The job id, or <see langword="null"/> for the single-job endpoint.</summary>
    public string? JobId { get; }

    /// <summary>How many checks have been made, failed ones included.</summary>
    public int Attempt { get; }

    /// <summary>Time since the wait started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The most recent successful observation, or <see langword="null"/> if no check has succeeded yet.</summary>
    public TranslationStatus? LastStatus { get; }

    /// <summary>The failure of the check just made, when it failed transiently; <see langword="null"/> after a success.</summary>
    public TranslationException? LastError { get; }

    /// <summary>
    /// The failure of the check just made in a few words ("connection refused (127.0.0.1:1)", "HTTP 503 Service
    /// Unavailable"), or <see langword="null"/> after a success: what a progress display says it is retrying.
    /// </summary>
    public string? LastErrorReason => LastError is null ? null : FailureReason.Of(LastError);

    /// <summary>The delay before the next check.</summary>
    public TimeSpan NextCheckIn { get; }
}
