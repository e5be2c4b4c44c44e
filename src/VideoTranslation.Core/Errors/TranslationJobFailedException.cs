using System;

namespace VideoTranslation;

/// <summary>
/// The job finished in the <see cref="TranslationState.Error"/> state. The wait methods return such a job as a
/// result (<see cref="TranslationWaitResult.Succeeded"/> is <see langword="false"/>); this is what
/// <see cref="TranslationWaitResult.EnsureSucceeded"/> throws, and what the cmdlets report.
/// </summary>
public sealed class TranslationJobFailedException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The result of the wait that saw the job fail.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public TranslationJobFailedException(TranslationWaitResult result)
        : base(MessageFor(result), result?.FinalStatus.RequestUri)
    {
        Result = result!;
    }

    /// <summary>The result of the wait: the final status and the history.</summary>
    public TranslationWaitResult Result { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;

    private static string MessageFor(TranslationWaitResult? result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }

        return $"Translation job {result.JobId ?? "(single job)"} at {result.FinalStatus.RequestUri} finished with the result " +
               $"'{result.FinalStatus.RawResult}' after {Internal.Guard.Count(result.Attempts, "check")}" +
               (string.IsNullOrWhiteSpace(result.FailureMessage) ? "." : $": {result.FailureMessage}");
    }
}
