using System;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.Internal;

/// <summary>The client's log messages (source-generated; ids mirror <see cref="TranslationLogEvents"/>).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "StatusChecked", Level = LogLevel.Debug,
        Message = "Check {Attempt} of job {Job} at {Uri}: {State}")]
    public static partial void StatusChecked(ILogger logger, int attempt, string job, Uri uri, TranslationState state);

    [LoggerMessage(EventId = 2, EventName = "StateChanged", Level = LogLevel.Information,
        Message = "Job {Job} is {State} after {Elapsed} (previous state: {PreviousState})")]
    public static partial void StateChanged(ILogger logger, string job, TranslationState state, string previousState, TimeSpan elapsed);

    [LoggerMessage(EventId = 3, EventName = "RetryingAfterFailure", Level = LogLevel.Warning,
        Message = "Check {Attempt} of job {Job} failed: {Reason}. Retry {Retry} in {Delay}.")]
    public static partial void RetryingAfterFailure(ILogger logger, int attempt, string job, string reason, string retry, string delay);

    [LoggerMessage(EventId = 4, EventName = "WaitFinished", Level = LogLevel.Information,
        Message = "Job {Job} finished as {State} in {Elapsed} (checks: {Attempts})")]
    public static partial void WaitFinished(ILogger logger, string job, TranslationState state, int attempts, TimeSpan elapsed);

    [LoggerMessage(EventId = 5, EventName = "WaitTimedOut", Level = LogLevel.Warning,
        Message = "Job {Job} did not finish within {MaxWait} (checks: {Attempts})")]
    public static partial void WaitTimedOut(ILogger logger, string job, TimeSpan maxWait, int attempts);

    [LoggerMessage(EventId = 6, EventName = "PermanentFailure", Level = LogLevel.Warning,
        Message = "Check {Attempt} of job {Job} failed in a way retrying will not fix: {Reason}")]
    public static partial void PermanentFailure(ILogger logger, int attempt, string job, string reason);

    [LoggerMessage(EventId = 7, EventName = "NextCheckScheduled", Level = LogLevel.Trace,
        Message = "Next check of job {Job} in {Delay}")]
    public static partial void NextCheckScheduled(ILogger logger, string job, TimeSpan delay);

    // Id 10, not the next free one: other events may be added meanwhile, and ids are stable once released.
    [LoggerMessage(EventId = 10, EventName = "StatusAnswered", Level = LogLevel.Information,
        Message = "GET {Uri} answered {State} in {Duration}")]
    public static partial void StatusAnswered(ILogger logger, Uri uri, TranslationState state, string duration);

    [LoggerMessage(EventId = 11, EventName = "CreateRetrying", Level = LogLevel.Warning,
        Message = "Creating a job at {Uri} failed: {Reason}. Retry {Retry} in {Delay}, with the same Idempotency-Key.")]
    public static partial void CreateRetrying(ILogger logger, Uri uri, string reason, string retry, string delay);

    [LoggerMessage(EventId = 12, EventName = "BatchLimitedByDescriptors", Level = LogLevel.Warning,
        Message = "The batch's requests to {Uri} are limited to {Checks} checks and {Holds} held checks at once instead of " +
                  "{MaxConcurrency} and {MaxHeldChecks} (-ThrottleLimit, -HoldLimit): each holds a socket, and this process may open " +
                  "{Limit} files (ulimit -n), {Open} of them open now. Raise ulimit -n for more at once.")]
    public static partial void BatchLimitedByDescriptors(ILogger logger, Uri uri, int maxConcurrency, int maxHeldChecks, int limit, int open, int checks, int holds);
}
