namespace VideoTranslation.Simulator.Jobs;

/// <summary>
/// One simulated translation job. Its result follows from the clock alone (pending until CompletesAt); a timer
/// completes <see cref="Settled"/> at that moment so that held long-poll requests wake without polling.
/// </summary>
internal sealed class Job : IDisposable
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private TimeProvider? _time;
    private volatile bool _finished;
    private volatile bool _removed;
    private int _heldRequests;
    private long _statusRequests;
    private long _resultFirstServedAtTicks;

    public Job(string id, JobPlan plan, DateTimeOffset createdAt, bool pinned, JobDetails? details = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Id = id;
        Plan = plan;
        Details = details ?? JobDetails.None;
        CreatedAt = createdAt;
        CompletesAt = createdAt + TimeSpan.FromSeconds(plan.DelaySeconds);
        Pinned = pinned;
    }

    public string Id { get; }

    public JobPlan Plan { get; }

    /// <summary>What the create request said about the job (language, title, callback); empty for POST /jobs.</summary>
    public JobDetails Details { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The server-side moment the job leaves pending.</summary>
    public DateTimeOffset CompletesAt { get; }

    /// <summary>A pinned job (the one behind GET /status) never expires and cannot be deleted.</summary>
    public bool Pinned { get; }

    /// <summary>Completes when the job finishes, is removed, or the server stops, whichever comes first.</summary>
    public Task Settled => _settled.Task;

    public bool IsRemoved => _removed;

    /// <summary>Long-poll requests now held on this job.</summary>
    public int HeldRequests => Volatile.Read(ref _heldRequests);

    /// <summary>Status answers served for this job (injected faults not counted).</summary>
    public long StatusRequests => Interlocked.Read(ref _statusRequests);

    /// <summary>When a status answer first reported the final result, so a client's lateness can be measured.</summary>
    public DateTimeOffset? ResultFirstServedAt =>
        Interlocked.Read(ref _resultFirstServedAtTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Start(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _timer = time.CreateTimer(static state => ((Job)state!).OnTimer(), this, CompletesAt - CreatedAt, Timeout.InfiniteTimeSpan);
    }

    // Timers run on a coarse clock and can fire a few milliseconds early; the job is not finished before
    // CompletesAt, so an early timer is re-armed for the rest.
    private void OnTimer()
    {
        var left = CompletesAt - _time!.GetUtcNow();
        if (left > TimeSpan.Zero && !_finished)
        {
            _timer?.Change(left, Timeout.InfiniteTimeSpan);
            return;
        }

        MarkFinished();
    }

    public bool IsFinishedAt(DateTimeOffset now)
    {
        if (_finished)
        {
            return true;
        }

        // The clock can pass CompletesAt a moment before the timer fires; the clock decides.
        if (now >= CompletesAt)
        {
            MarkFinished();
            return true;
        }

        return false;
    }

    public JobResult ResultAt(DateTimeOffset now) => IsFinishedAt(now) ? Plan.Outcome : JobResult.Pending;

    /// <summary>When the job ended, as an answer reporting <paramref name="result"/> says it: null while pending.</summary>
    public DateTimeOffset? CompletedAt(JobResult result) => result == JobResult.Pending ? null : CompletesAt;

    /// <summary>Counts a status answer and remembers when the final result was first served.</summary>
    public void RecordStatusAnswer(JobResult result, DateTimeOffset now)
    {
        Interlocked.Increment(ref _statusRequests);
        if (result != JobResult.Pending)
        {
            Interlocked.CompareExchange(ref _resultFirstServedAtTicks, now.UtcTicks, 0);
        }
    }

    public void EnterWait() => Interlocked.Increment(ref _heldRequests);

    public void ExitWait() => Interlocked.Decrement(ref _heldRequests);

    /// <summary>Marks the job gone and wakes its held requests, which then answer 404.</summary>
    public void Remove()
    {
        _removed = true;
        Dispose();
        _settled.TrySetResult();
    }

    /// <summary>Wakes held requests without changing the result: they answer the current status at once.</summary>
    public void ReleaseHeldRequests() => _settled.TrySetResult();

    public void Dispose() => _timer?.Dispose();

    private void MarkFinished()
    {
        _finished = true;
        _settled.TrySetResult();
    }
}
