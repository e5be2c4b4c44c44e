using System.Net;
using System.Net.Http.Headers;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class StatusCheckTests
{
    [Theory]
    [InlineData("pending", TranslationState.Pending, false)]
    [InlineData("completed", TranslationState.Completed, true)]
    [InlineData("error", TranslationState.Error, true)]
    [InlineData("Completed", TranslationState.Completed, true)]
    [InlineData("ERROR", TranslationState.Error, true)]
    public async Task Each_result_value_maps_to_its_state(string result, TranslationState state, bool terminal)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status(result));

        var status = await h.Client.GetStatusAsync();

        Assert.Equal(state, status.State);
        Assert.Equal(result, status.RawResult);
        Assert.Equal(terminal, status.IsTerminal);
    }

    [Fact]
    public async Task The_single_job_form_asks_GET_status_and_has_no_job_id()
    {
        using var h = new Harness();

        var status = await h.Client.GetStatusAsync();

        Assert.Equal("http://jobs.test/status", Assert.Single(h.Server.Requests).Uri.AbsoluteUri);
        Assert.Null(status.JobId);
        Assert.Equal("http://jobs.test/status", status.RequestUri.AbsoluteUri);
    }

    [Fact]
    public async Task The_job_form_asks_GET_jobs_id_status_and_carries_the_id()
    {
        using var h = new Harness();

        var status = await h.Client.GetStatusAsync("job 42");

        Assert.Equal("http://jobs.test/jobs/job%2042/status", Assert.Single(h.Server.Requests).Uri.AbsoluteUri);
        Assert.Equal("job 42", status.JobId);
    }

    [Fact]
    public async Task Requests_ask_for_json_and_name_the_client()
    {
        using var h = new Harness();

        await h.Client.GetStatusAsync();

        string headers = Assert.Single(h.Server.Requests).Headers;
        Assert.Contains("Accept: application/json", headers);
        Assert.Matches(@"User-Agent: VideoTranslation\.PS/\d+\.\d+\.\d+", headers);
    }

    [Fact]
    public async Task The_observation_time_comes_from_the_time_provider()
    {
        using var h = new Harness();
        h.Clock.Advance(Sec(90));

        var status = await h.Client.GetStatusAsync();

        Assert.Equal(TestClock.T0.AddSeconds(90), status.ObservedAt);
    }

    [Fact]
    public async Task Progress_and_eta_hints_are_read_and_unknown_fields_ignored()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("""{"result":"pending","progress":0.25,"etaSeconds":12.5,"extra":{"x":[1,2]},"note":"hi"}"""));

        var status = await h.Client.GetStatusAsync();

        Assert.Equal(TranslationState.Pending, status.State);
        Assert.Equal(0.25, status.Progress);
        Assert.Equal(Sec(12.5), status.EstimatedTimeRemaining);
    }

    [Theory]
    [InlineData("""{"result":"pending","progress":1.5,"etaSeconds":-3}""")]
    [InlineData("""{"result":"pending","progress":-0.1,"etaSeconds":"soon"}""")]
    [InlineData("""{"result":"pending","progress":"half","etaSeconds":1e300}""")]
    [InlineData("""{"result":"pending","progress":null,"etaSeconds":null}""")]
    [InlineData("""{"result":"pending"}""")]
    public async Task Missing_or_invalid_hints_are_dropped_not_errors(string body)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json(body));

        var status = await h.Client.GetStatusAsync();

        Assert.Equal(TranslationState.Pending, status.State);
        Assert.Null(status.Progress);
        Assert.Null(status.EstimatedTimeRemaining);
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_read_as_a_delay()
    {
        using var h = new Harness();
        h.Server.Sequence(() =>
        {
            var r = FakeServer.Status("pending");
            r.Headers.RetryAfter = new RetryConditionHeaderValue(Sec(7));
            return r;
        });

        Assert.Equal(Sec(7), (await h.Client.GetStatusAsync()).RetryAfter);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(-30, 0)]
    public async Task Retry_after_as_an_http_date_is_read_relative_to_now(int offsetSeconds, int expectedSeconds)
    {
        using var h = new Harness();
        h.Server.Sequence(() =>
        {
            var r = FakeServer.Status("pending");
            r.Headers.TryAddWithoutValidation("Retry-After", TestClock.T0.AddSeconds(offsetSeconds).ToString("R"));
            return r;
        });

        Assert.Equal(Sec(expectedSeconds), (await h.Client.GetStatusAsync()).RetryAfter);
    }

    [Fact]
    public async Task A_retry_after_header_that_is_garbage_is_ignored()
    {
        using var h = new Harness();
        h.Server.Sequence(() =>
        {
            var r = FakeServer.Status("pending");
            r.Headers.TryAddWithoutValidation("Retry-After", "soon-ish");
            return r;
        });

        Assert.Null((await h.Client.GetStatusAsync()).RetryAfter);
    }

    [Fact]
    public void The_sync_check_returns_the_same_as_the_async_one()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("""{"result":"completed","progress":1}"""));

        var status = h.Client.GetStatus("a");

        Assert.Equal((TranslationState.Completed, 1.0, "a"), (status.State, status.Progress!.Value, status.JobId));
    }

    [Fact]
    public async Task A_single_check_throws_a_transient_failure_instead_of_retrying()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync());

        Assert.Equal(503, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Single(h.Server.Requests);
    }
}
