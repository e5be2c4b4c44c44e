using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <content>Waiting on many jobs at once.</content>
public sealed partial class TranslationClient
{
    /// <summary>
    /// Waits on every job in <paramref name="jobIds"/> at once and returns how each wait ended, in input order.
    /// </summary>
    /// <remarks>
    /// Each job gets its own wait, with the same strategy, deadline and retries as
    /// <see cref="WaitForCompletionAsync"/>; no thread is held while a wait sleeps, so thousands of waits are cheap.
    /// At most <see cref="TranslationBatchOptions.MaxConcurrency"/> requests are in flight at once. A wait that ends in an
    /// error (timeout, HTTP, protocol, connection) ends only that job's wait: the error is in its outcome.
    /// All callbacks of a batch — the wait options' and the batch options' — run one at a time, never concurrently;
    /// an exception from one cancels the other waits and propagates unchanged once they have stopped.
    /// </remarks>
    /// <param name="jobIds">The job ids; none null or white space. Duplicates are waited on once each time they appear.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Concurrency bound and batch callbacks. Default: defaults.</param>
    /// <param name="cancellationToken">Cancels every wait; the method then throws once all have stopped.</param>
    /// <returns>One outcome per job id, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobIds"/> is null.</exception>
    /// <exception cref="ArgumentException">A job id is null, empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<TranslationJobOutcome>> WaitForAllAsync(
        IEnumerable<string> jobIds,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default)
    {
        string[] ids = CheckJobIds(jobIds);
        TranslationJobOutcome?[] outcomes = await RunBatchAsync(ids, options, batch, stopAtFirst: false, cancellationToken).ConfigureAwait(false);
        return outcomes!;
    }

    /// <summary>Blocking flavour of <see cref="WaitForAllAsync"/>; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="WaitForAllAsync"/>
    public IReadOnlyList<TranslationJobOutcome> WaitForAll(
        IEnumerable<string> jobIds,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => WaitForAllAsync(jobIds, options, batch, cancellationToken));

    /// <summary>
    /// Waits on every job in <paramref name="jobIds"/> at once until the first wait ends, then stops the others and
    /// returns that first outcome: a finished job (completed or error), or the error that ended its wait.
    /// </summary>
    /// <remarks>
    /// The other waits are cancelled and have stopped — no request of theirs in flight, no callback running — when the
    /// method returns. Otherwise as <see cref="WaitForAllAsync"/>.
    /// </remarks>
    /// <param name="jobIds">The job ids; at least one, none null or white space.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Concurrency bound and batch callbacks. Default: defaults.</param>
    /// <param name="cancellationToken">Cancels every wait; the method then throws once all have stopped.</param>
    /// <returns>The outcome of the first wait to end.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobIds"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="jobIds"/> is empty, or a job id is null, empty or white space.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TranslationJobOutcome> WaitForAnyAsync(
        IEnumerable<string> jobIds,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default)
    {
        string[] ids = CheckJobIds(jobIds);
        if (ids.Length == 0)
        {
            throw new ArgumentException("jobIds must name at least one job to wait for.", nameof(jobIds));
        }

        TranslationJobOutcome?[] outcomes = await RunBatchAsync(ids, options, batch, stopAtFirst: true, cancellationToken).ConfigureAwait(false);
        return outcomes[0]!;
    }

    /// <summary>Blocking flavour of <see cref="WaitForAnyAsync"/>; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="WaitForAnyAsync"/>
    public TranslationJobOutcome WaitForAny(
        IEnumerable<string> jobIds,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => WaitForAnyAsync(jobIds, options, batch, cancellationToken));

    private static string[] CheckJobIds(IEnumerable<string> jobIds)
    {
        if (jobIds is null)
        {
            throw new ArgumentNullException(nameof(jobIds), "jobIds must be a list of job ids.");
        }

        string[] ids = jobIds.ToArray();
        for (int i = 0; i < ids.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
            {
                throw new ArgumentException(
                    $"jobIds[{i.ToString(CultureInfo.InvariantCulture)}] is {(ids[i] is null ? "null" : "empty or white space")}; every job id must name a job.",
                    nameof(jobIds));
            }
        }

        return ids;
    }

    // Runs one wait per id under one request gate. With stopAtFirst, returns an array whose [0] is the first outcome;
    // otherwise one outcome per id, in order. Returns (or throws) only after every wait has stopped.
    private async Task<TranslationJobOutcome?[]> RunBatchAsync(
        string[] ids,
        TranslationWaitOptions? options,
        TranslationBatchOptions? batch,
        bool stopAtFirst,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        batch ??= new TranslationBatchOptions();
        var outcomes = new TranslationJobOutcome?[ids.Length];
        TranslationJobOutcome? first = null;
        int completed = 0, failed = 0, errored = 0;

        using var gate = new SemaphoreSlim(batch.MaxConcurrency, batch.MaxConcurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var callbacks = new CallbackSerializer();
        TranslationWaitOptions waitOptions = callbacks.Wrap(options ?? new TranslationWaitOptions());
        Action<TranslationJobOutcome>? onFinished = batch.OnJobFinished;
        Action<TranslationBatchProgress>? onProgress = batch.OnProgress;
        Exception? callbackFailure = null;

        void Count(TranslationJobOutcome outcome)
        {
            if (outcome.Error is not null)
            {
                errored++;
            }
            else if (outcome.Succeeded)
            {
                completed++;
            }
            else
            {
                failed++;
            }

            onFinished?.Invoke(outcome);
            onProgress?.Invoke(new TranslationBatchProgress(ids.Length, completed, failed, errored));
        }

        // An outcome already reached is always reported, whatever happens to the token.
        Task ReportAsync(TranslationJobOutcome outcome) => callbacks.RunAsync(() => Count(outcome), CancellationToken.None);

        async Task RunOneAsync(int index)
        {
            TranslationJobOutcome outcome;
            try
            {
                TranslationWaitResult result = await WaitCoreAsync(ids[index], waitOptions, gate, stop.Token).ConfigureAwait(false);
                outcome = new TranslationJobOutcome(ids[index], result, null);
            }
            catch (TranslationException ex)
            {
                outcome = new TranslationJobOutcome(ids[index], null, ex);
            }
            catch (CallbackFailure failure)
            {
                // A callback threw (even a TranslationException): it ends the batch, and is what the caller sees.
                Interlocked.CompareExchange(ref callbackFailure, failure.InnerException, null);
                stop.Cancel();
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // another wait finished first, a callback failed, or the caller cancelled
            }
            catch (Exception ex)
            {
                // A callback threw: it ends the batch, and is what the caller sees.
                Interlocked.CompareExchange(ref callbackFailure, ex, null);
                stop.Cancel();
                return;
            }

            if (stopAtFirst)
            {
                if (Interlocked.CompareExchange(ref first, outcome, null) is not null)
                {
                    return;
                }

                stop.Cancel();
            }

            outcomes[index] = outcome;
            try
            {
                await ReportAsync(outcome).ConfigureAwait(false);
            }
            catch (CallbackFailure failure)
            {
                Interlocked.CompareExchange(ref callbackFailure, failure.InnerException, null);
                stop.Cancel();
            }
        }

        try
        {
            await callbacks.RunAsync(() => onProgress?.Invoke(new TranslationBatchProgress(ids.Length, 0, 0, 0)), cancellationToken).ConfigureAwait(false);
        }
        catch (CallbackFailure failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure.InnerException!).Throw();
        }

        // Every wait starts now; each yields at its first await, so starting thousands costs no threads.
        var tasks = new Task[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            tasks[i] = RunOneAsync(i);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);

        if (callbackFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(callbackFailure).Throw();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return stopAtFirst ? new[] { first } : outcomes;
    }

    /// <summary>Carries a callback's exception past the per-job error handling, so it ends the batch unchanged.</summary>
    private sealed class CallbackFailure : Exception
    {
        public CallbackFailure(Exception inner)
            : base(inner.Message, inner)
        {
        }
    }

    /// <summary>
    /// Runs a batch's callbacks one at a time, whichever wait calls them. Turns are awaited, never blocked on, so a
    /// callback that awaits while holding the turn parks no thread of the waits queued behind it.
    /// </summary>
    private sealed class CallbackSerializer : IDisposable
    {
        private readonly SemaphoreSlim _turn = new(1, 1);

        public async Task RunAsync(Action action, CancellationToken cancellationToken)
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                action();
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

        public void Dispose() => _turn.Dispose();

        public TranslationWaitOptions Wrap(TranslationWaitOptions options)
        {
            TranslationWaitOptions copy = options.Clone();
            Action<TranslationStatus>? changed = options.OnStatusChanged;
            Func<TranslationStatus, CancellationToken, Task>? changedAsync = options.OnStatusChangedAsync;
            if (changed is not null || changedAsync is not null)
            {
                // One async callback that keeps the documented order: the sync one first, then the async one.
                copy.OnStatusChanged = null;
                copy.OnStatusChangedAsync = async (status, token) =>
                {
                    await _turn.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        changed?.Invoke(status);
                        if (changedAsync is not null)
                        {
                            await changedAsync(status, token).ConfigureAwait(false);
                        }
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
            }

            if (options.OnProgress is { } progress)
            {
                copy.OnProgress = null;
                copy.OnProgressAsync = (p, token) => RunAsync(() => progress(p), token);
            }

            return copy;
        }
    }
}
