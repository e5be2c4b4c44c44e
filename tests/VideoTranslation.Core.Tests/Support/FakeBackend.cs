using System.Globalization;
using System.Net;
using System.Text;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// A scripted backend behind a <see cref="FakeServer"/>, on the fake clock: jobs that finish at a fake instant, the
/// simulator's hints (<c>progress</c>, <c>etaSeconds</c>, <c>Retry-After</c>) and its long-poll (<c>?wait=</c>, the
/// <c>X-Long-Poll-Max</c> and <c>X-Long-Poll-Wait</c> headers). A held answer is a timer on the fake clock that fires
/// when the job finishes or the hold passes, whichever is first, so a wait driven by <see cref="TestClock"/> sees it at
/// the exact instant. Routes as docs/protocol.md: <c>/status</c> is the job <c>default</c>, <c>/jobs/{id}/status</c>.
/// </summary>
public sealed class FakeBackend
{
    private readonly TestClock _clock;
    private readonly object _lock = new();
    private readonly Dictionary<string, FakeJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<FakeJob> _order = new();
    private int _timers;

    public FakeBackend(TestClock clock)
    {
        _clock = clock;
    }

    /// <summary>A backend that answers every request of <paramref name="harness"/>'s server.</summary>
    public static FakeBackend For(Harness harness)
    {
        var backend = new FakeBackend(harness.Clock);
        harness.Server.Handle = backend.Handle;
        return backend;
    }

    /// <summary>The server's long-poll limit in seconds (<c>X-Long-Poll-Max</c>); null: no long-poll, <c>wait</c> ignored.</summary>
    public double? LongPollMaxSeconds { get; set; } = 60;

    /// <summary>When false, the server advertises long-poll but answers every held request at once.</summary>
    public bool Holds { get; set; } = true;

    /// <summary>Fake time every answer takes after its hold (0: at once).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Answers waiting on a timer (held or delayed), each one fake-clock timer.</summary>
    public int PendingAnswers => Volatile.Read(ref _timers);

    /// <summary>Called with every answer before it is sent, to add or change headers.</summary>
    public Action<FakeJob, HttpResponseMessage>? Decorate { get; set; }

