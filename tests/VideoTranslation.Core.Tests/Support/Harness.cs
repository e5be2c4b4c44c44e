namespace VideoTranslation.Tests.Support;

/// <summary>
/// A <see cref="TranslationClient"/> on a <see cref="TestClock"/> against a <see cref="FakeServer"/>. Tests start waits
/// and batches through it, so a change of the client's waiting API is an edit here, not in every test.
/// </summary>
public sealed class Harness : IDisposable
{
    private readonly TestClock? _clock;
    private readonly List<TranslationClient> _clients = new();

    public Harness(Action<TranslationClientOptions>? configure = null, Uri? baseUri = null)
        : this(new TestClock(), configure, baseUri)
    {
    }

    private Harness(TestClock? clock, Action<TranslationClientOptions>? configure, Uri? baseUri)
    {
        _clock = clock;
        TimeProvider time = clock ?? TimeProvider.System;
        Server = new FakeServer(time);
        var options = new TranslationClientOptions { TimeProvider = time };
        configure?.Invoke(options);

        // The client's RequestTimeout is the only request timeout, not HttpClient's own 100 s. On the fake clock above
        // all: HttpClient.Timeout runs on the real clock, so a held check still pending after 100 real seconds (a big
        // batch on a loaded machine) was cancelled, taken for a timed-out check and held again, one request more per
        // job still waiting.
        Http = new HttpClient(Server) { Timeout = Timeout.InfiniteTimeSpan };
        Client = new TranslationClient(baseUri ?? FakeServer.BaseUri, options, Http);
    }

    /// <summary>
    /// A harness on the real clock, for what fake time cannot show: a blocking call under a single-threaded context,
    /// a cancellation from another thread. Tests on it wait for signals, never for time.
    /// </summary>
    public static Harness OnRealClock(Action<TranslationClientOptions>? configure = null) => new(null, configure, null);

    /// <summary>
    /// Another client on this harness's clock and fake server, for another server address (the fake server sees the
    /// host in each request) or another wire format; disposed with the harness.
    /// </summary>
    public TranslationClient AddClient(Uri baseUri, Action<TranslationClientOptions>? configure = null)
    {
        var options = new TranslationClientOptions { TimeProvider = _clock ?? TimeProvider.System };
        configure?.Invoke(options);
        var client = new TranslationClient(baseUri, options, Http);
        _clients.Add(client);
        return client;
    }

    public TestClock Clock => _clock ?? throw new InvalidOperationException("This harness runs on the real clock.");

    public FakeServer Server { get; }

    public HttpClient Http { get; }

    public TranslationClient Client { get; }

    /// <summary>Request times, in ms since <see cref="TestClock.T0"/>.</summary>
    public double[] RequestTimes => Server.RequestOffsetsMs(TestClock.T0);

    /// <summary>The ms between the starts of consecutive requests.</summary>
    public double[] RequestGaps
    {
        get
        {
            double[] times = RequestTimes;
            return times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        }
    }

    /// <summary>Asserts the gaps of <see cref="ExponentialStrategy.Default"/>: 1 s × 1.5ⁿ capped at 5 s, each jittered down by up to 20 %.</summary>
    public void AssertDefaultExponentialGaps()
    {
        double[] gaps = RequestGaps;
        for (int i = 0; i < gaps.Length; i++)
        {
            double full = Math.Min(1000 * Math.Pow(1.5, i), 5000);
            Assert.InRange(gaps[i], full * 0.8, full);
        }
    }

    /// <summary>Starts a wait and leaves fake time to the test.</summary>
    public Task<TranslationWaitResult> Start(TranslationWaitOptions? options = null, string? jobId = null, CancellationToken cancellationToken = default) =>
        Client.WaitForCompletionAsync(jobId, options, cancellationToken);

    /// <summary>
    /// Starts a wait and runs fake time until it ends (at most two days), or for exactly <paramref name="runFor"/> when
    /// given (so what happens after the end is seen too); fails the test if the wait has not ended by then.
    /// </summary>
    public Task<TranslationWaitResult> Wait(
        TranslationWaitOptions? options = null, string? jobId = null, TimeSpan? runFor = null, CancellationToken cancellationToken = default)
    {
        var wait = Start(options, jobId, cancellationToken);
        if (runFor is TimeSpan span)
        {
            Clock.Run(span);
        }
        else
        {
            Clock.RunUntilDone(wait);
        }

        Assert.True(wait.IsCompleted, $"the wait did not end in time; requests at {string.Join(", ", RequestTimes)} ms");
        return wait;
    }

    /// <summary>
    /// One wait on a new harness for one modelled job <c>j</c> of <paramref name="seconds"/>; <paramref name="server"/>
    /// sets the server up before the job is added, <paramref name="job"/> sets the job's hints.
    /// </summary>
    public static async Task<JobWait> WaitForJob(
        double seconds, TranslationWaitOptions options, Action<FakeServer>? server = null, Action<FakeJob>? job = null, Uri? baseUri = null)
    {
        var h = new Harness(baseUri: baseUri);
        server?.Invoke(h.Server);
        FakeJob added = h.Server.Add("j", Sec(seconds));
        job?.Invoke(added);
        TranslationWaitResult result = await h.Wait(options, "j");
        return new JobWait(h, added, result);
    }

    /// <summary>Starts a batch over every id and leaves fake time to the test, through <see cref="Batch{T}.Run"/>.</summary>
    public Batch<IReadOnlyList<TranslationJobOutcome>> StartAll(
        IReadOnlyCollection<string> jobIds, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null, CancellationToken cancellationToken = default) =>
        StartBatch(jobIds?.Count ?? 0, batch, b => Client.WaitForAllAsync(jobIds!, options, b, cancellationToken));

