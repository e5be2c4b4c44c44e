using System;

namespace VideoTranslation;

/// <summary>The wait reached its <see cref="TranslationWaitOptions.MaxWait"/> deadline before the job finished.</summary>
public sealed class TranslationTimeoutException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The status URL, without secrets.</param>
    /// <param name="lastStatus">The last successful observation, if any.</param>
    /// <param name="attempts">How many checks were made, failed ones included.</param>
    /// <param name="elapsed">Time from the start of the wait to the failure.</param>
    /// <param name="maxWait">The deadline that passed.</param>
    /// <param name="lastError">The failure of the last check, when it failed transiently.</param>
    public TranslationTimeoutException(
        string message,
        Uri requestUri,
        TranslationStatus? lastStatus,
        int attempts,
        TimeSpan elapsed,
        TimeSpan maxWait,
        TranslationException? lastError = null)
        : base(message, requestUri, lastError)
    {
        LastStatus = lastStatus;
        Attempts = attempts;
        Elapsed = elapsed;
        MaxWait = maxWait;
    }

    /// <summary>The last successful observation, or <see langword="null"/> if no check succeeded.</summary>
    public TranslationStatus? LastStatus { get; }

    /// <summary>How many checks were made, failed ones included.</summary>
    public int Attempts { get; }

    /// <summary>Time from the start of the wait to the failure.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan MaxWait { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
