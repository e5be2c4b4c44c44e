using System.Globalization;
using System.Net;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// The wire-format seam: a client whose <see cref="TranslationService"/> is not the simulator's (<see cref="TaskService"/>)
/// waits, retries, holds, times out and batches exactly as before, while every request goes where the service says and
/// the service's reading alone decides the state. Nothing else in the client knows the simulator's format.
/// </summary>
public class ServiceSeamTests
{
    private static readonly Uri Tasks = new("http://tasks.test/api/");

    private static TranslationWaitOptions Fixed(double seconds = 1, double maxWaitSeconds = 600) =>
        Exact(PollingStrategy.Fixed(Sec(seconds)), Sec(maxWaitSeconds));

    private static Harness WithTasks(TaskService service, Uri? baseUri = null) =>
        new(o => o.Service = service, baseUri ?? Tasks);

    // Answers the task format from the fake server's modelled jobs: RUNNING until a job ends, then DONE or FAILED;
    // a hold (hold_ms) is kept until the job ends or the hold passes. Other requests get what the fake server answers.
    private static void AnswerAsTasks(Harness h, double? holdMaxMs = null)
    {
        h.Server.Handle = (request, n, ct) =>
        {
            Uri uri = request.RequestUri!;
            if (uri.Host != Tasks.Host)
            {
                return h.Server.Answer(request, n, ct);
            }

            if (TaskService.JobOf(uri) is not string id || h.Server.Jobs.FirstOrDefault(j => j.Id == id) is not FakeJob job)
            {
                return Task.FromResult(FakeServer.Json("""{"error":"no such task"}""", HttpStatusCode.NotFound));
            }

            DateTimeOffset now = h.Clock.GetUtcNow();
            double? held = null;
            DateTimeOffset answerAt = now;
            if (holdMaxMs is double max && uri.Query.StartsWith("?hold_ms=", StringComparison.Ordinal))
            {
                held = Math.Min(max, double.Parse(uri.Query.AsSpan("?hold_ms=".Length), CultureInfo.InvariantCulture));
                DateTimeOffset holdEnd = now + Ms(held.Value);
                answerAt = holdEnd < job.FinishAt ? holdEnd : job.FinishAt;
            }

            return h.Server.At(
                answerAt,
                () =>
                {
                    bool done = job.IsDone(h.Clock.GetUtcNow());
                    return TaskService.Answer(done ? (job.Outcome == "completed" ? "DONE" : "FAILED") : "RUNNING", holdMaxMs, held);
                },
                ct);
        };
    }

    private static string[] Paths(Harness h) => h.Server.Requests.Select(r => r.Uri.PathAndQuery).ToArray();

