using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;

namespace VideoTranslation.PowerShell;

/// <summary>
/// The job <c>Wait-TranslationJob -AsJob</c> returns: the same command, without -AsJob, run in a runspace of its own on
/// a thread of its own, its output and streams going to the job's, so that Receive-Job gives the results and errors the
/// command would have written. Get-Job, Wait-Job, Receive-Job, Stop-Job and Remove-Job handle it as any job.
/// </summary>
/// <remarks>
/// Its state follows Start-ThreadJob's: Completed when the command ran to its end (even if some translation jobs failed
/// or timed out: those are errors in the job's error stream), Failed when the command stopped with a terminating error,
/// Stopped after Stop-Job. Stop-Job stops the command as Ctrl+C would: its requests are cancelled, no check follows.
/// </remarks>
public sealed class TranslationWaitJob : Job
{
    /// <summary>The job's <see cref="Job.PSJobTypeName"/>, for <c>Get-Job | Where-Object PSJobTypeName -EQ TranslationWaitJob</c>.</summary>
    public const string TypeName = nameof(TranslationWaitJob);

    private readonly object _gate = new();
    private readonly string _modulePath;
    private readonly Dictionary<string, object?> _parameters;
    private readonly PSDataCollection<PSObject> _input = new();
    private readonly ManualResetEventSlim _ended = new(false);
    private System.Management.Automation.PowerShell? _command;
    private bool _stopRequested;
    private int _finished;

    internal TranslationWaitJob(string command, string location, string modulePath, Dictionary<string, object?> parameters, IEnumerable<PSObject> input)
        : base(command)
    {
        PSJobTypeName = TypeName;
        Location = location;
        _modulePath = modulePath;
        _parameters = parameters;
        foreach (PSObject record in input)
        {
            _input.Add(record);
        }

        _input.Complete();
    }

    /// <summary>The server addresses the job waits on (without user info or query values).</summary>
    public override string Location { get; }

    /// <summary>Empty: the job's state and its streams say where it stands.</summary>
    public override string StatusMessage => string.Empty;

    /// <summary>Whether any stream holds records that Receive-Job has not read yet.</summary>
    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Debug.Count > 0 || Progress.Count > 0 || Information.Count > 0;

    /// <summary>Stops the wait at once (as Ctrl+C stops the command) and returns once the job is Stopped.</summary>
    public override void StopJob()
    {
        System.Management.Automation.PowerShell? command;
        lock (_gate)
        {
            _stopRequested = true;
            command = _command;
        }

        if (command is null)
        {
            Finish(JobState.Stopped); // not started yet: its thread sees the request and runs nothing
            return;
        }

        try
        {
            command.Stop(); // returns once the cmdlet has cancelled its waits
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }
        catch (NullReferenceException)
        {
            // PowerShell 7.6's Stop loses the race with a command that stops as fast as this one does (it is Stopped
            // before Stop returns): the stop has happened, so wait for the job's thread to record it.
        }

        _ended.Wait();
    }

    /// <summary>Starts the command on a thread of its own.</summary>
    internal void Start()
    {
        SetJobState(JobState.Running);
        new Thread(Run) { IsBackground = true, Name = "TranslationWaitJob " + Id }.Start();
    }

    /// <summary>Stops the job if it runs, and releases its runspace.</summary>
    /// <param name="disposing">Called from Dispose().</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsFinishedState(JobStateInfo.State))
        {
            StopJob();
        }

        base.Dispose(disposing);
    }

    private static bool IsFinishedState(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    // A thread per job opens its runspace and waits for the command (which runs on a pipeline thread of its own); one
    // job for many ids is cheaper than a job per id.
    private void Run()
    {
        Runspace? runspace = null;
        System.Management.Automation.PowerShell? command = null;
        try
        {
            InitialSessionState session = InitialSessionState.CreateDefault2();
            session.ImportPSModule(new[] { _modulePath });
            runspace = RunspaceFactory.CreateRunspace(session);
            runspace.Open();
            command = System.Management.Automation.PowerShell.Create();
            command.Runspace = runspace;
            command.AddCommand("VideoTranslation\\Wait-TranslationJob").AddParameters(_parameters);
            command.Streams.Error = Error;
            command.Streams.Warning = Warning;
            command.Streams.Verbose = Verbose;
            command.Streams.Debug = Debug;
            command.Streams.Progress = Progress;
            command.Streams.Information = Information;
            lock (_gate)
            {
                if (_stopRequested)
                {
                    return;
                }

                _command = command;
            }

            command.Invoke(_input, Output);
            Finish(_stopRequested ? JobState.Stopped : JobState.Completed);
        }
        catch (PipelineStoppedException)
        {
            Finish(JobState.Stopped);
        }
        catch (Exception) when (_stopRequested)
        {
            Finish(JobState.Stopped); // a stop tears the command down; its exception is not a failure
        }
        catch (RuntimeException ex)
        {
            Error.Add(ex.ErrorRecord);
            Finish(JobState.Failed);
        }
        catch (Exception ex)
        {
            Error.Add(new ErrorRecord(ex, ErrorIds.TranslationWaitJobFailed, ErrorCategory.OperationStopped, null));
            Finish(JobState.Failed);
        }
        finally
        {
            lock (_gate)
            {
                _command = null;
            }

            command?.Dispose();
            runspace?.Dispose();
            Finish(JobState.Stopped); // a stop before the command started: nothing ran
            _ended.Set();
        }
    }

    // The reason of a Failed job is in its error stream (SetJobState with a reason is not public in PowerShell 5.1).
    private void Finish(JobState state)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            SetJobState(state);
        }
    }
}
