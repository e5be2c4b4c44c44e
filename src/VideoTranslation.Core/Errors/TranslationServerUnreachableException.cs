using System;

namespace VideoTranslation;

/// <summary>
/// A wait gave up because the server could not be reached: more than <see cref="TranslationClientOptions.MaxTransportRetries"/>
/// checks in a row got no answer at all (connection refused or reset, name not resolved, request timed out). An HTTP
/// answer, even a 503, shows the server is there and starts the count again. <see cref="Exception.InnerException"/>
/// is the last failure, a <see cref="TranslationConnectionException"/>.
/// </summary>
public sealed class TranslationServerUnreachableException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The status URL, without secrets.</param>
    /// <param name="lastError">The last failure.</param>
    /// <param name="consecutiveFailures">How many checks in a row got no answer.</param>
    /// <param name="failingFor">From the start of the first of those checks to the end of the last.</param>
    /// <param name="attempts">How many checks the wait made in all, failed ones included.</param>
    /// <param name="lastStatus">The last successful observation, if any.</param>
    public TranslationServerUnreachableException(
        string message,
        Uri requestUri,
        TranslationConnectionException lastError,
        int consecutiveFailures,
        TimeSpan failingFor,
        int attempts,
        TranslationStatus? lastStatus = null)
        : base(message, requestUri, lastError)
    {
        LastError = lastError;
        ConsecutiveFailures = consecutiveFailures;
        FailingFor = failingFor;
        Attempts = attempts;
        LastStatus = lastStatus;
    }

    /// <summary>The last failure: what went wrong, and <see cref="TranslationConnectionException.Reason"/> in a few words.</summary>
    public TranslationConnectionException LastError { get; }

    /// <summary>How many checks in a row got no answer (the retries plus the first failure).</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>From the start of the first failed check of the run to the end of the last.</summary>
    public TimeSpan FailingFor { get; }

    /// <summary>How many checks the wait made in all, failed ones included.</summary>
    public int Attempts { get; }

    /// <summary>The last successful observation, or <see langword="null"/> if no check succeeded.</summary>
    public TranslationStatus? LastStatus { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
