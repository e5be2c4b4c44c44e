namespace VideoTranslation.Tests.Support;

/// <summary>
/// An input of jobs that the test writes to over fake time, as a pipeline does: a batch enumerating it waits for the
/// next job until the test <see cref="Add">adds</see> one or <see cref="End">ends</see> the input. Jobs added together
/// are one burst: the batch finds them all at once. A batch waiting for a job resumes on the thread that adds it, before
/// <see cref="Add"/> returns, so what the batch does with a burst has happened by then. Honours the batch's token.
/// </summary>
public sealed class JobFeed : IAsyncEnumerable<TranslationJobTarget>
{
    private readonly object _lock = new();
    private readonly Queue<TranslationJobTarget?> _queue = new();
    private TaskCompletionSource? _signal;
    private bool _ended;
    private Exception? _error;
    private int _taken;
    private int _enumerations;
    private int _disposed;

    /// <summary>Jobs the batch has taken from the input (nulls included).</summary>
    public int Taken => Volatile.Read(ref _taken);

    /// <summary>How many times the input was enumerated.</summary>
    public int Enumerations => Volatile.Read(ref _enumerations);

    /// <summary>Whether the batch has disposed its enumerator: it reads no more.</summary>
    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The token the batch enumerates with.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>Jobs added that the batch has not taken yet.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Adds one burst of jobs (null: a null job, which the batch must reject).</summary>
    public void Add(params TranslationJobTarget?[] jobs)
    {
        lock (_lock)
        {
            foreach (TranslationJobTarget? job in jobs)
            {
                _queue.Enqueue(job);
            }
        }

        Wake();
    }

    /// <summary>Ends the input, or makes it throw <paramref name="error"/> once the jobs before it are taken.</summary>
    public void End(Exception? error = null)
    {
        lock (_lock)
        {
            _ended = true;
            _error = error;
        }

        Wake();
    }

    public IAsyncEnumerator<TranslationJobTarget> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _enumerations);
        Token = cancellationToken;
        return new Enumerator(this, cancellationToken);
    }

    // Outside the lock, with no SynchronizationContext, so the batch's continuation runs inline on this thread.
    private void Wake()
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            signal = _signal;
            _signal = null;
        }

        if (signal is not null)
        {
            var prior = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                signal.TrySetResult();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(prior);
            }
        }
    }

    private sealed class Enumerator(JobFeed stream, CancellationToken cancellationToken) : IAsyncEnumerator<TranslationJobTarget>
    {
        public TranslationJobTarget Current { get; private set; } = null!;

        public async ValueTask<bool> MoveNextAsync()
        {
            while (true)
            {
                Task signal;
                lock (stream._lock)
                {
                    if (stream._queue.Count > 0)
                    {
                        Current = stream._queue.Dequeue()!;
                        stream._taken++;
                        return true;
                    }

                    if (stream._error is { } error)
                    {
                        throw error;
                    }

                    if (stream._ended)
                    {
                        return false;
                    }

                    stream._signal ??= new TaskCompletionSource();
                    signal = stream._signal.Task;
                }

                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Exchange(ref stream._disposed, 1);
            return ValueTask.CompletedTask;
        }
    }
}
