using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.Internal;

/// <summary>
/// One wait: check, observe, decide the delay, sleep, until the job finishes, the deadline passes, a failure that
/// retrying cannot heal happens, or the token is cancelled. Single waits, batches and the sync flavours all run this.
/// </summary>
internal sealed class WaitLoop
{
    private const string SingleJobLabel = "(single job)";

    private readonly ServerConnection _server;
    private readonly string? _jobId;
    private readonly string _job;
    private readonly WaitSettings _settings;
    private readonly TimeSpan _minimumPollInterval;
    private readonly int _maxTransportRetries;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CheckBudget? _budget;
    private readonly WaitState _wait = new();
    private WaitTelemetry _telemetry;
    private long _start;
    private TimeSpan _checkHold; // what the current check asked the server to hold

    public WaitLoop(ServerConnection server, string? jobId, WaitSettings settings, TranslationClientOptions options, ILogger logger, CheckBudget? budget)
    {
        _server = server;
        _jobId = jobId;
        _job = jobId ?? SingleJobLabel;
        _settings = settings.For(server.Service);
        _minimumPollInterval = options.MinimumPollInterval;
        _maxTransportRetries = options.MaxTransportRetries;
        _time = options.TimeProvider;
        _logger = logger;
        _budget = budget;
    }

    private TimeSpan Elapsed => _time.GetElapsedTime(_start);

    // Where durations are learned: per server, and per service and output language where the service says it.
    private Uri DurationKey => _server.Service.DurationKey(_server.SafeBaseUri, _wait.Last?.Language);

    private TimeSpan? TimeLeft => _settings.HasDeadline ? _settings.MaxWait - Elapsed : null;

