using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Waits until video-translation jobs finish, and returns a result for each.</para>
/// </summary>
/// <remarks>
/// The waiting itself (strategy, deadline, retries, the concurrency bound, -Any, learning durations) is the core's
/// <see cref="TranslationClient.WaitForAllAsync"/>, <see cref="TranslationClient.WaitForAnyAsync"/> and
/// <see cref="TranslationClient.WaitForCompletionAsync"/>; this cmdlet only binds parameters, collects the job ids of
/// the whole pipeline, runs one batch per server in <see cref="EndProcessing"/>, and moves the core's callbacks,
/// progress and log lines onto the pipeline thread.
/// </remarks>
[Cmdlet(VerbsLifecycle.Wait, "TranslationJob")]
[OutputType(typeof(TranslationWaitResult))]
public sealed class WaitTranslationJobCommand : TranslationClientCmdlet
{
    /// <summary>The name of -Strategy Auto (the default).</summary>
    public const string AutoStrategy = "Auto";

    /// <summary>The name of -Strategy LongPoll.</summary>
    public const string LongPollStrategyName = "LongPoll";

    /// <summary>The name of -Strategy Adaptive.</summary>
    public const string AdaptiveStrategyName = "Adaptive";

    /// <summary>The name of -Strategy Learned.</summary>
    public const string LearnedStrategyName = "Learned";

    /// <summary>The name of -Strategy Fixed.</summary>
    public const string FixedStrategy = "Fixed";

    /// <summary>The name of -Strategy Exponential.</summary>
    public const string ExponentialStrategy = "Exponential";

    // The one progress activity of an invocation: the job's own, or the batch's.
    private const int ActivityId = 1;

    private static readonly string[] s_strategies =
        { AutoStrategy, LongPollStrategyName, AdaptiveStrategyName, LearnedStrategyName, FixedStrategy, ExponentialStrategy };

    private readonly List<JobGroup> _groups = new();
    private TranslationWaitOptions? _options;
    private DurationHistory? _history;
    private string? _historyFile;
    private bool _historySaved;
    private BatchTally? _tally;
    private int _progressQueued;
    private int _anyClaimed;

    /// <summary>The job ids; omit for the original single-job <c>GET /status</c>. All ids of the pipeline are waited on at once.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ValidateNotWhiteSpace]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? JobId { get; set; }

    /// <summary>How checks are made: Auto (the default), LongPoll, Adaptive, Learned, Fixed or Exponential.</summary>
    [Parameter]
    [ValidateSet(AutoStrategy, LongPollStrategyName, AdaptiveStrategyName, LearnedStrategyName, FixedStrategy, ExponentialStrategy)]
    public string Strategy { get; set; } = AutoStrategy;

    /// <summary>Seconds between checks (Fixed), or the first delay of the exponential backoff (Exponential, and the fallback of the others). Default 1.</summary>
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

    /// <summary>The most status requests in flight at once, per server. Default 64.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int ThrottleLimit { get; set; } = TranslationBatchOptions.DefaultMaxConcurrency;

    /// <summary>Returns at the first job whose wait ends, and stops the others.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>The most seconds to wait for each job; then a TranslationWaitTimedOut error. Default 600.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double TimeoutSec { get; set; } = TranslationWaitOptions.DefaultMaxWait.TotalSeconds;

    /// <summary>Runs on every change of a job's state (first state included), in order, with the status as <c>$_</c> and first argument.</summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? OnStatusChange { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();

