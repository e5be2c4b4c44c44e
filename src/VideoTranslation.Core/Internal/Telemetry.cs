using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoTranslation.Internal;

/// <summary>
/// The library's ActivitySource, Meter and instruments, and the names of its spans and attributes (docs/observability.md).
/// Attribute names follow OpenTelemetry's: the semantic conventions' own where one exists (<c>server.address</c>,
/// <c>error.type</c>, <c>http.response.status_code</c>), else namespaced under <c>video_translation.</c>. Metric tags are
/// the service, strategy and a few closed sets (outcome, state, retry reason), never a job id or URL.
/// </summary>
internal static class Telemetry
{
    public const string WaitSpan = "video_translation.wait";
    public const string CheckSpan = "video_translation.check";
    public const string BatchSpan = "video_translation.batch";
    public const string CreateSpan = "video_translation.create";

    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";
    public const string Service = "video_translation.service";
    public const string Strategy = "video_translation.strategy";
    public const string Outcome = "video_translation.outcome";
    public const string JobId = "video_translation.job.id";
    public const string JobState = "video_translation.job.state";
    public const string Checks = "video_translation.checks";
    public const string WaitElapsed = "video_translation.wait.elapsed";
    public const string Lateness = "video_translation.detection.lateness";
    public const string Attempt = "video_translation.check.attempt";
    public const string Held = "video_translation.check.held";
    public const string Hold = "video_translation.check.hold";
    public const string Group = "video_translation.check.group";
    public const string RetryReason = "video_translation.retry.reason";
    public const string BatchJobs = "video_translation.batch.jobs";
    public const string BatchCompleted = "video_translation.batch.completed";
    public const string BatchFailed = "video_translation.batch.failed";
    public const string BatchErrored = "video_translation.batch.errored";
    public const string CreatedJobs = "video_translation.create.jobs";

    private static readonly string? s_version = typeof(Telemetry).Assembly.GetName().Version?.ToString(3);

    public static readonly ActivitySource Source = new(TranslationTelemetry.SourceName, s_version);

    public static readonly Meter Meter = new(TranslationTelemetry.SourceName, s_version);

    public static readonly UpDownCounter<long> ActiveWaits = Meter.CreateUpDownCounter<long>(
        "video_translation.wait.active", "{wait}", "Waits in flight: started and not yet ended.");

    public static readonly Histogram<double> WaitDuration = Meter.CreateHistogram<double>(
        "video_translation.wait.duration", "s", "How long each wait took, from its start to its end, whatever the outcome.");

    public static readonly Histogram<long> WaitChecks = Meter.CreateHistogram<long>(
        "video_translation.wait.checks", "{check}", "How many status checks each wait sent.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "video_translation.check.retries", "{retry}", "Checks that failed in a way that may heal, after which the wait went on.");

    public static readonly Histogram<double> HoldDuration = Meter.CreateHistogram<double>(
        "video_translation.check.hold.duration", "s", "How long each held (long-poll) check took, from its sending to its answer.");

    public static readonly Histogram<double> DetectionLateness = Meter.CreateHistogram<double>(
        "video_translation.detection.lateness", "s", "From a job's end on the server, when the server says it, to the client's receipt of the answer that says so.");

    /// <summary>A state as its wire word (<c>pending</c>, <c>completed</c>, <c>error</c>): literals, no allocation.</summary>
    public static string StateName(TranslationState state) => state switch
    {
        TranslationState.Pending => "pending",
        TranslationState.Completed => "completed",
        _ => "error",
    };

    /// <summary>Why a check that may heal failed, in a closed set: <c>429</c>, <c>5xx</c>, <c>timeout</c>, <c>connection</c>, <c>other</c>.</summary>
    public static string RetryReasonOf(TranslationException error) => error switch
    {
        TranslationHttpException { StatusCode: 429 } => "429",
        TranslationHttpException { StatusCode: >= 500 } => "5xx",
        TranslationConnectionException { IsTimeout: true } => "timeout",
        TranslationConnectionException => "connection",
        _ => "other",
    };

    /// <summary>
    /// Counts a retry of a check that failed in a way that may heal; returns the reason. <paramref name="strategy"/> is
    /// null for a lone check (GetStatus), which has none.
    /// </summary>
    public static string CountRetry(string service, string? strategy, TranslationException error)
    {
        string reason = RetryReasonOf(error);
        if (Retries.Enabled)
        {
            var tags = new TagList { { Service, service }, { RetryReason, reason } };
            if (strategy is not null)
            {
                tags.Add(Strategy, strategy);
            }

            Retries.Add(1, tags);
        }

        return reason;
    }

    /// <summary>How a wait ended that did not return a result: <c>timed_out</c>, <c>canceled</c> or <c>error</c>.</summary>
    public static string OutcomeOf(Exception error) => error switch
    {
        TranslationTimeoutException => "timed_out",
        OperationCanceledException => "canceled",
        _ => "error",
    };

    /// <summary>The span of a check outside any wait (GetStatus): the server, service and job, as a wait's span has them.</summary>
    public static Activity? StartSingleCheck(ServerConnection server, string? jobId, int attempt)
    {
        Activity? span = Source.StartActivity(CheckSpan);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(ServerAddress, server.SafeBaseUri.Host);
            span.SetTag(ServerPort, server.SafeBaseUri.Port);
            span.SetTag(Service, server.Service.Name);
            span.SetTag(JobId, jobId);
            span.SetTag(Attempt, attempt);
            span.SetTag(Held, false);
        }

        return span;
    }

    /// <summary>
    /// A batch's span, beneath the caller's current one. It does not become current here: the batch makes it its waits'
    /// parent (each wait's task sets it), and the caller's code after the call is not in it.
    /// </summary>
    public static Activity? StartBatch()
    {
        Activity? current = Activity.Current;
        Activity? span = Source.StartActivity(BatchSpan);
        Activity.Current = current;
        return span;
    }

    /// <summary>Ends a batch's span after its last wait, with its final totals.</summary>
    public static void EndBatch(Activity? span, (int Jobs, int Completed, int Failed, int Errored) totals, Exception? failure, TimeProvider clock)
    {
        if (span is null)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            span.SetTag(BatchJobs, totals.Jobs);
            span.SetTag(BatchCompleted, totals.Completed);
            span.SetTag(BatchFailed, totals.Failed);
            span.SetTag(BatchErrored, totals.Errored);
            if (failure is not null)
            {
                SetError(span, failure, options: null);
            }
        }

        span.SetEndTime(clock.GetUtcNow().UtcDateTime);
        span.Stop();
    }

    /// <summary>Ends <paramref name="span"/> as failed: its status, <c>error.type</c> and, for an HTTP error, the status code.</summary>
    public static void SetError(Activity span, Exception error, TranslationClientOptions? options)
    {
        span.SetStatus(ActivityStatusCode.Error, options is null ? error.Message : SecretMask.Apply(error.Message, options));
        span.SetTag(ErrorType, error.GetType().FullName);
        if (error is TranslationHttpException http)
        {
            span.SetTag(HttpStatusCode, http.StatusCode);
        }
    }
}
