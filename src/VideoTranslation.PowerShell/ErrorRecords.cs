using System;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>Turns the core's typed errors into ErrorRecords with a stable ErrorId and a real category.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(TranslationException exception, object? target) =>
        exception switch
        {
            TranslationJobFailedException failed => JobFailed(failed, target),
            TranslationTimeoutException => new(exception, ErrorIds.TranslationWaitTimedOut, ErrorCategory.OperationTimeout, target),
            TranslationServerUnreachableException => new(exception, ErrorIds.TranslationServerUnreachable, ErrorCategory.ConnectionError, target),
            TranslationSecureConnectionException => new(exception, ErrorIds.TranslationSecureConnectionFailed, ErrorCategory.SecurityError, target),
            TranslationSocketLimitException => new(exception, ErrorIds.TranslationSocketLimitReached, ErrorCategory.ResourceUnavailable, target),
            TranslationConnectionException { IsTimeout: true } => new(exception, ErrorIds.TranslationRequestTimedOut, ErrorCategory.OperationTimeout, target),
            TranslationConnectionException => new(exception, ErrorIds.TranslationServerUnreachable, ErrorCategory.ConnectionError, target),
            TranslationProtocolException => new(exception, ErrorIds.TranslationProtocolViolation, ErrorCategory.InvalidResult, target),
            TranslationHttpException http => FromHttp(http, target),
            _ => new(exception, ErrorIds.TranslationUnexpectedStatus, ErrorCategory.InvalidResult, target),
        };

    private static ErrorRecord JobFailed(TranslationJobFailedException failed, object? target) =>
        new(failed, ErrorIds.TranslationJobFailed, ErrorCategory.InvalidResult, target)
        {
            ErrorDetails = new ErrorDetails(
                $"Translation job {failed.Result.JobId ?? "(single job)"} failed: the server reported '{failed.Result.FinalStatus.RawResult}'" +
                (string.IsNullOrWhiteSpace(failed.Result.FailureMessage) ? "." : $": {failed.Result.FailureMessage}"))
            {
                RecommendedAction = "Check the job on the server; the result object in the output has its history (FailureMessage: the service's reason).",
            },
        };

    public static ErrorRecord InvalidArgument(Exception exception, string errorId, object? target) =>
        new(exception, errorId, ErrorCategory.InvalidArgument, target);

    private static ErrorRecord FromHttp(TranslationHttpException http, object? target) =>
        http.StatusCode switch
        {
            404 when http.IsRouteNotFound => new(http, ErrorIds.TranslationRouteNotFound, ErrorCategory.ObjectNotFound, target)
            {
                ErrorDetails = new ErrorDetails(http.Message)
                {
                    RecommendedAction = "Give -Uri the server's base address (the simulator's is like http://127.0.0.1:5000/, without /api), and -Service the service it speaks.",
                },
            },
            404 => new(http, ErrorIds.TranslationJobNotFound, ErrorCategory.ObjectNotFound, target),
            402 => new(http, ErrorIds.TranslationQuotaExceeded, ErrorCategory.QuotaExceeded, target)
            {
                ErrorDetails = new ErrorDetails(http.Message) { RecommendedAction = "Add credit or quota to the account, or wait for it to renew; retrying as is will not help." },
            },
            401 => new(http, ErrorIds.TranslationAccessDenied, ErrorCategory.AuthenticationError, target), // who you are: no or a wrong key
            403 => new(http, ErrorIds.TranslationAccessDenied, ErrorCategory.PermissionDenied, target), // what you may do
            400 or 405 or 409 or 410 or 422 => new(http, ErrorIds.TranslationRequestRejected, ErrorCategory.InvalidArgument, target),
            _ when http.IsTransient => new(http, ErrorIds.TranslationServerBusy, ErrorCategory.ResourceUnavailable, target),
            _ => new(http, ErrorIds.TranslationUnexpectedStatus, ErrorCategory.InvalidResult, target),
        };
}
