using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// One batch: takes jobs as they arrive, runs one wait per job under its server's <see cref="CheckBudget"/>, runs every
/// callback in turns, counts the totals, and puts each outcome into <see cref="Outcomes"/> as its wait ends.
/// <see cref="Outcomes"/> completes once the input has ended and every wait has stopped.
/// </summary>
/// <remarks>
/// A job's own failure (timeout, HTTP, protocol, connection) is its outcome. Anything else — a callback's exception,
/// the input's exception, an unusable job — stops every wait and is <see cref="Failure"/>.
/// </remarks>
internal sealed class BatchRun : IDisposable
{
    private readonly WaitSettings _settings;
    private readonly TranslationBatchOptions _batch;
    private readonly bool _firstOnly;
    private readonly CancellationTokenSource _stop;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Channel<TranslationJobOutcome> _outcomes = Channel.CreateUnbounded<TranslationJobOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<TranslationClient, CheckBudget> _budgets = new();
    private readonly HashSet<GroupHolds> _deferred = new(); // the feeder's, through a burst
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Activity? _span; // the batch's: its waits' parent
    private TimeProvider? _clock; // the first job's client's: the batch span's times, as its waits' are by their clients'

    // Counted under _turn: every change of the totals is reported in a turn, so the reports are in order.
    private int _total;
    private int _completed;
    private int _failed;
    private int _errored;
    private (int, int, int, int)? _reported;

    private readonly TaskCompletionSource<bool> _stopSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _abandoned; // the input ignored the stop: it is disposed when its pending MoveNextAsync ends
    private int _pending = 1; // the feeder's own, until the input ends
    private int _claimed;
    private Exception? _failure;

    public BatchRun(TranslationWaitOptions? options, TranslationBatchOptions? batch, bool firstOnly, CancellationToken cancellationToken)
    {
        WaitSettings settings = WaitSettings.From(options);
        _settings = settings.WithCallbacks(InTurn(settings.OnStateChanged), InTurn(settings.OnProgress));
        _batch = batch ?? new TranslationBatchOptions();
        _firstOnly = firstOnly;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _span = Telemetry.StartBatch();
    }

    public ChannelReader<TranslationJobOutcome> Outcomes => _outcomes.Reader;

    /// <summary>What ended the batch other than its jobs' own failures; set before <see cref="Outcomes"/> completes.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Completes when every wait and the feeder have stopped.</summary>
    public Task Stopped => _stopped.Task;

    public void Start(IAsyncEnumerable<TranslationJobTarget> jobs) => _ = FeedAsync(jobs);

    /// <summary>Stops every wait (the consumer has what it wants) and completes when they have stopped.</summary>
    public Task StopAsync()
    {
        _stop.Cancel();
        return _stopped.Task;
    }