    public IReadOnlyList<FakeJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return _order.ToArray();
            }
        }
    }

    public FakeJob this[string id]
    {
        get
        {
            lock (_lock)
            {
                return _jobs[id];
            }
        }
    }

    /// <summary>Adds a job created now that stays pending for <paramref name="duration"/>.</summary>
    public FakeJob Add(string id, TimeSpan duration, string outcome = "completed")
    {
        var job = new FakeJob(id, _clock.GetUtcNow(), duration, outcome);
        lock (_lock)
        {
            _jobs[id] = job;
            _order.Add(job);
        }

        return job;
    }

    public Task<HttpResponseMessage> Handle(HttpRequestMessage request, int number, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        string? id = JobIdOf(uri.AbsolutePath);
        FakeJob? job = null;
        if (id is not null)
        {
            lock (_lock)
            {
                _jobs.TryGetValue(id, out job);
            }
        }

        if (job is null)
        {
            return Task.FromResult(FakeServer.Json(
                $$"""{"type":"about:blank","title":"Not Found","status":404,"detail":"No job '{{id}}'."}""",
                HttpStatusCode.NotFound));
        }

        double? wait = WaitOf(uri.Query);
        DateTimeOffset now = _clock.GetUtcNow();
        Interlocked.Increment(ref job.RequestCount);
        DateTimeOffset answerAt = now;
        double? honoured = null;
        if (wait is double w && LongPollMaxSeconds is double max)
        {
            honoured = Math.Min(w, max);
            if (Holds && !job.IsDone(now) && honoured > 0)
            {
                DateTimeOffset holdEnd = now + TimeSpan.FromSeconds(honoured.Value);
                answerAt = holdEnd < job.FinishAt ? holdEnd : job.FinishAt;
            }
        }

        answerAt += Latency;
        return At(answerAt, () => Answer(job, honoured), cancellationToken);
    }

    private HttpResponseMessage Answer(FakeJob job, double? honoured)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        bool done = job.IsDone(now);
        TimeSpan remaining = done ? TimeSpan.Zero : job.FinishAt - now;
        var body = new StringBuilder();
        body.Append("{\"id\":\"").Append(job.Id).Append("\",\"result\":\"").Append(done ? job.Outcome : "pending").Append('"');
        double? eta = null;
        if (!done)
        {
            if (job.Progress)
            {
                double p = Math.Round((now - job.CreatedAt).TotalSeconds / job.Duration.TotalSeconds, 4);
                body.Append(CultureInfo.InvariantCulture, $",\"progress\":{p.ToString("R", CultureInfo.InvariantCulture)}");
            }

            eta = job.Eta?.Invoke(remaining);
            if (eta is double e && job.EtaInBody)
            {
                body.Append(CultureInfo.InvariantCulture, $",\"etaSeconds\":{Math.Round(e, 3).ToString("R", CultureInfo.InvariantCulture)}");
            }
        }

        body.Append('}');
        var response = FakeServer.Json(body.ToString());
        if (!done && job.RetryAfter && (eta ?? remaining.TotalSeconds) is double ra)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(ra))));
        }

        if (LongPollMaxSeconds is double max)
        {
            response.Headers.Add("X-Long-Poll-Max", max.ToString("R", CultureInfo.InvariantCulture));
            if (honoured is double h)
            {
                response.Headers.Add("X-Long-Poll-Wait", h.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        if (done)
        {
            lock (job)
            {
                job.FirstServedFinal ??= now;
            }
        }

        Decorate?.Invoke(job, response);
        return response;
    }

    /// <summary>An answer built at the fake instant <paramref name="when"/>; cancelled with the request.</summary>
    public Task<HttpResponseMessage> At(DateTimeOffset when, Func<HttpResponseMessage> build, CancellationToken cancellationToken)
    {
        TimeSpan due = when - _clock.GetUtcNow(); // read once: another thread may be moving the clock
        if (due <= TimeSpan.Zero)
        {
            return Task.FromResult(build());
        }

        // Completed from the timer's callback (not an awaiting async method): the client's continuation then runs
        // inline on the clock's thread, so the test sees the answer as soon as the clock call returns.
        var answer = new TaskCompletionSource<HttpResponseMessage>();
        ITimer? timer = null;
        CancellationTokenRegistration registration = default;
        int ended = 0;
        void End()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                Interlocked.Decrement(ref _timers);
            }
        }

        Interlocked.Increment(ref _timers);
        timer = _clock.CreateTimer(
            _ =>
            {
                registration.Dispose();
                timer?.Dispose();
                End();
                if (!answer.Task.IsCompleted)
                {
                    answer.TrySetResult(build());
                }
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
        registration = cancellationToken.Register(() =>
        {
            timer.Dispose();
            End();
            answer.TrySetCanceled(cancellationToken);
        });
        return answer.Task;
    }

    private static string? JobIdOf(string path)
    {
        if (path.EndsWith("/status", StringComparison.Ordinal) && !path.Contains("/jobs/", StringComparison.Ordinal))
        {
            return "default";
        }

        const string prefix = "/jobs/";
        int at = path.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0 || !path.EndsWith("/status", StringComparison.Ordinal))
        {
            return null;
        }

        string id = path.Substring(at + prefix.Length, path.Length - at - prefix.Length - "/status".Length);
        return Uri.UnescapeDataString(id);
    }

    private static double? WaitOf(string query)
    {
        foreach (string part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("wait=", StringComparison.Ordinal))
            {
                return double.Parse(part.AsSpan(5), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}

/// <summary>One job of a <see cref="FakeBackend"/>.</summary>
public sealed class FakeJob
{
    internal int RequestCount;

    public FakeJob(string id, DateTimeOffset createdAt, TimeSpan duration, string outcome)
    {
        Id = id;
        CreatedAt = createdAt;
        Duration = duration;
        Outcome = outcome;
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    public TimeSpan Duration { get; }

    public DateTimeOffset FinishAt => CreatedAt + Duration;

    public string Outcome { get; }

    /// <summary>The <c>etaSeconds</c> to report for the true time left; null (or returning null): no eta.</summary>
    public Func<TimeSpan, double?>? Eta { get; set; }

    /// <summary>Whether <see cref="Eta"/> goes into the body (else it only feeds <see cref="RetryAfter"/>).</summary>
    public bool EtaInBody { get; set; } = true;

    /// <summary>Whether pending answers carry <c>progress</c> (always the truth, 4 decimals, as the simulator's).</summary>
    public bool Progress { get; set; }

    /// <summary>Whether pending answers carry <c>Retry-After</c>: the eta (else the truth) rounded up, at least 1.</summary>
    public bool RetryAfter { get; set; }

    /// <summary>Status requests this job answered.</summary>
    public int Requests => Volatile.Read(ref RequestCount);

    /// <summary>When an answer first reported the final state.</summary>
    public DateTimeOffset? FirstServedFinal { get; set; }

    /// <summary>How late the final state was first served, as the simulator's benchmark measures it.</summary>
    public TimeSpan? Lateness => FirstServedFinal - FinishAt;

    public bool IsDone(DateTimeOffset now) => now >= FinishAt;

    /// <summary>The exact time left, as the simulator's eta with no noise and scale 1.</summary>
    public static Func<TimeSpan, double?> ExactEta => remaining => remaining.TotalSeconds;

    /// <summary>The time left times <paramref name="scale"/> (the simulator's <c>Hints:EtaScale</c>).</summary>
    public static Func<TimeSpan, double?> ScaledEta(double scale) => remaining => remaining.TotalSeconds * scale;

    /// <summary>The time left times (1 + sigma·N(0, 1)), at least 0 (the simulator's <c>Hints:EtaNoise</c>).</summary>
    public static Func<TimeSpan, double?> NoisyEta(Random random, double sigma) => remaining =>
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Max(0, remaining.TotalSeconds * (1 + (sigma * z)));
    };

    /// <summary>The same eta whatever the truth.</summary>
    public static Func<TimeSpan, double?> ConstantEta(double seconds) => _ => seconds;
}