        // ValidateSet ignores case; the rest of the command (and its messages) use the name as the help spells it.
        Strategy = s_strategies.First(s => string.Equals(s, Strategy, StringComparison.OrdinalIgnoreCase));
        try
        {
            CheckParametersFitTogether();
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ex, ErrorIds.InvalidWaitParameters, null));
        }

        DurationHistory history = LoadHistory();
        try
        {
            _options = new TranslationWaitOptions
            {
                Strategy = BuildStrategy(history),
                MaxWait = TimeSpan.FromSeconds(TimeoutSec),
            };
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(ex, ErrorIds.InvalidWaitParameters, null));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // Nothing is waited on yet: the core's batch needs every id of the pipeline, so the waits start in EndProcessing.
        TranslationClient? client = ClientForCurrentUri();
        if (client is null)
        {
            return;
        }

        JobGroup? group = _groups.Find(g => ReferenceEquals(g.Client, client));
        if (group is null)
        {
            group = new JobGroup(client, _groups.Count);
            _groups.Add(group);
        }

        if (JobId is null)
        {
            group.SingleEndpointWaits++;
        }
        else
        {
            group.Ids.AddRange(JobId);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        bool ended = false;
        try
        {
            int total = _groups.Sum(g => g.Ids.Count + g.SingleEndpointWaits);
            if (total > 0)
            {
                Task work = RunAsync(total);
                PumpUntil(work);
                ThrowIfStopping();
                work.GetAwaiter().GetResult(); // a failure that is not one job's (a stopping -OnStatusChange, a bug)
                if (_tally is not null)
                {
                    WriteProgress(new ProgressRecord(ActivityId, BatchActivity(_tally.Total), _tally.Snapshot().ToString()) { RecordType = ProgressRecordType.Completed });
                }
            }

            ended = true;
        }
        finally
        {
            // Also after Ctrl+C and -ErrorAction Stop: durations learned before the stop are kept.
            SaveHistory(reportFailure: ended);
        }
    }

    private void CheckParametersFitTogether()
    {
        if (Strategy == FixedStrategy)
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

        if (MyInvocation.BoundParameters.ContainsKey(nameof(HistoryPath)) && Strategy is not (AutoStrategy or LearnedStrategyName))
        {
            throw new ArgumentException($"-HistoryPath applies to -Strategy Learned and Auto, which learn job durations; -Strategy {Strategy} learns nothing.");
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxHoldSec)) && Strategy is not (AutoStrategy or LongPollStrategyName))
        {
            throw new ArgumentException($"-MaxHoldSec applies to -Strategy LongPoll and Auto; -Strategy {Strategy} never asks the server to hold a check.");
        }
    }

    // -Interval, -MaxInterval, -BackoffFactor and -Jitter shape the exponential backoff: the strategy itself with
    // Exponential, the last fallback of the others (their defaults are ExponentialBackoff.Default's values).
    private PollingStrategy BuildStrategy(DurationHistory history)
    {
        if (Strategy == FixedStrategy)
        {
            return new FixedInterval(TimeSpan.FromSeconds(Interval));
        }

        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(Interval), BackoffFactor, TimeSpan.FromSeconds(MaxInterval), Jitter);
        TimeSpan maxHold = TimeSpan.FromSeconds(MaxHoldSec);
        return Strategy switch
        {
            ExponentialStrategy => backoff,
            AdaptiveStrategyName => new AdaptiveStrategy(fallback: backoff),
            LearnedStrategyName => new LearnedStrategy(history, fallback: new AdaptiveStrategy(fallback: backoff)),
            LongPollStrategyName => new LongPollStrategy(maxHold, fallback: new AdaptiveStrategy(fallback: backoff)),

            // Long-poll, else hints, else learned, else exponential: the core's order, with this command's hold and backoff.
            _ => PollingStrategy.Auto(history, maxHold, backoff),
        };
    }

    private DurationHistory LoadHistory()
    {
        if (HistoryPath is null)
        {
            return DurationHistory.Shared;
        }

        string path = ResolveHistoryPath(HistoryPath);
        if (Directory.Exists(path))
        {
            ThrowHistoryError(new IOException($"-HistoryPath '{path}' is a folder; name a file in it, like {Path.Combine(path, "durations.json")}."), ErrorCategory.InvalidArgument, path);
        }

        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            ThrowHistoryError(new DirectoryNotFoundException($"The folder of -HistoryPath '{path}' does not exist; create it, or name a file in an existing folder."), ErrorCategory.ObjectNotFound, path);
        }

        try
        {
            _history = DurationHistory.Load(path);
        }
        catch (InvalidDataException ex)
        {
            // The message names the file and what is wrong with it; the file is left as it is.
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidDurationHistory, ErrorCategory.InvalidData, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowHistoryError(new IOException($"The duration history '{path}' cannot be read: {ex.Message}", ex), ErrorCategory.ReadError, path);
        }

        _historyFile = path;
        WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Read the duration history '{0}'.", path));
        return _history!;
    }

    private string ResolveHistoryPath(string historyPath)
    {
        string path = string.Empty;
        try
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(historyPath, out ProviderInfo provider, out _);
            if (provider.Name != "FileSystem")
            {
                ThrowHistoryError(new ArgumentException($"-HistoryPath '{historyPath}' is on the {provider.Name} drive; it must name a file on a file-system drive."), ErrorCategory.InvalidArgument, historyPath);
            }
        }
        catch (Exception ex) when (ex is SessionStateException or NotSupportedException or ArgumentException)
        {
            ThrowHistoryError(new ArgumentException($"-HistoryPath '{historyPath}' is not a usable file path: {ex.Message}", ex), ErrorCategory.InvalidArgument, historyPath);
        }

        return path;
    }

    private void ThrowHistoryError(Exception exception, ErrorCategory category, string target) =>
        ThrowTerminatingError(new ErrorRecord(exception, ErrorIds.DurationHistoryInaccessible, category, target));

    private void SaveHistory(bool reportFailure)
    {
        if (_history is null || _historyFile is null || _historySaved)
        {
            return;
        }

        _historySaved = true;
        try
        {
            _history.Save(_historyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // After a stop or a terminating error nothing more can be written to the pipeline.
            if (reportFailure)
            {
                WriteError(new ErrorRecord(
                    new IOException($"The duration history '{_historyFile}' cannot be written: {ex.Message}", ex),
                    ErrorIds.DurationHistoryInaccessible,
                    ErrorCategory.WriteError,
                    _historyFile));
            }
        }
    }

    // Every wait of the invocation: one core batch per server for the ids, one core wait per single-job endpoint.
    // Returns once every wait has stopped.
    private async Task RunAsync(int total)
    {
        bool oneJob = total == 1;
        _tally = oneJob ? null : new BatchTally(total, _groups.Count);
        // Cancelled by Ctrl+C, by a failure that ends the command, and with -Any by the first wait to end. Every
        // Cancel() happens inside one of the waits below, so none comes after the dispose.
        using var all = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var options = new TranslationWaitOptions
        {
            Strategy = _options!.Strategy,
            MaxWait = _options.MaxWait,
            OnStatusChangedAsync = OnStatusChange is null ? null : (status, _) => InvokeOnPipelineAsync(() => RunOnStatusChange(status)),
        };
        if (oneJob)
        {
            JobGroup group = _groups.First(g => g.Ids.Count + g.SingleEndpointWaits > 0);
            string label = group.Ids.Count > 0 ? group.Ids[0] : UriRedaction.Redact(group.Client.GetStatusUri()).ToString();
            options.OnProgress = p => Post(() => WriteProgress(JobProgress(label, p)));
        }
        else
        {
            QueueProgress();
        }

        var waits = new List<Task>();
        foreach (JobGroup group in _groups)
        {
            if (group.Ids.Count > 0)
            {
                waits.Add(WaitForIdsAsync(group, options, all));
            }

            for (int i = 0; i < group.SingleEndpointWaits; i++)
            {
                waits.Add(WaitForSingleEndpointAsync(group.Client, options, all));
            }
        }

        await Task.WhenAll(waits).ConfigureAwait(false);
    }

    private async Task WaitForIdsAsync(JobGroup group, TranslationWaitOptions options, CancellationTokenSource all)
    {
        var batch = new TranslationBatchOptions
        {
            MaxConcurrency = ThrottleLimit,
            OnJobFinished = outcome => Finish(group.Client, outcome.JobId, outcome.Result, outcome.Error),
            OnProgress = _tally is null ? null : progress =>
            {
                _tally.SetGroup(group.Index, progress);
                QueueProgress();
            },
        };
        try
        {
            if (Any)
            {
                await group.Client.WaitForAnyAsync(group.Ids, options, batch, all.Token).ConfigureAwait(false);
            }
            else
            {
                await group.Client.WaitForAllAsync(group.Ids, options, batch, all.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (all.IsCancellationRequested)
        {
            return; // Ctrl+C, a failing pipeline, or -Any: another server's job ended first
        }
        catch
        {
            all.Cancel(); // the other servers' waits stop too before the failure reaches the pipeline
            throw;
        }

        if (Any)
        {
            all.Cancel();
        }
    }

    private async Task WaitForSingleEndpointAsync(TranslationClient client, TranslationWaitOptions options, CancellationTokenSource all)
    {
        TranslationWaitResult? result = null;
        TranslationException? error = null;
        try
        {
            result = await client.WaitForCompletionAsync(null, options, all.Token).ConfigureAwait(false);
        }
        catch (TranslationException ex)
        {
            error = ex;
        }
        catch (OperationCanceledException) when (all.IsCancellationRequested)
        {
            return;
        }
        catch
        {
            all.Cancel();
            throw;
        }

        _tally?.AddSingle(result, error);
        Finish(client, null, result, error);
        if (_tally is not null)
        {
            QueueProgress();
        }

        if (Any)
        {
            all.Cancel();
        }
    }

    // One job's wait has ended: its result and/or error go to the pipeline thread. With -Any, only the first.
    private void Finish(TranslationClient client, string? jobId, TranslationWaitResult? result, TranslationException? error)
    {
        if (Any && Interlocked.Exchange(ref _anyClaimed, 1) != 0)
        {
            return;
        }

        object target = (object?)jobId ?? UriRedaction.Redact(client.BaseUri);
        string label = jobId ?? UriRedaction.Redact(client.GetStatusUri()).ToString();
        bool oneJob = _tally is null;
        Post(() =>
        {
            if (oneJob)
            {
                WriteProgress(new ProgressRecord(ActivityId, JobActivity(label), result?.State.ToString() ?? "Failed") { RecordType = ProgressRecordType.Completed });
            }

            if (result is not null)
            {
                WriteObject(result);
                if (!result.Succeeded)
                {
                    WriteError(ErrorRecords.JobFailed(result, target));
                }
            }
            else
            {
                WriteError(ErrorFor(error!, target));
            }
        });
    }

    // Many updates may arrive between two turns of the pipeline thread; one queued write shows the latest totals.
    private void QueueProgress()
    {
        if (Interlocked.Exchange(ref _progressQueued, 1) == 0)
        {
            Post(WriteBatchProgress);
        }
    }

    private void WriteBatchProgress()
    {
        Interlocked.Exchange(ref _progressQueued, 0);
        TranslationBatchProgress totals = _tally!.Snapshot();
        WriteProgress(new ProgressRecord(ActivityId, BatchActivity(totals.Total), totals.ToString())
        {
            PercentComplete = (int)Math.Floor(totals.FractionDone * 100),
            CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0} running", totals.Running),
        });
    }

    private bool RunOnStatusChange(TranslationStatus status)
    {
        try
        {
            // Its output is not the command's output (that is the result objects); use Write-Host to show things.
            OnStatusChange!.InvokeWithContext(null, new List<PSVariable> { new("_", status) }, status);
        }
        catch (RuntimeException ex)
        {
            // The category of the block's own error (for a -ErrorAction Stop inside it, the error it stopped on).
            ErrorCategory category = ex.ErrorRecord?.CategoryInfo.Category ?? ErrorCategory.OperationStopped;
            WriteError(new ErrorRecord(ex, ErrorIds.OnStatusChangeFailed, category == ErrorCategory.NotSpecified ? ErrorCategory.OperationStopped : category, status)
            {
                ErrorDetails = new ErrorDetails($"-OnStatusChange failed for job {status.JobId ?? "(single job)"} ({status.State}): {ex.Message}"),
            });
        }

        return true;
    }

    private string BatchActivity(int total) => Any
        ? string.Format(CultureInfo.InvariantCulture, "Waiting for the first of {0} translation jobs", total)
        : string.Format(CultureInfo.InvariantCulture, "Waiting for {0} translation jobs", total);

    private static string JobActivity(string label) => $"Waiting for translation job {label}";

    private static ProgressRecord JobProgress(string label, TranslationWaitProgress p)
    {
        string state = p.LastStatus?.State.ToString() ?? "no answer yet";
        string failure = p.LastError is null ? string.Empty : " (last check failed, retrying)";
        var record = new ProgressRecord(
            ActivityId,
            JobActivity(label),
            string.Format(CultureInfo.InvariantCulture, "{0} after {1} checks, {2:0.0} s{3}", state, p.Attempt, p.Elapsed.TotalSeconds, failure))
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

    /// <summary>The jobs of one server: ids for the core's batch, and how many waits on its single-job endpoint.</summary>
    private sealed class JobGroup
    {
        public JobGroup(TranslationClient client, int index)
        {
            Client = client;
            Index = index;
        }

        public TranslationClient Client { get; }

        public int Index { get; }

        public List<string> Ids { get; } = new();

        public int SingleEndpointWaits { get; set; }
    }

    /// <summary>The totals of every batch of the invocation (each from its OnProgress) and of the single-endpoint waits.</summary>
    private sealed class BatchTally
    {
        private readonly object _lock = new();
        private readonly TranslationBatchProgress?[] _groups;
        private int _completed;
        private int _failed;
        private int _errored;

        public BatchTally(int total, int groups)
        {
            Total = total;
            _groups = new TranslationBatchProgress?[groups];
        }

        public int Total { get; }

        public void SetGroup(int index, TranslationBatchProgress progress)
        {
            lock (_lock)
            {
                _groups[index] = progress;
            }
        }

        public void AddSingle(TranslationWaitResult? result, TranslationException? error)
        {
            lock (_lock)
            {
                if (error is not null)
                {
                    _errored++;
                }
                else if (result!.Succeeded)
                {
                    _completed++;
                }
                else
                {
                    _failed++;
                }
            }
        }

        public TranslationBatchProgress Snapshot()
        {
            lock (_lock)
            {
                int completed = _completed, failed = _failed, errored = _errored;
                foreach (TranslationBatchProgress? group in _groups)
                {
                    completed += group?.Completed ?? 0;
                    failed += group?.Failed ?? 0;
                    errored += group?.Errored ?? 0;
                }

                return new TranslationBatchProgress(Total, completed, failed, errored);
            }
        }
    }
}