    /// <summary>Releases the stop token; only after <see cref="Stopped"/>.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _turn.Dispose();
    }

    // Jobs arrive in bursts (all at once from a list, one by one from a pipeline): the totals are reported when the
    // input pauses, and the turn is held through a burst so that no wait's report comes before its arrival's.
    private async Task FeedAsync(IAsyncEnumerable<TranslationJobTarget> jobs)
    {
        bool inTurn = false;
        try
        {
            await _turn.WaitAsync(_stop.Token).ConfigureAwait(false);
            inTurn = true;

            // Registered before the input registers its own: cancellation runs callbacks last-registered first, so an
            // input that honours the token has ended its step by the time the batch sees the stop.
            using CancellationTokenRegistration onStop = _stop.Token.Register(() => _stopSeen.TrySetResult(true));
            IAsyncEnumerator<TranslationJobTarget> input = jobs.GetAsyncEnumerator(_stop.Token);
            try
            {
                while (true)
                {
                    ValueTask<bool> next = input.MoveNextAsync();
                    if (!next.IsCompleted)
                    {
                        EndBurst();
                        if (_total > 0)
                        {
                            ReportTotals();
                        }

                        _turn.Release();
                        inTurn = false;
                        if (!await UnlessStoppedAsync(next, input).ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    else if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    if (!inTurn)
                    {
                        await _turn.WaitAsync(_stop.Token).ConfigureAwait(false);
                        inTurn = true;
                    }

                    Add(input.Current);
                }
            }
            finally
            {
                if (!_abandoned)
                {
                    await input.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (!inTurn)
            {
                await _turn.WaitAsync(_stop.Token).ConfigureAwait(false);
                inTurn = true;
            }

            EndBurst();
            ReportTotals();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: the consumer has what it wants, a wait failed the batch, or the caller cancelled.
        }
        catch (Exception ex)
        {
            Fail(ex is CallbackFailure callback ? callback.InnerException! : ex);
        }
        finally
        {
            EndBurst();
            if (inTurn)
            {
                _turn.Release();
            }

            Done();
        }
    }

    // An input that ignores its token must not keep a stopped batch from ending: the batch stops waiting for it, and
    // disposes it (observing its exception) whenever its pending step ends.
    private async Task<bool> UnlessStoppedAsync(ValueTask<bool> next, IAsyncEnumerator<TranslationJobTarget> input)
    {
        Task<bool> step = next.AsTask();
        await Task.WhenAny(step, _stopSeen.Task).ConfigureAwait(false);
        if (!step.IsCompleted)
        {
            // An input honouring the token may end its step just after the stop (a queued continuation): 50 ms of grace.
            await Task.WhenAny(step, Task.Delay(TimeSpan.FromMilliseconds(50))).ConfigureAwait(false);
        }

        if (step.IsCompleted)
        {
            return await step.ConfigureAwait(false);
        }

        _abandoned = true;
        _ = step.ContinueWith(
            async _ => await input.DisposeAsync().ConfigureAwait(false),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap().ContinueWith(
                t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        _stop.Token.ThrowIfCancellationRequested();
        return false;
    }

    private void Add(TranslationJobTarget? target)
    {
        if (target is null)
        {
            throw new ArgumentException($"Job {_total} of the batch is null; every job must be a TranslationJobTarget.", nameof(target));
        }

        target.Client.ThrowIfDisposed();
        if (_clock is null)
        {
            _clock = target.Client.Connection.Time;
            _span?.SetStartTime(_clock.GetUtcNow().UtcDateTime);
        }

        if (!_budgets.TryGetValue(target.Client, out CheckBudget? budget))
        {
            budget = NewBudget(target.Client);
            _budgets.Add(target.Client, budget);
        }

        // The jobs of a burst start their first checks in this call: their held checks leave together when it ends.
        if (budget.Groups is { } groups && _deferred.Add(groups))
        {
            groups.BeginDefer();
        }

        Interlocked.Increment(ref _pending);
        _ = RunOneAsync(target, _total++, budget);
    }

    // Each request in flight holds a socket: a budget that would need more than the process may open is scaled down to
    // fit (issue 14: 2,000 requests under ulimit -n 1024 crashed the process), and the client's log says so.
    private CheckBudget NewBudget(TranslationClient client)
    {
        int checks = _batch.MaxConcurrencyFor(client.Service);
        int holds = _batch.MaxHeldChecks;
        if (client.DescriptorHeadroom() is { } fds && DescriptorBudget.Fit(checks, holds, fds.Headroom) is var fit && fit != (checks, holds))
        {
            Log.BatchLimitedByDescriptors(client.Logger, client.Connection.SafeBaseUri, checks, holds, fds.Limit, fds.Open, fit.Checks, fit.Holds);
            (checks, holds) = fit;
        }

        return new CheckBudget(checks, holds, client.Connection, client.Connection.Time);
    }

    private async Task RunOneAsync(TranslationJobTarget target, int index, CheckBudget budget)
    {
        if (_span is not null)
        {
            Activity.Current = _span; // within this method only: an async method's change of it ends with the method
        }

        try
        {
            TranslationJobOutcome outcome;
            try
            {
                TranslationWaitResult result = await target.Client.WaitAsync(target.JobId, _settings, budget, _stop.Token).ConfigureAwait(false);
                outcome = new TranslationJobOutcome(target, index, result, null);
            }
            catch (TranslationException ex)
            {
                outcome = new TranslationJobOutcome(target, index, null, ex);
            }

            await FinishAsync(outcome).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped with the others.
        }
        catch (CallbackFailure failure)
        {
            Fail(failure.InnerException!);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            Done();
        }
    }

    // An outcome reached is always reported, whatever happens to the token; with firstOnly, only the first.
    private async Task FinishAsync(TranslationJobOutcome outcome)
    {
        if (_firstOnly)
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            _stop.Cancel();
        }

        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (outcome.Error is not null)
            {
                _errored++;
            }
            else if (outcome.Succeeded)
            {
                _completed++;
            }
            else
            {
                _failed++;
            }

            _batch.OnJobFinished?.Invoke(outcome);
            ReportTotals();
            _outcomes.Writer.TryWrite(outcome);
        }
        catch (Exception ex)
        {
            throw new CallbackFailure(ex);
        }
        finally
        {
            _turn.Release();
        }
    }

    // The feeder's: the held checks of the jobs added since the last pause leave, in groups.
    private void EndBurst()
    {
        foreach (GroupHolds groups in _deferred)
        {
            groups.EndDefer();
        }

        _deferred.Clear();
    }

    // In the turn; totals that have not changed since the last report are not reported again.
    private void ReportTotals()
    {
        var totals = (_total, _completed, _failed, _errored);
        if (_batch.OnProgress is null || totals == _reported)
        {
            return;
        }

        _reported = totals;
        _batch.OnProgress(new TranslationBatchProgress(_total, _completed, _failed, _errored));
    }

    private void Fail(Exception exception)
    {
        Interlocked.CompareExchange(ref _failure, exception, null);
        _stop.Cancel();
    }

    private void Done()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        foreach (CheckBudget budget in _budgets.Values)
        {
            budget.Dispose();
        }

        Telemetry.EndBatch(_span, (_total, _completed, _failed, _errored), Failure, _clock ?? TimeProvider.System);

        _outcomes.Writer.TryComplete();
        _stopped.TrySetResult(true);
    }

    // The batch's callbacks run one at a time, whichever wait calls them; a turn is awaited, never blocked on, so a
    // callback that awaits while holding it parks no thread of the waits queued behind it.
    private Func<T, CancellationToken, Task>? InTurn<T>(Func<T, CancellationToken, Task>? callback) =>
        callback is null ? null : async (value, token) =>
        {
            await _turn.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await callback(value, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && token.IsCancellationRequested))
            {
                throw new CallbackFailure(ex);
            }
            finally
            {
                _turn.Release();
            }
        };

    /// <summary>Carries a callback's exception past the per-job error handling, so it ends the batch unchanged.</summary>
    private sealed class CallbackFailure : Exception
    {
        public CallbackFailure(Exception inner)
            : base(inner.Message, inner)
        {
        }
    }
}
