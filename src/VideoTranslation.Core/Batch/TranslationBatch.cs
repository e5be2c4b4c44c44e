using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Waits on many jobs at once — of one server or several — taking them as they arrive and yielding each outcome as its
/// wait ends. The one batch: <see cref="TranslationClient.WaitForAllAsync"/>, <see cref="TranslationClient.WaitForAnyAsync"/>
/// and <c>Wait-TranslationJob</c> all run it.
/// </summary>
/// <remarks>
/// <para>Each job gets its own wait, with the same strategy, deadline (per job) and retries as
/// <see cref="TranslationClient.WaitForCompletionAsync"/>; a wait starts as soon as its job arrives, and no thread is
/// held while a wait sleeps, so thousands of waits are cheap. Per server, at most
/// <see cref="TranslationBatchOptions.MaxConcurrency"/> ordinary checks and <see cref="TranslationBatchOptions.MaxHeldChecks"/>
/// held (long-poll) checks are in flight at once.</para>
/// <para>A wait that ends in an error (timeout, HTTP, protocol, connection) ends only that job's wait: the error is in its
/// outcome. All callbacks of a batch — the wait options' and the batch options' — run one at a time, never concurrently,
/// and a job's status changes are reported before its outcome. An exception from a callback or from the input stops
/// every wait and is thrown, unchanged, once they have stopped; so is cancellation. Leaving the enumeration early stops
/// the waits still running, and the enumerator's disposal completes once they have stopped.</para>
/// </remarks>
public static class TranslationBatch
{
    /// <summary>Waits on every job of <paramref name="jobs"/> as it arrives; yields the outcomes in the order the waits end.</summary>
    /// <param name="jobs">The jobs; the batch ends when this ends and every wait has ended.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Request limits and batch callbacks. Default: defaults.</param>
    /// <param name="cancellationToken">Cancels every wait; the enumeration then throws once all have stopped.</param>
    /// <returns>One outcome per job, as each wait ends.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobs"/> is null.</exception>
    /// <exception cref="ArgumentException">(While enumerating) a job is null.</exception>
    /// <exception cref="ObjectDisposedException">(While enumerating) a job's client has been disposed.</exception>
    /// <exception cref="OperationCanceledException">(While enumerating) <paramref name="cancellationToken"/> was cancelled.</exception>
    public static IAsyncEnumerable<TranslationJobOutcome> WaitAllAsync(
        IAsyncEnumerable<TranslationJobTarget> jobs,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(jobs ?? throw new ArgumentNullException(nameof(jobs)), options, batch, firstOnly: false, cancellationToken);

    /// <summary>
    /// Waits on every job of <paramref name="jobs"/> as it arrives until the first wait ends, then stops the others and
    /// returns that first outcome (a finished job, or the error that ended its wait). The other waits have stopped —
    /// no request of theirs in flight, no callback running — when the task completes.
    /// </summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Request limits and batch callbacks. Default: defaults.</param>
    /// <param name="cancellationToken">Cancels every wait; the task then fails once all have stopped.</param>
    /// <returns>The first outcome, or <see langword="null"/> when <paramref name="jobs"/> ended without a job.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobs"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TranslationJobOutcome?> WaitAnyAsync(
        IAsyncEnumerable<TranslationJobTarget> jobs,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default)
    {
        if (jobs is null)
        {
            throw new ArgumentNullException(nameof(jobs));
        }

        TranslationJobOutcome? first = null;
        await foreach (TranslationJobOutcome outcome in RunAsync(jobs, options, batch, firstOnly: true, cancellationToken).ConfigureAwait(false))
        {
            first = outcome;
        }

        return first;
    }

    private static async IAsyncEnumerable<TranslationJobOutcome> RunAsync(
        IAsyncEnumerable<TranslationJobTarget> jobs,
        TranslationWaitOptions? options,
        TranslationBatchOptions? batch,
        bool firstOnly,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = new BatchRun(options, batch, firstOnly, cancellationToken);
        try
        {
            run.Start(jobs);

            // No token here: the outcomes end once every wait has stopped, also when the batch is cancelled.
            while (await run.Outcomes.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (run.Outcomes.TryRead(out TranslationJobOutcome? outcome))
                {
                    yield return outcome;
                }
            }

            if (run.Failure is { } failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            await run.StopAsync().ConfigureAwait(false);
            run.Dispose();
        }
    }

    // Hand-written: an IEnumerable as an IAsyncEnumerable is five lines, not worth a package (System.Linq.Async).
    internal static async IAsyncEnumerable<T> AsAsync<T>(IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
