using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Jobs;

/// <summary>Why a create made no job.</summary>
internal enum CreateRefusal
{
    None,

    /// <summary>The jobs would be more unfinished jobs than the concurrency limit allows (429).</summary>
    OverConcurrencyLimit,

    /// <summary>The store holds Jobs:MaxLiveJobs jobs (503).</summary>
    StoreFull,
}

/// <summary>The jobs one create made, or why it made none (then <see cref="RetryAfterSeconds"/> says when a slot frees up).</summary>
internal sealed record CreateResult(IReadOnlyList<Job> Jobs, CreateRefusal Refusal, int? Limit, int Unfinished, double RetryAfterSeconds)
{
    public bool Created => Refusal == CreateRefusal.None;
}

/// <summary>
/// The one way every create route makes jobs: all of a request's jobs or none, within the concurrency limit
/// (unfinished jobs, the startup job not counted) and the store's capacity. One lock makes check and create atomic.
/// </summary>
internal sealed class JobCreator(JobStore store, TimeProvider time, IOptions<SimulatorOptions> options)
{
    private readonly Lock _gate = new();
    private readonly int? _limit = options.Value.EffectiveConcurrencyLimit();

    public int? Limit => _limit;

    public CreateResult Create(IReadOnlyList<(JobOverrides? Overrides, JobDetails? Details)> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var unfinished = store.Unfinished(now);
            if (_limit is { } limit && unfinished.Count + jobs.Count > limit)
            {
                // The moment enough running jobs have finished to make room for this request.
                var needed = unfinished.Count + jobs.Count - limit;
                var freeAt = needed <= unfinished.Count ? unfinished[needed - 1].CompletesAt : now + TimeSpan.FromSeconds(1);
                return new CreateResult([], CreateRefusal.OverConcurrencyLimit, limit, unfinished.Count, Math.Max(1, (freeAt - now).TotalSeconds));
            }

            var made = new List<Job>(jobs.Count);
            foreach (var (overrides, details) in jobs)
            {
                if (store.TryCreate(overrides, details) is not { } job)
                {
                    foreach (var undo in made)
                    {
                        store.Remove(undo.Id);
                    }

                    return new CreateResult([], CreateRefusal.StoreFull, _limit, unfinished.Count, 1);
                }

                made.Add(job);
            }

            return new CreateResult(made, CreateRefusal.None, _limit, unfinished.Count + made.Count, 0);
        }
    }
}
