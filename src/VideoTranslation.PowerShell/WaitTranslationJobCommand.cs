using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Waits until video-translation jobs finish, and returns a result for each.</para>
/// </summary>
/// <remarks>
/// The waiting itself — strategy, deadline, retries, request limits, -Any, totals, callback order — is the core's
/// <see cref="TranslationBatch"/>. This cmdlet binds parameters, feeds each job to the batch as it arrives in
/// <see cref="ProcessRecord"/>, and moves outcomes, status changes, progress and log lines onto the pipeline thread.
/// </remarks>
[Cmdlet(VerbsLifecycle.Wait, "TranslationJob")]
[OutputType(typeof(TranslationWaitResult))]
[OutputType(typeof(TranslationWaitJob))]
public sealed partial class WaitTranslationJobCommand : TranslationClientCmdlet
{
    // The one progress activity of an invocation: the job's own while there is one job, else the batch's totals.
    private const int ActivityId = 1;

    private readonly Channel<TranslationJobTarget> _jobs = Channel.CreateUnbounded<TranslationJobTarget>(new UnboundedChannelOptions { SingleReader = true });
    private HistoryFile? _historyFile;
    private Task? _work;
    private TranslationBatchProgress _totals = new(0, 0, 0, 0);
    private int _progressQueued;
    private bool _inputEnded;
    private TranslationJobTarget? _firstJob;
    private string _lastOutcome = string.Empty;
    private TranslationWaitOptions? _options;
    private TranslationBatchOptions? _batch;

    /// <summary>The job ids; omit for the original single-job <c>GET /status</c>. Each is waited on as soon as it arrives.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)] // by value: plain ids (Get-Content ids.txt)
    [Alias("Id"), JobIdTransformation] // other objects bind by their JobId/Id property, never by ToString()
    [ValidateNotWhiteSpace] // before ValidateJobIds, so that a blank line of piped input gets its message, not the generic one
    [ValidateJobIds]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? JobId { get; set => field = JobIdTransformationAttribute.Normalize(value); }

    /// <summary>How checks are made: Auto (the default), LongPoll, Adaptive, Learned, Fixed or Exponential.</summary>
    [Parameter]
    [ValidateSet(
        nameof(PollingStrategyKind.Auto),
        nameof(PollingStrategyKind.LongPoll),
        nameof(PollingStrategyKind.Adaptive),
        nameof(PollingStrategyKind.Learned),
        nameof(PollingStrategyKind.Fixed),
        nameof(PollingStrategyKind.Exponential))]
    public string Strategy { get; set; } = nameof(PollingStrategyKind.Auto);

    /// <summary>
    /// Seconds between checks (Fixed), or the first delay of the exponential backoff (Exponential, and the fallback of the
    /// others). Default 1. Without -Interval, -MaxInterval, -BackoffFactor and -Jitter, the service's own polling is used
    /// (HeyGen: 30 s, then every 60 s).
    /// </summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double Interval { get; set; } = 1;

    /// <summary>The longest delay of the exponential backoff, in seconds (not with Fixed). Default 5.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double MaxInterval { get; set; } = 5;

    /// <summary>How much each delay of the exponential backoff grows over the one before (not with Fixed). Default 1.5.</summary>
    [Parameter]
    [ValidateRange(1.0, 100.0)]
    public double BackoffFactor { get; set; } = 1.5;

    /// <summary>The fraction by which each delay of the exponential backoff is randomly shortened, 0 to 1 (not with Fixed). Default 0.2.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The longest hold to ask a long-poll server for, in seconds (LongPoll and Auto only). Default 30.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double MaxHoldSec { get; set; } = LongPollStrategy.DefaultMaxHold.TotalSeconds;

    /// <summary>
    /// A file that keeps the learned job durations between runs (Learned and Auto only): read at the start (a missing
    /// file is an empty history), written at the end. Without it the durations live as long as the PowerShell process.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateNotWhiteSpace]
    public string? HistoryPath { get; set; }

    /// <summary>The most ordinary (not held) status requests in flight at once, per server. Default: the service's (64; HeyGen 10).</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int ThrottleLimit { get; set; } = TranslationBatchOptions.DefaultMaxConcurrency;

    /// <summary>
    /// The most long-poll checks held open at once, per server (each keeps a connection open for its hold); 0 never
    /// holds. Default 1024. When all are taken, a wait checks without a hold and polls by hints until one is free.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 100_000)]
    public int HoldLimit { get; set; } = TranslationBatchOptions.DefaultMaxHeldChecks;

