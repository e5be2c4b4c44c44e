using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <content>Waiting on many jobs of this server at once: conveniences over <see cref="TranslationBatch"/>.</content>
public sealed partial class TranslationClient
{
    /// <summary>
    /// Waits on every job in <paramref name="jobIds"/> at once and returns how each wait ended, in input order.
    /// </summary>
    /// <remarks>The batch of <see cref="TranslationBatch.WaitAllAsync"/>, collected.</remarks>
    /// <param name="jobIds">The job ids; none null or white space. Duplicates are waited on once each time they appear.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Request limits and batch callbacks. Default: defaults.</param>
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
        TranslationJobTarget[] targets = Targets(jobIds);
        var outcomes = new TranslationJobOutcome[targets.Length];
        await foreach (TranslationJobOutcome outcome in TranslationBatch.WaitAllAsync(TranslationBatch.AsAsync(targets), options, batch, cancellationToken).ConfigureAwait(false))
        {
            outcomes[outcome.Index] = outcome;
        }

        return outcomes;
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
    /// <remarks>The other waits have stopped when the method returns; see <see cref="TranslationBatch.WaitAnyAsync"/>.</remarks>
    /// <param name="jobIds">The job ids; at least one, none null or white space.</param>
    /// <param name="options">Strategy, deadline (per job), retry backoff and callbacks. Default: defaults.</param>
    /// <param name="batch">Request limits and batch callbacks. Default: defaults.</param>
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
        TranslationJobTarget[] targets = Targets(jobIds);
        if (targets.Length == 0)
        {
            throw new ArgumentException("jobIds must name at least one job to wait for.", nameof(jobIds));
        }

        return (await TranslationBatch.WaitAnyAsync(TranslationBatch.AsAsync(targets), options, batch, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Blocking flavour of <see cref="WaitForAnyAsync"/>; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="WaitForAnyAsync"/>
    public TranslationJobOutcome WaitForAny(
        IEnumerable<string> jobIds,
        TranslationWaitOptions? options = null,
        TranslationBatchOptions? batch = null,
        CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => WaitForAnyAsync(jobIds, options, batch, cancellationToken));

    // Checked before any request: a bad id fails the call, not one job.
    private TranslationJobTarget[] Targets(IEnumerable<string> jobIds)
    {
        if (jobIds is null)
        {
            throw new ArgumentNullException(nameof(jobIds), "jobIds must be a list of job ids.");
        }

        ThrowIfDisposed();
        string[] ids = jobIds.ToArray();
        var targets = new TranslationJobTarget[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
            {
                throw new ArgumentException(
                    $"jobIds[{i.ToString(CultureInfo.InvariantCulture)}] is {(ids[i] is null ? "null" : "empty or white space")}; every job id must name a job.",
                    nameof(jobIds));
            }

            targets[i] = new TranslationJobTarget(this, ids[i]);
        }

        return targets;
    }
}
