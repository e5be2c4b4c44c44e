using System;
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
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CheckBudget? _budget;
    private readonly WaitState _wait = new();
    private long _start;

    public WaitLoop(ServerConnection server, string? jobId, WaitSettings settings, TranslationClientOptions options, ILogger logger, CheckBudget? budget)
    {
        _server = server;
        _jobId = jobId;
        _job = jobId ?? SingleJobLabel;
        _settings = settings;
        _minimumPollInterval = options.MinimumPollInterval;
        _time = options.TimeProvider;
        _logger = logger;
        _budget = budget;
    }

    private TimeSpan Elapsed => _time.GetElapsedTime(_start);

    private TimeSpan? TimeLeft => _settings.HasDeadline ? _settings.MaxWait - Elapsed : null;

    public async Task<TranslationWaitResult> RunAsync(CancellationToken cancellationToken)
    {
        _start = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TranslationStatus? status = await CheckAsync(cancellationToken).ConfigureAwait(false);
            if (status is not null && await ObserveAsync(status, cancellationToken).ConfigureAwait(false) is { } result)
            {
                return result;
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

    // One check: the answer, or null after a transient failure; a permanent failure ends the wait.
    private async Task<TranslationStatus?> CheckAsync(CancellationToken cancellationToken)
    {
        TimeSpan wanted = _settings.Strategy.GetLongPollWait(_wait.ToContext(Elapsed, _server.SafeBaseUri));

        // A batch's holds go out in groups when the server offers that (never the single-job GET /status).
        GroupHolds? groups = _budget?.Groups;
        if (groups is not null && _jobId is not null && wanted > TimeSpan.Zero && groups.IsOffered &&
            DelayPolicy.Hold(wanted, TimeLeft) is { TotalMilliseconds: >= 1 } groupHold)
        {
            GroupCheck check = await groups.CheckAsync(_jobId, groupHold, cancellationToken).ConfigureAwait(false);
            switch (check.Kind)
            {
                case GroupCheckKind.Answered:
                    _wait.CheckStarted(check.Started);
                    return Answered(check.Status!);
                case GroupCheckKind.Failed:
                    _wait.CheckStarted(check.Started);
                    return Failed(check.Error!) ? null : throw check.Error!;
                case GroupCheckKind.NoHold:
                    wanted = TimeSpan.Zero; // every hold taken: unheld, as a check that finds no hold free
                    break;
            }
        }

        // The hold is clipped once the slot is taken: a check that queued went out later than it was planned.
        using CheckBudget.Lease lease = _budget is null
            ? CheckBudget.Lease.Unlimited
            : await _budget.EnterAsync(wanted > TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        TimeSpan hold = DelayPolicy.Hold(lease.MayHold ? wanted : TimeSpan.Zero, TimeLeft);
        _wait.CheckStarted(_time.GetTimestamp());
        try
        {
            return Answered(await _server.CheckAsync(_jobId, hold, cancellationToken).ConfigureAwait(false));
        }
        catch (TranslationException ex) when (Failed(ex))
        {
            return null;
        }
    }

    private TranslationStatus Answered(TranslationStatus status)
    {
        _wait.Answered(status, Elapsed, _time.GetElapsedTime(_wait.LastCheckStarted));
        Log.StatusChecked(_logger, _wait.Attempts, _job, status.RequestUri, status.State);
        return status;
    }

    // Records a failed check: true when it is transient (the wait goes on); a permanent one is logged and ends the wait.
    private bool Failed(TranslationException error)
    {
        if (error.IsTransient)
        {
            _wait.Failed(error, _time.GetElapsedTime(_wait.LastCheckStarted));
            return true;
        }

        Log.PermanentFailure(_logger, _wait.Attempts, _job, error.Message);
        return false;
    }

    // Reports a change of state; returns the result when the job has finished.
    private async Task<TranslationWaitResult?> ObserveAsync(TranslationStatus status, CancellationToken cancellationToken)
    {
        if (_wait.LastAnswerChangedState)
        {
            TranslationStatus? before = _wait.Previous;
            Log.StateChanged(_logger, _job, status.State, before is null ? "none" : Name(before.State), _wait.LastAnswerElapsed);
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
        _settings.Strategy.OnWaitCompleted(_wait.ToContext(elapsed, _server.SafeBaseUri));
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
            _settings.Strategy.GetNextDelay(_wait.ToContext(elapsed, _server.SafeBaseUri)),
            _minimumPollInterval,
            _time.GetElapsedTime(_wait.LastCheckStarted),
            error is null ? null : _settings.RetryBackoff.GetDelay(_wait.ConsecutiveFailures),
            (error as TranslationHttpException)?.RetryAfter,
            _settings.HasDeadline ? _settings.MaxWait - elapsed : null);

        if (error is not null)
        {
            Log.RetryingAfterFailure(_logger, _wait.Attempts, _job, error.Message, _wait.ConsecutiveFailures, delay);
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

    private TranslationTimeoutException TimedOut(TimeSpan elapsed)
    {
        Uri uri = UriRedaction.Redact(_server.GetStatusUri(_jobId));
        TranslationStatus? last = _wait.Last;
        string lastState = last is null ? "no check succeeded" : $"last state {last.State}";
        string error = _wait.LastError is null ? string.Empty : $" The last check failed: {_wait.LastError.Message}";
        string message = $"Job {_job} at {uri} did not finish within {Guard.Format(_settings.MaxWait)}: {lastState} after " +
                         $"{Guard.Count(_wait.Attempts, "check")} in {Guard.Format(elapsed)}.{error}";
        return new TranslationTimeoutException(message, uri, last, _wait.Attempts, elapsed, _settings.MaxWait, _wait.LastError);
    }
}
