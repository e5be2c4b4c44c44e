using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob's progress: one job's own record, or the totals line of many, refreshed with time.</summary>
public sealed partial class WaitTranslationJobCommand
{
    // Elapsed time as the user sees it: from the first job's arrival, on one clock for every record of the invocation.
    private readonly Stopwatch _clock = new();
    private JobProgressSeen? _lastJobProgress;

    // Jobs stream in, so one job is known to be the only one only once the input has ended.
    private bool OneJob => _inputEnded && Volatile.Read(ref _totals).Total <= 1;

    // A job's own progress, shown when it is the only job of the invocation. Runs on the loop's thread.
    private void OnJobProgress(TranslationWaitProgress progress)
    {
        var seen = new JobProgressSeen(progress, _clock.Elapsed);
        Volatile.Write(ref _lastJobProgress, seen);
        Post(() =>
        {
            if (OneJob)
            {
                ShowProgress(JobProgress(seen.At(seen.ReceivedAt)));
            }
        });
    }

    // Many updates may arrive between two turns of the pipeline thread; one queued write shows the latest totals.
    private void QueueBatchProgress()
    {
        if (Interlocked.Exchange(ref _progressQueued, 1) == 0)
        {
            Post(() =>
            {
                Interlocked.Exchange(ref _progressQueued, 0);
                // One job so far: no totals line; it gets its own progress once the input has ended.
                TranslationBatchProgress totals = Volatile.Read(ref _totals);
                if (totals.Total > 1)
                {
                    ShowProgress(BatchProgress(totals));
                }
            });
        }
    }

    // On the pipeline thread, every tick of the pump: what the user sees changes with time even while no check ends (a
    // held check of up to 30 s sends no progress), and the console host, which draws a record only if the one before
    // is 200 ms old, gets the last of a burst again.
    private void RefreshProgress()
    {
        if (_firstJob is null)
        {
            return;
        }

        if (OneJob)
        {
            ShowProgress(RefreshedJobProgress());
        }
        else if (Volatile.Read(ref _totals) is { Total: > 1 } totals)
        {
            ShowProgress(BatchProgress(totals));
        }
    }

    private ProgressRecord RefreshedJobProgress()
    {
        TimeSpan now = _clock.Elapsed;
        if (Volatile.Read(ref _lastJobProgress) is not { } seen)
        {
            return new ProgressRecord(ActivityId, Activity(), string.Format(CultureInfo.InvariantCulture, "no answer yet, {0:0.0} s", now.TotalSeconds))
            {
                CurrentOperation = "first check: waiting for the server's answer",
            };
        }

        ProgressRecord record = JobProgress(seen.At(now));
        TimeSpan since = now - seen.ReceivedAt;
        if (seen.Progress.NextCheckIn <= since)
        {
            record.CurrentOperation = "checking: waiting for the server's answer";
        }

        if (seen.Progress.LastStatus?.EstimatedTimeRemaining is TimeSpan eta)
        {
            record.SecondsRemaining = (int)Math.Ceiling(Math.Max(0, (eta - since).TotalSeconds));
        }

        return record;
    }

    private ProgressRecord BatchProgress(TranslationBatchProgress totals) => new(ActivityId, Activity(), totals.ToString())
    {
        PercentComplete = (int)Math.Floor(totals.FractionDone * 100),
        CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0} running, {1:0.0} s", totals.Running, _clock.Elapsed.TotalSeconds),
    };

    // On the pipeline thread.
    private void ShowProgress(ProgressRecord? record)
    {
        if (record is not null)
        {
            WriteProgress(record);
        }
    }

    private string Activity()
    {
        int total = Volatile.Read(ref _totals).Total;
        if (OneJob)
        {
            return $"Waiting for translation job {_firstJob}";
        }

        return Any
            ? string.Format(CultureInfo.InvariantCulture, "Waiting for the first of {0} translation jobs", total)
            : string.Format(CultureInfo.InvariantCulture, "Waiting for {0} translation jobs", total);
    }

    // A progress report and when (on _clock) it came.
    private sealed class JobProgressSeen
    {
        public JobProgressSeen(TranslationWaitProgress progress, TimeSpan receivedAt)
        {
            Progress = progress;
            ReceivedAt = receivedAt;
        }

        public TranslationWaitProgress Progress { get; }

        public TimeSpan ReceivedAt { get; }

        // The report as it stands at `now`: elapsed time on the invocation's clock, the delay shortened by the time since.
        public TranslationWaitProgress At(TimeSpan now)
        {
            TimeSpan left = Progress.NextCheckIn - (now - ReceivedAt);
            return new TranslationWaitProgress(Progress.JobId, Progress.Attempt, now, Progress.LastStatus, Progress.LastError, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }
}