    /// <summary>Waits on every id as one batch, running fake time until it ends; fails the test if it stops moving.</summary>
    public Task<IReadOnlyList<TranslationJobOutcome>> WaitAll(
        IReadOnlyCollection<string> jobIds, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null, CancellationToken cancellationToken = default) =>
        StartAll(jobIds, options, batch, cancellationToken).RunToEnd();

    /// <summary>Waits on every id until the first wait ends, running fake time; fails the test if it stops moving.</summary>
    public Task<TranslationJobOutcome> WaitAny(
        IReadOnlyCollection<string> jobIds, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null, CancellationToken cancellationToken = default) =>
        StartBatch(jobIds?.Count ?? 0, batch, b => Client.WaitForAnyAsync(jobIds!, options, b, cancellationToken)).RunToEnd();

    /// <summary>Starts <see cref="TranslationBatch.WaitAllAsync(IAsyncEnumerable{TranslationJobTarget}, TranslationWaitOptions?, TranslationBatchOptions?, CancellationToken)"/> over jobs of any clients and leaves fake time to the test.</summary>
    public Batch<List<TranslationJobOutcome>> StartTargets(
        IReadOnlyCollection<TranslationJobTarget> jobs, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null, CancellationToken cancellationToken = default) =>
        StartBatch(jobs.Count, batch, b => ToListAsync(TranslationBatch.WaitAllAsync(TranslationBatch.AsAsync(jobs), options, b, cancellationToken)));

    /// <summary>Waits on jobs of any clients as one batch, running fake time until it ends; the outcomes in the order they ended.</summary>
    public Task<List<TranslationJobOutcome>> WaitTargets(
        IReadOnlyCollection<TranslationJobTarget> jobs, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null) =>
        StartTargets(jobs, options, batch).RunToEnd();

    /// <summary>
    /// A streaming batch over <paramref name="input"/>, consumed by the test outcome by outcome; <paramref name="slots"/>
    /// is the ordinary slots of all its servers together (default: one server's).
    /// </summary>
    public StreamBatch Stream(
        JobFeed input, TranslationWaitOptions? options = null, TranslationBatchOptions? batch = null, int? slots = null, CancellationToken cancellationToken = default) =>
        new(this, input, options, batch, slots, cancellationToken);

    /// <summary>
    /// Starts a batch over <paramref name="input"/> through <paramref name="start"/> (e.g. WaitAnyAsync) and leaves fake
    /// time to the test; <paramref name="slots"/> as for <see cref="Stream"/>.
    /// </summary>
    public Batch<T> StartStream<T>(JobFeed input, TranslationBatchOptions? batch, Func<TranslationBatchOptions, Task<T>> start, int? slots = null)
    {
        batch ??= new TranslationBatchOptions();
        var driver = new BatchDriver(this, () => input.Taken, slots ?? batch.MaxConcurrency, batch, () => input.Queued == 0 || input.Disposed);
        return new Batch<T>(this, driver, start(batch));
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>
    /// Starts <paramref name="waits"/> waits as one batch through <paramref name="start"/> (given the batch options the
    /// driver counts finished jobs through) and leaves fake time to the test.
    /// </summary>
    public Batch<T> StartBatch<T>(int waits, TranslationBatchOptions? batch, Func<TranslationBatchOptions, Task<T>> start)
    {
        batch ??= new TranslationBatchOptions();
        var driver = new BatchDriver(this, waits, batch);
        return new Batch<T>(this, driver, start(batch));
    }

    /// <summary>Options with no jitter anywhere, so request times are exact.</summary>
    public static TranslationWaitOptions Exact(PollingStrategy strategy, TimeSpan? maxWait = null) => new()
    {
        Strategy = strategy,
        MaxWait = maxWait ?? TimeSpan.FromMinutes(10),
        RetryBackoff = new RetryBackoff(TimeSpan.FromMilliseconds(500), 2, TimeSpan.FromSeconds(30)),
    };

    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    public static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    public void Dispose()
    {
        foreach (TranslationClient client in _clients)
        {
            client.Dispose();
        }

        Client.Dispose();
        Http.Dispose();
    }

    /// <summary>A batch in progress on a harness's fake clock.</summary>
    public sealed class Batch<T>
    {
        private readonly Harness _harness;
        private readonly BatchDriver _driver;

        internal Batch(Harness harness, BatchDriver driver, Task<T> task)
        {
            _harness = harness;
            _driver = driver;
            Task = task;
        }

        public Task<T> Task { get; }

        /// <summary>Jobs whose end the batch has reported.</summary>
        public int Finished => _driver.Finished;

        /// <summary>Runs fake time until the batch ends or <paramref name="limit"/> passes; false when it stopped moving.</summary>
        public bool Run(TimeSpan? limit = null) => _driver.Run(Task, limit);

        /// <summary>Runs fake time until the batch ends (at most two days) and returns it, ended.</summary>
        public Task<T> RunToEnd()
        {
            Assert.True(Run(), $"the batch stopped moving; {_harness.Server.Requests.Count} requests");
            Assert.True(Task.IsCompleted, $"the batch did not end within two days of fake time; {_harness.Server.Requests.Count} requests");
            return Task;
        }
    }
}

/// <summary>What <see cref="Harness.WaitForJob"/> leaves: the harness (the test disposes it), the job and the result.</summary>
public sealed record JobWait(Harness H, FakeJob Job, TranslationWaitResult Result);
