using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>
/// A cmdlet whose work runs asynchronously on the thread pool while everything PowerShell allows only on the
/// pipeline thread (WriteObject, WriteError, WriteProgress, WriteVerbose, invoking a script block) is queued and
/// run there by <see cref="PumpUntil"/>. Ctrl+C (<see cref="StopProcessing"/>) cancels <see cref="StopToken"/>.
/// </summary>
/// <remarks>
/// Hand-written: no package on this machine provides the pattern (it follows OpenAuthenticode's AsyncPSCmdlet).
/// </remarks>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    /// <summary>
    /// How often <see cref="PumpUntil"/> runs its tick action: twice a second, so that what it refreshes (a progress
    /// record) changes at least once a second even with a timer's slack.
    /// </summary>
    protected static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(500);

    private readonly BlockingCollection<Action> _pipelineWork = new();
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C, the pipeline stops, or the cmdlet fails.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Queues <paramref name="action"/> to run on the pipeline thread. Safe from any thread.</summary>
    /// <param name="action">What to run.</param>
    protected void Post(Action action)
    {
        try
        {
            _pipelineWork.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The cmdlet has ended; there is no pipeline left to write to.
        }
    }

    /// <summary>Runs <paramref name="func"/> on the pipeline thread and completes with its result or exception.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="func">What to run.</param>
    /// <returns>A task that completes once the pipeline thread has run it.</returns>
    protected Task<T> InvokeOnPipelineAsync<T>(Func<T> func)
    {
        // Asynchronous continuations: the awaiting core code must not run on (and hold up) the pipeline thread.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationTokenRegistration onStop = StopToken.Register(() => done.TrySetCanceled());
        done.Task.ContinueWith(_ => onStop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Post(() =>
        {
            if (done.Task.IsCompleted)
            {
                return; // stopped before its turn came: run no user code on a stopping pipeline
            }

            try
            {
                done.TrySetResult(func());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });

        return done.Task;
    }

    /// <summary>
    /// Runs queued pipeline work on this (the pipeline) thread until <paramref name="work"/> has finished and the
    /// queue is empty, then returns. If queued work throws (a stopped pipeline, <c>-ErrorAction Stop</c>), the
    /// asynchronous work is cancelled and awaited before the exception continues, so nothing keeps running.
    /// </summary>
    /// <param name="work">The asynchronous work to wait for.</param>
    /// <param name="onTick">
    /// Run on this thread every <see cref="TickInterval"/> (the first after one interval) while the work runs, whether
    /// or not queued work keeps coming: what must change with time alone, such as elapsed time, even while the work is
    /// waiting on a held request.
    /// </param>
    protected void PumpUntil(Task work, Action? onTick = null)
    {
        // Wake the pump when the work ends, even if it queued nothing.
        work.ContinueWith(_ => Post(static () => { }), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        TimeSpan nextTick = TickInterval;
        try
        {
            while (!(work.IsCompleted && _pipelineWork.Count == 0))
            {
                int wait = onTick is null ? Timeout.Infinite : (int)Math.Ceiling(Math.Max(0, (nextTick - clock.Elapsed).TotalMilliseconds));
                if (_pipelineWork.TryTake(out Action? action, wait))
                {
                    action();
                }

                if (onTick is not null && clock.Elapsed >= nextTick)
                {
                    onTick();
                    nextTick = clock.Elapsed + TickInterval;
                }
            }
        }
        catch
        {
            _stopping.Cancel();
            WaitQuietly(work);
            throw;
        }
    }

    /// <summary>
    /// Runs whatever pipeline work is queued now, without waiting for more. If queued work throws (a downstream
    /// <c>Select-Object -First</c> has what it wants, <c>-ErrorAction Stop</c>), <paramref name="work"/> is cancelled and
    /// awaited before the exception continues, as in <see cref="PumpUntil"/>.
    /// </summary>
    /// <param name="work">The asynchronous work the queued actions come from.</param>
    protected void PumpPending(Task work)
    {
        try
        {
            while (_pipelineWork.TryTake(out Action? action))
            {
                action();
            }
        }
        catch
        {
            _stopping.Cancel();
            WaitQuietly(work);
            throw;
        }
    }

    /// <summary>Throws <see cref="PipelineStoppedException"/> if the pipeline is being stopped.</summary>
    protected void ThrowIfStopping()
    {
        if (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Cancels outstanding work and releases the queue.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Cancels outstanding work and releases the queue.</summary>
    /// <param name="disposing">Called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _pipelineWork.CompleteAdding();

        // Neither is disposed: pool threads still finishing may touch them, and both only hold managed state.
    }

    private static void WaitQuietly(Task work)
    {
        try
        {
            // The work honours StopToken; a few seconds covers a request being torn down.
            work.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Its failure is not what the user needs to see: the exception that stopped the pipeline is.
        }
    }
}
