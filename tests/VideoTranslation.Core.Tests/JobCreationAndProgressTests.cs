using System.Net;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class JobCreationAndProgressTests
{
    [Fact]
    public async Task Creating_a_job_posts_the_request_and_returns_its_id_and_status_url()
    {
        using var h = new Harness(baseUri: new Uri("http://jobs.test/api/"));
        string? sentBody = null;
        HttpMethod? sentMethod = null;
        h.Server.Respond = async (_, ct) =>
        {
            var request = h.Server.LastRequestMessage!;
            sentMethod = request.Method;
            sentBody = await request.Content!.ReadAsStringAsync(ct);
            return FakeServer.Json("""{"id":"a b","result":"pending"}""", HttpStatusCode.Created);
        };

        var job = await h.Client.CreateJobAsync(new TranslationJobRequest { Delay = Ms(1500), Outcome = TranslationState.Error });

        Assert.Equal(HttpMethod.Post, sentMethod);
        Assert.Equal("http://jobs.test/api/jobs", Assert.Single(h.Server.Requests).Uri.AbsoluteUri);
        Assert.Equal("""{"delaySeconds":1.5,"outcome":"error"}""", sentBody);
        Assert.Equal(("a b", TranslationState.Pending), (job.Id, job.State));
        Assert.Equal("http://jobs.test/api/jobs/a%20b/status", job.StatusUri.AbsoluteUri);
        Assert.Equal("http://jobs.test/api/", job.Uri.AbsoluteUri);
        Assert.Equal(TestClock.T0, job.CreatedAt);
    }

    [Fact]
    public async Task Creating_a_job_without_settings_sends_an_empty_object()
    {
        using var h = new Harness();
        string? sentBody = null;
        h.Server.Respond = async (_, ct) =>
        {
            sentBody = await h.Server.LastRequestMessage!.Content!.ReadAsStringAsync(ct);
            return FakeServer.Json("""{"id":"j1"}""", HttpStatusCode.Created);
        };

        var job = h.Client.CreateJob();

        Assert.Equal("{}", sentBody);
        Assert.Equal("j1", job.Id);
    }

    [Theory]
    [InlineData("""{"result":"pending"}""", "has no string \"id\"")]
    [InlineData("""{"id":""}""", "has no string \"id\"")]
    [InlineData("""{"id":"x","result":"later"}""", "has a \"result\" that is none of")]
    [InlineData("nope", "is not valid JSON")]
    public async Task A_creation_answer_without_a_job_is_a_protocol_error(string body, string problem)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json(body, HttpStatusCode.Created));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.CreateJobAsync());

        Assert.Contains(problem, ex.Problem);
        Assert.StartsWith("POST http://jobs.test/jobs answered with something that is not what the protocol says: ", ex.Message);
    }

    [Fact]
    public async Task A_refused_creation_is_an_http_error_naming_the_method_and_is_not_retried()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("""{"detail":"bad delay"}""", HttpStatusCode.BadRequest));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.CreateJobAsync());

        Assert.StartsWith("POST http://jobs.test/jobs answered HTTP 400", ex.Message);
        Assert.Contains("the server says: bad delay", ex.Message);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_creation_that_may_heal_is_retried_with_the_same_idempotency_key()
    {
        using var h = new Harness();
        h.Server.Sequence(
            () => FakeServer.Json("""{"detail":"too many live jobs"}""", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("""{"id":"j9","result":"pending"}""", HttpStatusCode.Created));

        var create = h.Client.CreateJobAsync();
        h.Clock.RunUntilDone(create);
        TranslationJob job = await create;

        Assert.Equal("j9", job.Id);
        Assert.Equal(2, h.Server.Requests.Count);
        string[] keys = h.Server.Requests.Select(r => KeyOf(r)).ToArray();
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(32, keys[0].Length);
    }

    [Fact]
    public async Task A_creation_that_keeps_failing_ends_after_MaxTransportRetries_with_the_last_error()
    {
        using var h = new Harness(o => o.MaxTransportRetries = 2);
        h.Server.Sequence(
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("""{"id":"never"}""", HttpStatusCode.Created));

        var create = h.Client.CreateJobAsync(new TranslationJobRequest { IdempotencyKey = "mine-1" });
        h.Clock.RunUntilDone(create);

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => create);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(3, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Equal("mine-1", KeyOf(r)));
    }

    private static string KeyOf(RecordedRequest request) =>
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(request.Headers, @"^Idempotency-Key: (\S+)\r?$", System.Text.RegularExpressions.RegexOptions.Multiline)).Groups[1].Value;

    [Fact]
    public void Job_request_settings_are_validated()
    {
        Assert.Contains("Delay must be between 0 and 1.00:00:00; it was -1 s.", Assert.Throws<ArgumentOutOfRangeException>(() => new TranslationJobRequest { Delay = Sec(-1) }).Message);
        Assert.Contains("Outcome must be Completed or Error", Assert.Throws<ArgumentOutOfRangeException>(() => new TranslationJobRequest { Outcome = TranslationState.Pending }).Message);
    }

    [Fact]
    public async Task Progress_is_reported_after_every_check_that_does_not_end_the_wait()
    {
        using var h = new Harness();
        h.Server.Sequence(
            () => FakeServer.Json("""{"result":"pending","progress":0.2}"""),
            () => FakeServer.Json("", HttpStatusCode.BadGateway),
            () => FakeServer.Json("""{"result":"pending","progress":0.7}"""),
            () => FakeServer.Status("completed"));
        var reports = new List<TranslationWaitProgress>();
        var options = Exact(PollingStrategy.Fixed(Sec(1)));
        options.OnProgress = reports.Add;

        await h.Wait(options, jobId: "j");

        Assert.Equal(
            [(1, 0.0, 0.2, false, 1000.0), (2, 1000.0, 0.2, true, 1000.0), (3, 2000.0, 0.7, false, 1000.0)],
            reports.Select(p => (p.Attempt, p.Elapsed.TotalMilliseconds, p.LastStatus!.Progress!.Value, p.LastError is not null, p.NextCheckIn.TotalMilliseconds)));
        Assert.All(reports, p => Assert.Equal("j", p.JobId));
    }

    [Fact]
    public async Task An_exception_from_the_progress_callback_ends_the_wait_unchanged()
    {
        using var h = new Harness();
        var boom = new InvalidOperationException("display broke");
        var options = Exact(PollingStrategy.Fixed(Sec(1)));
        options.OnProgress = _ => throw boom;

        var wait = h.Wait(options);

        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => wait));
        Assert.Single(h.Server.Requests);
    }
}
