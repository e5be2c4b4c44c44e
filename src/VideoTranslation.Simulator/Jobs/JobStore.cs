using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Jobs;

/// <summary>
/// Holds the jobs. The store is bounded: at most Jobs:MaxLiveJobs jobs (pending, or finished and not yet
/// expired), and a finished job expires Jobs:RetentionSeconds after it finished. Expired jobs are dropped
/// when they are looked up, by a periodic sweep, and by a sweep before a create is refused.
/// </summary>
internal sealed class JobStore : IDisposable
{
    /// <summary>The id of the job that starts with the server and answers GET /status.</summary>
    public const string StartupJobId = "default";

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly JobPlanner _planner;
    private readonly TimeSpan _retention;
    private readonly int _maxJobs;
    private readonly ITimer _sweepTimer;
    private int _count;

    public JobStore(TimeProvider time, JobPlanner planner, IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _planner = planner;
        _retention = TimeSpan.FromSeconds(options.Value.Jobs.RetentionSeconds);
        _maxJobs = options.Value.Jobs.MaxLiveJobs;
        var sweepEvery = TimeSpan.FromSeconds(Math.Clamp(options.Value.Jobs.RetentionSeconds / 2, 0.05, 10));
        _sweepTimer = time.CreateTimer(static state => ((JobStore)state!).RemoveExpired(), this, sweepEvery, sweepEvery);
    }

    public int Count => Volatile.Read(ref _count);

    public int MaxJobs => _maxJobs;

    public TimeSpan Retention => _retention;

    /// <summary>Creates the job behind GET /status; called once as the server starts.</summary>
    public Job CreateStartupJob()
    {
        var job = new Job(StartupJobId, _planner.Plan(), _time.GetUtcNow(), pinned: true);
        job.Start(_time);
        if (!_jobs.TryAdd(job.Id, job))
        {
            job.Dispose();
            throw new InvalidOperationException("The startup job exists already.");
        }

        Interlocked.Increment(ref _count);
        return job;
    }

    /// <summary>Creates a job, or returns null when the store is full.</summary>
    public Job? TryCreate(JobOverrides? overrides, JobDetails? details = null)
    {
        if (!TryReserve())
        {
            RemoveExpired();
            if (!TryReserve())
            {
                return null;
            }
        }

        var job = new Job(Guid.NewGuid().ToString("N"), _planner.Plan(overrides), _time.GetUtcNow(), pinned: false, details);
        job.Start(_time); // before it is visible, so a DELETE can never meet a job without its timer
        _jobs[job.Id] = job;
        return job;
    }

    public Job? Find(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        if (IsExpired(job, _time.GetUtcNow()))
        {
            Drop(job);
            return null;
        }

        return job;
    }

    public RemoveOutcome Remove(string id)
    {
        var job = Find(id);
        if (job is null)
        {
            return RemoveOutcome.NotFound;
        }

        if (job.Pinned)
        {
            return RemoveOutcome.Pinned;
        }

        return Drop(job) ? RemoveOutcome.Removed : RemoveOutcome.NotFound;
    }

    /// <summary>The jobs still running at <paramref name="now"/> (the pinned startup job not counted), soonest to finish first.</summary>
    public IReadOnlyList<Job> Unfinished(DateTimeOffset now) =>
        _jobs.Values.Where(j => !j.Pinned && !j.IsFinishedAt(now)).OrderBy(j => j.CompletesAt).ToList();

    /// <summary>When a finished job is dropped, or null while it is pending or pinned.</summary>
    public DateTimeOffset? ExpiresAt(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Pinned || !job.IsFinishedAt(now) ? null : job.CompletesAt + _retention;
    }

    public int RemoveExpired()
    {
        var now = _time.GetUtcNow();
        var removed = 0;
        foreach (var job in _jobs.Values)
        {
            if (IsExpired(job, now) && Drop(job))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Answers every held long-poll request now, so a stopping server does not wait out their waits.</summary>
    public void ReleaseHeldRequests()
    {
        foreach (var job in _jobs.Values)
        {
            job.ReleaseHeldRequests();
        }
    }

    public void Dispose()
    {
        _sweepTimer.Dispose();
        foreach (var job in _jobs.Values)
        {
            job.Dispose();
        }
    }

    private bool IsExpired(Job job, DateTimeOffset now) => ExpiresAt(job, now) is { } expiresAt && now >= expiresAt;

    private bool TryReserve()
    {
        if (Interlocked.Increment(ref _count) <= _maxJobs)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    private bool Drop(Job job)
    {
        if (!_jobs.TryRemove(new KeyValuePair<string, Job>(job.Id, job)))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        job.Remove();
        return true;
    }
}

internal enum RemoveOutcome
{
    Removed,
    NotFound,
    Pinned,
}
