using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// The in-memory HTTP server of the core tests. Every request is recorded with the clock's time and answered, in this
/// order, by <see cref="Handle"/> if set; else an <see cref="Override"/> of its number; else the modelled jobs, once one
/// was <see cref="Add">added</see>; else the script in <see cref="Respond"/>. Answers complete synchronously unless a
/// test makes them wait, so a wait loop driven by <see cref="FakeTimeProvider.Advance"/> runs deterministically on the
/// test's thread.
/// </summary>
/// <remarks>
/// Modelled jobs finish at a fake instant and carry the simulator's hints (<c>progress</c>, <c>etaSeconds</c>,
/// <c>Retry-After</c>) and long-poll (<c>?wait=</c>, <c>X-Long-Poll-Max</c>, <c>X-Long-Poll-Wait</c>). A held answer is a
/// timer on the fake clock that fires when the job finishes or the hold passes, whichever is first, so a wait driven by
/// <see cref="TestClock"/> sees it at the exact instant. Routes as docs/protocol.md: <c>/status</c> is the job
/// <c>default</c>, else <c>/jobs/{id}/status</c>; an unknown job is a 404.
/// </remarks>
// One fake rather than a server plus a backend behind it: modelled jobs are one more way to answer, and the
// recording, in-flight counts and runaway guard that every answer needs then exist once.
public sealed partial class FakeServer : HttpMessageHandler
{
    private readonly TimeProvider _clock;
    private readonly object _lock = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly Dictionary<string, FakeJob> _jobs = new(StringComparer.Ordinal);
    private readonly List<FakeJob> _order = new();
    private readonly Dictionary<int, Func<CancellationToken, Task<HttpResponseMessage>>> _overrides = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _heldInFlight;
    private int _maxHeldInFlight;
    private int _timers;

    public FakeServer(TimeProvider clock)
    {
        _clock = clock;
        Respond = (_, _) => Task.FromResult(Json("""{"result":"pending"}"""));
    }

    public static readonly Uri BaseUri = new("http://jobs.test/");

    public const int MaxRequests = 10_000;

    /// <summary>The runaway guard; <see cref="MaxRequests"/> unless a test of many waits raises it.</summary>
    public int RequestLimit { get; set; } = MaxRequests;