    // One async method for the wait and one per check, as before telemetry: a wrapper level would cost an allocation
    // per check whether or not anyone listens (docs/benchmarks.md, Telemetry).
    public async Task<TranslationWaitResult> RunAsync(CancellationToken cancellationToken)
    {
        _start = _time.GetTimestamp();
        _telemetry.Start(_server, _jobId, _settings.Strategy);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // One check, in its span: the answer, or null after a transient failure; a permanent failure ends the wait.
                Activity? span = _telemetry.StartCheck(_jobId, _wait.Attempts + 1);
                _checkHold = TimeSpan.Zero;
                TranslationStatus? status;
                try
                {
                    status = await CheckAsync(span, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    _telemetry.Failed(span, ex);
                    throw;
                }

                if (status is null)
                {
                    _telemetry.Retrying(span, _wait.LastError!);
                }
                else
                {
                    _telemetry.Answered(span, status, _checkHold, _wait.LastCheckDuration ?? TimeSpan.Zero);
                    if (await ObserveAsync(status, cancellationToken).ConfigureAwait(false) is { } result)
                    {
                        _telemetry.Finished(result, Elapsed);
                        return result;
                    }
                }

                TimeSpan delay = NextDelayBeforeDeadline();
                if (_settings.OnProgress is { } onProgress)
                {
                    await onProgress(new TranslationWaitProgress(_jobId, _wait.Attempts, Elapsed, _wait.Last, _wait.LastError, delay), cancellationToken).ConfigureAwait(false);
                }

                if (delay > TimeSpan.Zero)
                {
                    await _time.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            _telemetry.Failed(ex, _wait.Last, _wait.Attempts, Elapsed);
            throw;
        }
    }

    private async Task<TranslationStatus?> CheckAsync(Activity? span, CancellationToken cancellationToken)
    {
        TimeSpan wanted = _settings.Strategy.GetLongPollWait(_wait.ToContext(Elapsed, DurationKey));

        // A batch's holds go out in groups when the server offers that (never the single-job GET /status).
        GroupHolds? groups = _budget?.Groups;
        if (groups is not null && _jobId is not null && wanted > TimeSpan.Zero && groups.IsOffered &&
            DelayPolicy.Hold(wanted, TimeLeft) is { TotalMilliseconds: >= 1 } groupHold)
        {
            WaitTelemetry.Asked(span, groupHold, group: true);
            _checkHold = groupHold;
            GroupCheck check = await groups.CheckAsync(_jobId, groupHold, cancellationToken).ConfigureAwait(false);
            switch (check.Kind)
            {
                case GroupCheckKind.Answered:
                    _wait.CheckStarted(check.Started);
                    return Answered(check.Status!);
                case GroupCheckKind.Failed:
                    _wait.CheckStarted(check.Started);
                    return Failed(check.Error!) is { } end ? throw end : null;
                case GroupCheckKind.NoHold:
                    _checkHold = TimeSpan.Zero;
                    wanted = TimeSpan.Zero; // every hold taken: unheld, as a check that finds no hold free
                    break;
            }
        }

        // After a 429 with Retry-After every wait on this server holds back (before taking a slot, so none is held idle).
        await _server.Pace.WaitAsync(TimeLeft, cancellationToken).ConfigureAwait(false);

        // The hold is clipped once the slot is taken: a check that queued went out later than it was planned.
        // The deadline bounds the wait for a slot too: a wait whose turn has not come by then ends at its deadline.
        using CheckBudget.Lease lease = _budget is null
            ? CheckBudget.Lease.Unlimited
            : await _budget.EnterAsync(wanted > TimeSpan.Zero, TimeLeft, _time, cancellationToken).ConfigureAwait(false) ?? throw QueuedPastDeadline();
        TimeSpan hold = DelayPolicy.Hold(lease.MayHold ? wanted : TimeSpan.Zero, TimeLeft);
        WaitTelemetry.Asked(span, hold, group: false);
        _checkHold = hold;
        _wait.CheckStarted(_time.GetTimestamp());
        try
        {
            return Answered(await _server.CheckAsync(_jobId, hold, cancellationToken).ConfigureAwait(false));
        }
        catch (TranslationException ex)
        {
            TranslationException? end = Failed(ex);
            if (end is null)
            {
                return null;
            }

            if (ReferenceEquals(end, ex))
            {
                throw;
            }

            throw end;
        }
    }

    private TranslationStatus Answered(TranslationStatus status)
    {
        _wait.Answered(status, Elapsed, _time.GetElapsedTime(_wait.LastCheckStarted));
        Log.StatusChecked(_logger, _wait.Attempts, _job, status.RequestUri, status.State);
        return status;
    }

    // Records a failed check: null when the wait goes on (a transient failure within its retries), else the error that
    // ends it (logged): the failure itself, or the server unreachable after too many checks in a row without an answer.
    private TranslationException? Failed(TranslationException error)
    {
        TranslationException end = error;
        if (error.IsTransient)
        {
            _wait.Failed(error, _time.GetElapsedTime(_wait.LastCheckStarted));
            if (error is not TranslationConnectionException connection || _maxTransportRetries < 0 ||
                _wait.ConsecutiveTransportFailures <= _maxTransportRetries)
            {
                return null;
            }

            end = Unreachable(connection);
        }

        Log.PermanentFailure(_logger, _wait.Attempts, _job, end.Message);
        return end;
    }

    // Reports a change of status (of state, or of the service's word); returns the result when the job has finished.
    private async Task<TranslationWaitResult?> ObserveAsync(TranslationStatus status, CancellationToken cancellationToken)
    {
        if (_wait.LastAnswerChangedState)
        {
            TranslationStatus? before = _wait.Previous;
            string previous = before is null ? "none"
                : before.State == status.State ? $"{Name(before.State)} as '{before.RawResult}', now '{status.RawResult}'"
                : Name(before.State);
            Log.StateChanged(_logger, _job, status.State, previous, _wait.LastAnswerElapsed);
            if (_settings.OnStateChanged is { } onStateChanged)
            {
                await onStateChanged(status, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!status.IsTerminal)
        {
            return null;
        }

        // As of the answer, not after the callbacks: a learning strategy measures the job, not the caller.
        TimeSpan elapsed = _wait.LastAnswerElapsed;
        Log.WaitFinished(_logger, _job, status.State, _wait.Attempts, elapsed);
        _settings.Strategy.OnWaitCompleted(_wait.ToContext(elapsed, DurationKey));
        return _wait.ToResult();
    }

    // Callbacks may have taken a while: the deadline and the next sleep go by the clock as it is now.
    private TimeSpan NextDelayBeforeDeadline()
    {
        TimeSpan elapsed = Elapsed;
        if (_settings.HasDeadline && elapsed >= _settings.MaxWait)
        {
            Log.WaitTimedOut(_logger, _job, _settings.MaxWait, _wait.Attempts);
            throw TimedOut(elapsed);
        }

        TranslationException? error = _wait.LastError;
        TimeSpan delay = DelayPolicy.NextDelay(
            _settings.Strategy.GetNextDelay(_wait.ToContext(elapsed, DurationKey)),
            _minimumPollInterval,
            _time.GetElapsedTime(_wait.LastCheckStarted),
            error is null ? null : _settings.RetryBackoff.GetDelay(_wait.ConsecutiveFailures),
            (error as TranslationHttpException)?.RetryAfter,
            _settings.HasDeadline ? _settings.MaxWait - elapsed : null);

        if (error is not null)
        {
            // "Retry 2 of 4" while transport failures count towards MaxTransportRetries; else "Retry 3" (until the deadline).
            string retry = error is TranslationConnectionException && _maxTransportRetries >= 0
                ? string.Format(CultureInfo.InvariantCulture, "{0} of {1}", _wait.ConsecutiveTransportFailures, _maxTransportRetries)
                : _wait.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture);
            Log.RetryingAfterFailure(_logger, _wait.Attempts, _job, FailureReason.Of(error), retry, Guard.Format(delay));
        }
        else
        {
            Log.NextCheckScheduled(_logger, _job, delay);
        }

        return delay;
    }

    // Literals, so that a log line that is off costs no allocation.
    private static string Name(TranslationState state) => state switch
    {
        TranslationState.Pending => nameof(TranslationState.Pending),
        TranslationState.Completed => nameof(TranslationState.Completed),
        _ => nameof(TranslationState.Error),
    };

    private TranslationServerUnreachableException Unreachable(TranslationConnectionException last)
    {
        Uri uri = UriRedaction.Redact(_server.GetStatusUri(_jobId));
        int failures = _wait.ConsecutiveTransportFailures;
        TimeSpan failingFor = _time.GetElapsedTime(_wait.TransportFailuresStarted);
        string message = string.Format(
            CultureInfo.InvariantCulture,
            "Gave up waiting for job {0} at {1}: the server could not be reached; {2} checks in a row got no answer over {3} " +
            "({4} {5}, the limit set by MaxTransportRetries; -MaximumRetryCount in PowerShell). The last: {6}.",
            _job,
            uri,
            failures,
            Guard.Format(failingFor),
            _maxTransportRetries,
            _maxTransportRetries == 1 ? "retry" : "retries",
            last.Reason);
        return new TranslationServerUnreachableException(message, uri, last, failures, failingFor, _wait.Attempts, _wait.Last);
    }

    private TranslationTimeoutException QueuedPastDeadline()
    {
        Log.WaitTimedOut(_logger, _job, _settings.MaxWait, _wait.Attempts);
        return TimedOut(Elapsed, queued: true);
    }

    private TranslationTimeoutException TimedOut(TimeSpan elapsed, bool queued = false)
    {
        Uri uri = UriRedaction.Redact(_server.GetStatusUri(_jobId));
        TranslationStatus? last = _wait.Last;
        string lastState = last is null ? "no check succeeded" : $"last state {last.State}";
        string error = _wait.LastError is null ? string.Empty : $" The last check failed: {_wait.LastError.Message}";
        if (queued)
        {
            error += " It was waiting for its turn to check: the batch's requests to this server were all in flight " +
                     "(MaxConcurrency; -ThrottleLimit in PowerShell).";
        }

        string message = $"Job {_job} at {uri} did not finish within {Guard.Format(_settings.MaxWait)}: {lastState} after " +
                         $"{Guard.Count(_wait.Attempts, "check")} in {Guard.Format(elapsed)}.{error}";
        return new TranslationTimeoutException(message, uri, last, _wait.Attempts, elapsed, _settings.MaxWait, _wait.LastError);
    }
}