    /// <summary>Returns at the first job whose wait ends, and stops the others.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>
    /// The most seconds to wait for each job; then a TranslationWaitTimedOut error. Default: the service's (600; HeyGen
    /// 3600); -1 waits without a deadline.
    /// </summary>
    [Parameter]
    [ValidateTimeoutSec]
    public double TimeoutSec { get; set; } = TranslationWaitOptions.DefaultMaxWait.TotalSeconds;

    /// <summary>
    /// Runs on every change of a job's state (first state included), in order, with the status as <c>$_</c> and first
    /// argument, in the caller's scope as ForEach-Object's script block runs: it reads and sets the caller's variables.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? OnStatusChange { get; set; }

    /// <summary>Returns a TranslationWaitJob at once, which waits in the background; Receive-Job gives its results and errors.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private PollingStrategyKind Kind => (PollingStrategyKind)Enum.Parse(typeof(PollingStrategyKind), Strategy, ignoreCase: true);

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        PollingStrategyKind kind = Kind;
        Strategy = kind.ToString(); // as the help spells it, in messages
        TranslationWaitOptions? options = null;
        try
        {
            CheckParametersFitTogether(kind);
            if (AsJob)
            {
                return; // the job's own command loads the history and waits; this one only collects the input
            }

            _historyFile = HistoryPath is null ? null : HistoryFile.Load(this, HistoryPath);
            options = new TranslationWaitOptions
            {
                OnStatusChangedAsync = OnStatusChange is null ? null : (status, _) => InvokeOnPipelineAsync(() => RunOnStatusChange(status)),
                OnProgress = OnJobProgress,
            };
            if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)))
            {
                // Only when given: otherwise the core applies the service's deadline (HeyGen's jobs run for many minutes).
                options.MaxWait = TimeoutSec == ValidateTimeoutSecAttribute.NoDeadline ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(TimeoutSec);
            }

            _ = PollingStrategy.Create(kind, StrategyOptions(TranslationService.Simulator)); // the bound values fit together
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ex, ErrorIds.InvalidWaitParameters, null));
        }

        _options = options;
        _batch = new TranslationBatchOptions
        {
            MaxHeldChecks = HoldLimit,
            OnProgress = totals =>
            {
                Volatile.Write(ref _totals, totals);
                QueueBatchProgress();
            },
        };
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
        {
            _batch.MaxConcurrency = ThrottleLimit; // else the service's limit (HeyGen: 10 jobs at a time)
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ClientForCurrentUri() is { } client)
        {
            if (AsJob)
            {
                CollectForJob(client.Service);
                return;
            }

            if (_work is null)
            {
                StartWaiting(client.Service);
            }

            foreach (string? jobId in JobId ?? new string?[] { null })
            {
                if (!CheckJobIdNeeded(client, jobId))
                {
                    continue;
                }

                var job = new TranslationJobTarget(client, jobId);
                if (_firstJob is null)
                {
                    _firstJob = job;
                    _clock.Start();
                }

                _jobs.Writer.TryWrite(job);
            }
        }

        // Results of jobs that have ended meanwhile go out now, while later jobs are still arriving.
        if (_work is not null)
        {
            PumpPending(_work);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (AsJob)
        {
            StartJob();
            return;
        }

        bool ended = false;
        try
        {
            _inputEnded = true;
            _jobs.Writer.TryComplete();
            if (_work is null)
            {
                StartWaiting(TranslationService.Simulator); // no job arrived: the batch ends at once
            }

            PumpUntil(_work!, onTick: RefreshProgress);
            ThrowIfStopping();
            if (_onStatusChangeStop is { } stop)
            {
                ThrowTerminatingError(stop); // -ErrorAction Stop inside -OnStatusChange; the waits have ended
            }

            _work!.GetAwaiter().GetResult(); // a failure that is not one job's (a stopping -OnStatusChange, a bug)
            if (_firstJob is not null)
            {
                string status = OneJob ? _lastOutcome : Volatile.Read(ref _totals).ToString();
                WriteProgress(new ProgressRecord(ActivityId, Activity(), status) { RecordType = ProgressRecordType.Completed });
            }

            ended = true;
        }
        finally
        {
            _historyFile?.Save(this, reportFailure: ended);
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        _jobs.Writer.TryComplete();
        base.StopProcessing();
    }

    private async Task RunAsync(TranslationWaitOptions options, TranslationBatchOptions batch)
    {
        IAsyncEnumerable<TranslationJobTarget> jobs = ArrivalsAsync();
        if (Any)
        {
            if (await TranslationBatch.WaitAnyAsync(jobs, options, batch, StopToken).ConfigureAwait(false) is { } first)
            {
                Post(() => Write(first));
            }

            return;
        }

        await foreach (TranslationJobOutcome outcome in TranslationBatch.WaitAllAsync(jobs, options, batch, StopToken).ConfigureAwait(false))
        {
            Post(() => Write(outcome));
        }
    }

    // The jobs ProcessRecord writes, until EndProcessing completes the channel (ChannelReader.ReadAllAsync is not in
    // the netstandard2.0 build of System.Threading.Channels).
    private async IAsyncEnumerable<TranslationJobTarget> ArrivalsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _jobs.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_jobs.Reader.TryRead(out TranslationJobTarget? job))
            {
                yield return job;
            }
        }
    }

    // On the pipeline thread: a finished job is its result (and an error if it failed); a wait that failed is its error.
    private void Write(TranslationJobOutcome outcome)
    {
        object target = (object?)outcome.JobId ?? UriRedaction.Redact(outcome.Target.Client.BaseUri);
        _lastOutcome = outcome.Result?.State.ToString() ?? "Failed";
        if (outcome.Result is { } result)
        {
            WriteObject(result);
            if (!result.Succeeded)
            {
                WriteError(ErrorFor(new TranslationJobFailedException(result), target, outcome.Target.Client));
            }
        }
        else
        {
            WriteError(ErrorFor(outcome.Error!, target, outcome.Target.Client));
        }
    }

    private void CheckParametersFitTogether(PollingStrategyKind kind)
    {
        if (kind == PollingStrategyKind.Fixed)
        {
            foreach (string exponentialOnly in new[] { nameof(MaxInterval), nameof(BackoffFactor), nameof(Jitter) })
            {
                if (MyInvocation.BoundParameters.ContainsKey(exponentialOnly))
                {
                    throw new ArgumentException($"-{exponentialOnly} applies to the exponential backoff, which -Strategy Fixed does not use; with -Strategy Fixed every delay is -Interval.");
                }
            }
        }
        else if (MaxInterval < Interval)
        {
            throw new ArgumentException(string.Format(
                CultureInfo.InvariantCulture,
                "-MaxInterval ({0} s) must be at least -Interval ({1} s): it caps the delays of the exponential backoff, which start at -Interval.",
                MaxInterval,
                Interval));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(HistoryPath)) && kind is not (PollingStrategyKind.Auto or PollingStrategyKind.Learned))
        {
            throw new ArgumentException($"-HistoryPath applies to -Strategy Learned and Auto, which learn job durations; -Strategy {kind} learns nothing.");
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxHoldSec)) && kind is not (PollingStrategyKind.Auto or PollingStrategyKind.LongPoll))
        {
            throw new ArgumentException($"-MaxHoldSec applies to -Strategy LongPoll and Auto; -Strategy {kind} never asks the server to hold a check.");
        }
    }

    private ProgressRecord JobProgress(TranslationWaitProgress p)
    {
        string state = p.LastStatus?.State.ToString() ?? "no answer yet";
        string failure = p.LastError is null ? string.Empty : $" (last check failed: {p.LastErrorReason}; retrying)";
        var record = new ProgressRecord(
            ActivityId,
            Activity(),
            string.Format(CultureInfo.InvariantCulture, "{0} after {1} {2}, {3:0.0} s{4}", state, p.Attempt, p.Attempt == 1 ? "check" : "checks", p.Elapsed.TotalSeconds, failure))
        {
            CurrentOperation = string.Format(CultureInfo.InvariantCulture, "next check in {0:0.0} s", p.NextCheckIn.TotalSeconds),
        };
        if (p.LastStatus?.Progress is double fraction)
        {
            record.PercentComplete = (int)Math.Round(fraction * 100);
        }

        if (p.LastStatus?.EstimatedTimeRemaining is TimeSpan eta)
        {
            record.SecondsRemaining = (int)Math.Ceiling(eta.TotalSeconds);
        }

        return record;
    }
}