    [Fact]
    public async Task A_wait_asks_where_the_service_says_and_its_reading_decides_the_state()
    {
        var service = new TaskService();
        using var h = WithTasks(service);
        h.Server.Add("j", Sec(2));
        AnswerAsTasks(h);

        var result = await h.Wait(Fixed(), "j");

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal("DONE", result.FinalStatus.RawResult);
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/j"), result.FinalStatus.RequestUri);
        Assert.Equal(["RUNNING", "DONE"], result.History.Select(s => s.RawResult));
        Assert.Equal(["/api/v9/tasks/j", "/api/v9/tasks/j", "/api/v9/tasks/j"], Paths(h));
        Assert.Equal([0, 1_000, 2_000], h.RequestTimes);
        Assert.Equal(3, service.Reads);

        // The service's own header, and the connection's headers on every request whatever the format.
        string headers = h.Server.Requests[0].Headers;
        Assert.Contains("X-Format: v9", headers, StringComparison.Ordinal);
        Assert.Contains("application/json", headers, StringComparison.Ordinal);
        Assert.Contains("VideoTranslation.PS", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulator_format_means_nothing_to_another_service_its_protocol_error_ends_the_wait()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Sequence(() => FakeServer.Status("completed"));

        var wait = h.Wait(Fixed(), "j");

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        Assert.Equal("the answer has no string \"state\".", ex.Problem);
        Assert.Contains("completed", ex.BodyExcerpt, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/j"), ex.RequestUri);
        Assert.False(ex.IsTransient);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task The_services_format_means_nothing_to_the_simulators_service()
    {
        using var h = new Harness();
        h.Server.Sequence(() => TaskService.Answer("DONE"));

        var wait = h.Wait(Fixed(), "j");

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        Assert.Equal(new Uri("http://jobs.test/jobs/j/status"), ex.RequestUri);
    }

    [Fact]
    public async Task A_state_the_service_does_not_know_is_its_protocol_error()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Sequence(() => TaskService.Answer("RUNNING"), () => TaskService.Answer("PAUSED"));

        var wait = h.Wait(Fixed(), "j");

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        Assert.Equal("the state 'PAUSED' is none of RUNNING, DONE, FAILED.", ex.Problem);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task A_failed_job_is_what_the_service_reads_as_failed()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Add("j", Sec(1), "error");
        AnswerAsTasks(h);

        var result = await h.Wait(Fixed(), "j");

        Assert.Equal(TranslationState.Error, result.State);
        var ex = Assert.Throws<TranslationJobFailedException>(() => result.EnsureSucceeded());
        Assert.Contains("'FAILED'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("http://tasks.test/api/v9/tasks/j", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holds_are_sent_and_read_in_the_services_format_and_extend_the_request_timeout()
    {
        var service = new TaskService();
        using var h = new Harness(o => { o.Service = service; o.RequestTimeout = Sec(5); }, Tasks);
        h.Server.Add("j", Sec(45));
        AnswerAsTasks(h, holdMaxMs: 30_000);

        var result = await h.Wait(Exact(new LongPollStrategy()), "j");

        // Held 30 s (past the 5 s request timeout) by the service's own headers, the next hold at once, seen at 45 s.
        Assert.Equal(["/api/v9/tasks/j?hold_ms=30000", "/api/v9/tasks/j?hold_ms=30000"], Paths(h));
        Assert.Equal([0, 30_000], h.RequestTimes);
        Assert.Equal(Sec(45), result.Elapsed);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([true, true], service.HeldFlags);
        Assert.Equal(Sec(30), result.FinalStatus.LongPollHeld); // the hold granted, as the service reads it
        Assert.Equal(Sec(30), result.FinalStatus.LongPollLimit);
    }

    [Fact]
    public async Task Without_the_services_long_poll_header_the_wait_polls_by_the_fallback()
    {
        var service = new TaskService();
        using var h = WithTasks(service);
        h.Server.Add("j", Sec(3));
        AnswerAsTasks(h, holdMaxMs: null);

        var result = await h.Wait(Exact(new LongPollStrategy(fallback: new FixedStrategy(Sec(1)))), "j");

        Assert.Equal(["/api/v9/tasks/j?hold_ms=30000", "/api/v9/tasks/j", "/api/v9/tasks/j", "/api/v9/tasks/j"], Paths(h));
        Assert.Equal([true, false, false, false], service.HeldFlags);
        Assert.Equal(Sec(3), result.Elapsed);
    }

    [Fact]
    public async Task HTTP_failures_are_classified_the_same_for_every_service()
    {
        var service = new TaskService();
        using var h = WithTasks(service);
        h.Server.Sequence(
            () => FakeServer.Json("{}", HttpStatusCode.ServiceUnavailable, retryAfter: Sec(3)),
            () => TaskService.Answer("RUNNING"),
            () => FakeServer.Json("{}", HttpStatusCode.NotFound));

        var wait = h.Wait(Fixed(), "j");

        // 503 is retried after its Retry-After, 404 ends the wait; the service reads only the 2xx answer.
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/j"), ex.RequestUri);
        Assert.Equal([0, 3_000, 4_000], h.RequestTimes);
        Assert.Equal(1, service.Reads);
    }

    [Fact]
    public async Task The_size_cap_is_the_connections_and_the_service_never_reads_an_answer_over_it()
    {
        var service = new TaskService();
        using var h = new Harness(o => { o.Service = service; o.MaxResponseBytes = 1024; }, Tasks);
        h.Server.Sequence(() => FakeServer.Json("{\"state\":\"DONE\",\"pad\":\"" + new string('x', 2000) + "\"}"));

        var wait = h.Wait(Fixed(), "j");

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        Assert.Contains("1024-byte limit (MaxResponseBytes)", ex.Problem, StringComparison.Ordinal);
        Assert.Equal(0, service.Reads);
    }

    [Fact]
    public async Task A_timeout_names_the_services_status_url()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Sequence(() => TaskService.Answer("RUNNING"));

        var wait = h.Wait(Fixed(maxWaitSeconds: 3), "j");

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/j"), ex.RequestUri);
        Assert.Contains("http://tasks.test/api/v9/tasks/j", ex.Message, StringComparison.Ordinal);
        Assert.Equal("RUNNING", ex.LastStatus!.RawResult);
    }

    [Fact]
    public async Task Status_urls_single_checks_and_job_creation_go_through_the_service()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Sequence(() => FakeServer.Json("""{"task":"t-7"}"""), () => TaskService.Answer("RUNNING"));

        Assert.Equal(new Uri("http://tasks.test/api/v9/task"), h.Client.GetStatusUri());
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/a%20b"), h.Client.GetStatusUri("a b"));
        Assert.Equal("http://tasks.test/api/v9/task", new TranslationJobTarget(h.Client).ToString());

        var job = await h.Client.CreateJobAsync();
        var status = await h.Client.GetStatusAsync(job.Id);

        Assert.Equal("t-7", job.Id);
        Assert.Equal(new Uri("http://tasks.test/api/v9/tasks/t-7"), job.StatusUri);
        Assert.Equal(Tasks, job.Uri);
        Assert.Equal(["POST /api/v9/tasks", "GET /api/v9/tasks/t-7"], h.Server.Requests.Select((r, i) => (i == 0 ? "POST " : "GET ") + r.Uri.AbsolutePath));
        Assert.Equal(TranslationState.Pending, status.State);
        Assert.Equal("t-7", status.JobId);
    }

    [Fact]
    public async Task The_services_error_for_a_created_job_is_a_protocol_error()
    {
        using var h = WithTasks(new TaskService());
        h.Server.Sequence(() => FakeServer.Json("""{"id":"sim-style"}"""));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.CreateJobAsync());

        Assert.Equal("the answer has no string \"task\".", ex.Problem);
        Assert.Contains("POST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_runs_through_the_service()
    {
        var service = new TaskService();
        using var h = WithTasks(service);
        h.Server.Add("a", Sec(3));
        h.Server.Add("b", Sec(1));
        h.Server.Add("c", Sec(2), "error");
        AnswerAsTasks(h);

        var outcomes = await h.WaitAll(["a", "b", "c", "missing"], Fixed());

        Assert.Equal([Sec(3), Sec(1), Sec(2)], outcomes.Take(3).Select(o => o.Result!.Elapsed));
        Assert.Equal(["DONE", "DONE", "FAILED"], outcomes.Take(3).Select(o => o.Result!.FinalStatus.RawResult));
        Assert.Equal(404, Assert.IsType<TranslationHttpException>(outcomes[3].Error).StatusCode);
        Assert.All(h.Server.Requests, r => Assert.StartsWith("/api/v9/tasks/", r.Uri.AbsolutePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_clients_with_different_services_wait_in_one_batch_each_in_its_own_format()
    {
        var service = new TaskService();
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        TranslationClient tasks = h.AddClient(Tasks, o => o.Service = service);
        h.Server.Add("s1", Sec(2));
        h.Server.Add("t1", Sec(1));
        h.Server.Add("s2", Sec(4));
        h.Server.Add("t2", Sec(3), "error");
        AnswerAsTasks(h);

        var outcomes = await h.WaitTargets(
            [new(h.Client, "s1"), new(tasks, "t1"), new(h.Client, "s2"), new(tasks, "t2")],
            Fixed());

        Assert.Equal(["t1", "s1", "t2", "s2"], outcomes.Select(o => o.JobId));
        Assert.Equal(["DONE", "completed", "FAILED", "completed"], outcomes.Select(o => o.Result!.FinalStatus.RawResult));
        Assert.Same(tasks, outcomes[0].Target.Client);
        var simulator = h.Server.Requests.Where(r => r.Uri.Host == "jobs.test").Select(r => r.Uri.AbsolutePath).Distinct();
        var other = h.Server.Requests.Where(r => r.Uri.Host == "tasks.test").Select(r => r.Uri.AbsolutePath).Distinct();
        Assert.Equal(["/jobs/s1/status", "/jobs/s2/status"], simulator.Order());
        Assert.Equal(["/api/v9/tasks/t1", "/api/v9/tasks/t2"], other.Order());
        Assert.Equal(h.Server.Requests.Count(r => r.Uri.Host == "tasks.test"), service.Reads);
    }

    [Fact]
    public void The_service_is_the_simulators_unless_set_and_cannot_be_null()
    {
        Assert.Same(SimulatorService.Instance, new TranslationClientOptions().Service);
        Assert.Equal("Service", Assert.Throws<ArgumentNullException>(() => new TranslationClientOptions().Service = null!).ParamName);

        var service = new TaskService();
        var options = new TranslationClientOptions { Service = service };
        using var client = new TranslationClient(Tasks, options);
        options.Service = SimulatorService.Instance; // copied at construction
        Assert.Same(service, client.Connection.Service);
    }
}