    /// <summary>The script: answers one request, given its number (1-based) and cancellation token. Default: pending.</summary>
    public Func<int, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; }

    /// <summary>
    /// When set, answers every request, with the request itself (safe when requests come from several threads at once,
    /// unlike <see cref="LastRequestMessage"/>); <see cref="Answer"/> is the answer it would otherwise get.
    /// </summary>
    public Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>>? Handle { get; set; }

    /// <summary>Requests whose answer has not completed yet (held, delayed or hanging).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests that were in flight at one moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The most long-poll requests (<c>?wait=</c>) that were in flight at one moment.</summary>
    public int MaxHeldInFlight => Volatile.Read(ref _maxHeldInFlight);

    /// <summary>The request being answered, for answers that inspect it (read it inside <see cref="Respond"/>).</summary>
    public HttpRequestMessage? LastRequestMessage { get; private set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Offsets of each request from <paramref name="start"/>, in milliseconds.</summary>
    public double[] RequestOffsetsMs(DateTimeOffset start) =>
        Requests.Select(r => (r.At - start).TotalMilliseconds).ToArray();

    // ---- Scripted answers ----

    public static HttpResponseMessage Json(string body, HttpStatusCode code = HttpStatusCode.OK, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is TimeSpan delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }

    public static HttpResponseMessage Status(string result) => Json($$"""{"result":"{{result}}"}""");

    /// <summary>A job that is pending until <paramref name="finishAt"/> (fake time) and then reports <paramref name="outcome"/>.</summary>
    public void JobFinishingAt(DateTimeOffset finishAt, string outcome = "completed") =>
        Respond = (_, _) => Task.FromResult(Status(_clock.GetUtcNow() >= finishAt ? outcome : "pending"));

    /// <summary>Answers the given responses in order, then repeats the last one.</summary>
    public void Sequence(params Func<HttpResponseMessage>[] answers) =>
        Respond = (n, _) => Task.FromResult(answers[Math.Min(n, answers.Length) - 1]());

    /// <summary>Answers request <paramref name="number"/> (1-based) with <paramref name="answer"/>; the others as before.</summary>
    public void Override(int number, Func<CancellationToken, Task<HttpResponseMessage>> answer)
    {
        lock (_lock)
        {
            _overrides[number] = answer;
        }
    }

    /// <inheritdoc cref="Override(int, Func{CancellationToken, Task{HttpResponseMessage}})"/>
    public void Override(int number, Func<HttpResponseMessage> answer) => Override(number, _ => Task.FromResult(answer()));

    /// <summary>An answer that never comes: it ends, cancelled, when the request is cancelled.</summary>
    /// <remarks>
    /// Built on a TaskCompletionSource completed from the token's callback rather than on an awaiting async
    /// method: the cancellation then flows through HttpClient into the client inline, on the thread that
    /// cancelled (the fake clock's), so the test sees its effect as soon as the clock call returns.
    /// </remarks>
    public static Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>();
        cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        return answer.Task;
    }

    // ---- Modelled jobs ----

    /// <summary>The server's long-poll limit in seconds (<c>X-Long-Poll-Max</c>); null: no long-poll, <c>wait</c> ignored.</summary>
    public double? LongPollMaxSeconds { get; set; } = 60;

    /// <summary>When false, the server advertises long-poll but answers every held request at once.</summary>
    public bool Holds { get; set; } = true;

    /// <summary>Fake time every job answer takes after its hold (0: at once).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Answers waiting on a timer (held or delayed), each one fake-clock timer.</summary>
    public int PendingAnswers => Volatile.Read(ref _timers);

    /// <summary>Called with every job answer before it is sent, to add or change headers.</summary>
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

    /// <summary>Adds a job created now that stays pending for <paramref name="duration"/>; from now on jobs answer.</summary>
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

    // ---- Answering ----

    /// <summary>The answer to a request when no <see cref="Handle"/> is set: its override, else the jobs, else the script.</summary>
    public Task<HttpResponseMessage> Answer(HttpRequestMessage request, int number, CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task<HttpResponseMessage>>? replaced;
        bool modelled;
        lock (_lock)
        {
            _overrides.TryGetValue(number, out replaced);
            modelled = _order.Count > 0;
        }

        if (replaced is not null)
        {
            return replaced(cancellationToken);
        }

        if (modelled && TryAnswerGroups(request, cancellationToken) is { } grouped)
        {
            return grouped;
        }

        return modelled ? AnswerFromJobs(request.RequestUri!, cancellationToken) : Respond(number, cancellationToken);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int number;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(request.RequestUri!, _clock.GetUtcNow(), request.Headers.ToString()));
            number = _requests.Count;
            LastRequestMessage = request;
        }

        if (number > RequestLimit)
        {
            // A client polling without delay would otherwise spin forever inside one fake-clock step.
            throw new InvalidOperationException($"Runaway client: more than {RequestLimit} requests.");
        }

        int members = RecordGroup(request, out bool heldGroup);
        bool held = heldGroup || request.RequestUri!.Query.Contains("wait=", StringComparison.Ordinal);
        CountGroup(members, +1);
        CountIn(ref _inFlight, ref _maxInFlight);
        if (held)
        {
            CountIn(ref _heldInFlight, ref _maxHeldInFlight);
        }

        Task<HttpResponseMessage> answer;
        try
        {
            answer = Handle is { } handle ? handle(request, number, cancellationToken) : Answer(request, number, cancellationToken);
        }
        catch
        {
            CountOut(held, members);
            throw;
        }

        return Track(answer, held, members);
    }

    private static void CountIn(ref int counter, ref int peak)
    {
        int now = Interlocked.Increment(ref counter);
        int max;
        while (now > (max = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, max) != max)
        {
        }
    }

    private void CountOut(bool held, int members)
    {
        CountGroup(members, -1);
        Interlocked.Decrement(ref _inFlight);
        if (held)
        {
            Interlocked.Decrement(ref _heldInFlight);
        }
    }

    // Counts the request out when its answer completes, before the client sees the answer (an answer that is already
    // complete stays synchronous).
    private async Task<HttpResponseMessage> Track(Task<HttpResponseMessage> answer, bool held, int members)
    {
        try
        {
            return await answer.ConfigureAwait(false);
        }
        finally
        {
            CountOut(held, members);
        }
    }

    private Task<HttpResponseMessage> AnswerFromJobs(Uri uri, CancellationToken cancellationToken)
    {
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
            return Task.FromResult(Json(
                $$"""{"type":"about:blank","title":"Job not found","status":404,"detail":"No job '{{id}}'."}""",
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
        return At(answerAt, () => JobAnswer(job, honoured), cancellationToken);
    }

    private HttpResponseMessage JobAnswer(FakeJob job, double? honoured)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        string body = JobBody(job, now, out bool done, out double? eta);
        var response = Json(body);
        TimeSpan remaining = done ? TimeSpan.Zero : job.FinishAt - now;
        if (!done && job.RetryAfter && (eta ?? remaining.TotalSeconds) is double ra)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(ra))));
        }

        AddLongPollHeaders(response, honoured);
        Decorate?.Invoke(job, response);
        return response;
    }

    private void AddLongPollHeaders(HttpResponseMessage response, double? honoured)
    {
        if (LongPollMaxSeconds is double max)
        {
            response.Headers.Add("X-Long-Poll-Max", max.ToString("R", CultureInfo.InvariantCulture));
            if (honoured is double h)
            {
                response.Headers.Add("X-Long-Poll-Wait", h.ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    // The job's status object as of now, recorded as served (the single-job body, and one item of a group answer).
    private static string JobBody(FakeJob job, DateTimeOffset now, out bool done, out double? eta)
    {
        done = job.IsDone(now);
        TimeSpan remaining = done ? TimeSpan.Zero : job.FinishAt - now;
        var body = new StringBuilder();
        body.Append("{\"id\":\"").Append(job.Id).Append("\",\"result\":\"").Append(done ? job.Outcome : "pending").Append('"');
        eta = null;
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

        if (done && job.SaysCompletedAt)
        {
            body.Append(",\"completedAt\":\"").Append(job.FinishAt.ToString("O", CultureInfo.InvariantCulture)).Append('"');
        }

        body.Append('}');
        lock (job)
        {
            if (done)
            {
                job.FirstServedFinal ??= now;
            }
            else
            {
                job.Served.Add(new PendingAnswer(now, eta is double e && job.EtaInBody ? Math.Round(e, 3) : null));
            }
        }

        return body.ToString();
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

public sealed record RecordedRequest(Uri Uri, DateTimeOffset At, string Headers);
