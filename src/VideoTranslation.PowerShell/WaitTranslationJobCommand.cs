using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Waits until video-translation jobs finish, and returns a result for each.</para>
/// </summary>
/// <remarks>
/// The waiting itself (strategy, deadline, retries) is the core's <see cref="TranslationClient.WaitForCompletionAsync"/>;
/// this cmdlet only binds parameters, runs one wait per job concurrently, and moves the core's callbacks, progress
/// and log lines onto the pipeline thread.
/// </remarks>
[Cmdlet(VerbsLifecycle.Wait, "TranslationJob")]
[OutputType(typeof(TranslationWaitResult))]
public sealed class WaitTranslationJobCommand : TranslationClientCmdlet
{
    /// <summary>The name of -Strategy Fixed.</summary>
    public const string FixedStrategy = "Fixed";

    /// <summary>The name of -Strategy Exponential.</summary>
    public const string ExponentialStrategy = "Exponential";

    private readonly List<Task> _waits = new();
    private TranslationWaitOptions? _options;

    /// <summary>The job ids; omit for the original single-job <c>GET /status</c>. Several ids are waited on concurrently.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ValidateNotWhiteSpace]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? JobId { get; set; }

    /// <summary>How the delay between checks is chosen. Default Exponential.</summary>
    [Parameter]
    [ValidateSet(FixedStrategy, ExponentialStrategy)]
    public string Strategy { get; set; } = ExponentialStrategy;

    /// <summary>Seconds between checks (Fixed), or the first delay (Exponential). Default 1.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double Interval { get; set; } = 1;

    /// <summary>The longest delay between checks, in seconds (Exponential only). Default 5.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double MaxInterval { get; set; } = 5;

    /// <summary>How much each delay grows over the one before (Exponential only). Default 1.5.</summary>
    [Parameter]
    [ValidateRange(1.0, 100.0)]
    public double BackoffFactor { get; set; } = 1.5;

    /// <summary>The fraction by which each delay is randomly shortened, 0 to 1 (Exponential only). Default 0.2.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Jitter { get; set; } = 0.2;

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
        try
        {
            _options = new TranslationWaitOptions
            {
                Strategy = BuildStrategy(),
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
        TranslationClient? client = ClientForCurrentUri();
        if (client is not null)
        {
            foreach (string? jobId in JobId ?? new string?[] { null })
            {
                _waits.Add(WaitOneAsync(client, jobId, _waits.Count + 1));
            }
        }

        PumpPending();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        PumpUntil(Task.WhenAll(_waits));
        ThrowIfStopping();
    }

    private PollingStrategy BuildStrategy()
    {
        if (string.Equals(Strategy, FixedStrategy, StringComparison.OrdinalIgnoreCase))
        {
            foreach (string exponentialOnly in new[] { nameof(MaxInterval), nameof(BackoffFactor), nameof(Jitter) })
            {
                if (MyInvocation.BoundParameters.ContainsKey(exponentialOnly))
                {
                    throw new ArgumentException($"-{exponentialOnly} applies to -Strategy Exponential only; with -Strategy Fixed every delay is -Interval.");
                }
            }

            return new FixedInterval(TimeSpan.FromSeconds(Interval));
        }

        if (MaxInterval < Interval)
        {
            throw new ArgumentException(string.Format(
                CultureInfo.InvariantCulture,
                "-MaxInterval ({0} s) must be at least -Interval ({1} s): it caps delays that start at -Interval.",
                MaxInterval,
                Interval));
        }

        return new ExponentialBackoff(TimeSpan.FromSeconds(Interval), BackoffFactor, TimeSpan.FromSeconds(MaxInterval), Jitter);
    }

    private async Task WaitOneAsync(TranslationClient client, string? jobId, int activityId)
    {
        object target = (object?)jobId ?? VideoTranslation.Internal.UriRedaction.Redact(client.BaseUri);
        string label = jobId ?? VideoTranslation.Internal.UriRedaction.Redact(client.GetStatusUri()).ToString();
        var options = new TranslationWaitOptions
        {
            Strategy = _options!.Strategy,
            MaxWait = _options.MaxWait,
            OnProgress = p => Post(() => WriteProgress(Progress(activityId, label, p))),
            OnStatusChangedAsync = OnStatusChange is null ? null : (status, _) => InvokeOnPipelineAsync(() => RunOnStatusChange(status)),
        };
        try
        {
            TranslationWaitResult result = await client.WaitForCompletionAsync(jobId, options, StopToken).ConfigureAwait(false);
            Post(() =>
            {
                WriteProgress(new ProgressRecord(activityId, Activity(label), result.State.ToString()) { RecordType = ProgressRecordType.Completed });
                WriteObject(result);
                if (!result.Succeeded)
                {
                    WriteError(ErrorRecords.JobFailed(result, target));
                }
            });
        }
        catch (TranslationException ex)
        {
            Post(() =>
            {
                WriteProgress(new ProgressRecord(activityId, Activity(label), "Failed") { RecordType = ProgressRecordType.Completed });
                WriteError(ErrorRecords.From(ex, target));
            });
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C or a failing pipeline: the pipeline is already on its way out.
        }
        catch (Exception ex)
        {
            // Anything else (this command's own -ErrorAction Stop turning OnStatusChangeFailed into a stop, a bug)
            // ends the whole command on the pipeline thread.
            var captured = ExceptionDispatchInfo.Capture(ex);
            Post(captured.Throw);
        }
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

    private static string Activity(string label) => $"Waiting for translation job {label}";

    private static ProgressRecord Progress(int activityId, string label, TranslationWaitProgress p)
    {
        string state = p.LastStatus?.State.ToString() ?? "no answer yet";
        string failure = p.LastError is null ? string.Empty : " (last check failed, retrying)";
        var record = new ProgressRecord(
            activityId,
            Activity(label),
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
}
