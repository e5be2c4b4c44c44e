using System.Net;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>The wire contract of docs/protocol.md, on a fake clock so every state is reached exactly.</summary>
public sealed class ContractTests
{
    [Fact]
    public async Task Status_keeps_the_original_one_field_body_and_goes_pending_then_completed()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Delay:Model=fixed", "Delay:Seconds=10");
        using var client = sim.CreateClient();

        using (var pending = await client.GetAsync("/status"))
        {
            Assert.Equal("{\"result\":\"pending\"}", await pending.Content.ReadAsStringAsync());
            Assert.Equal("application/json", pending.Content.Headers.ContentType?.MediaType);
        }

        sim.Time!.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));

        sim.Time.Advance(TimeSpan.FromMilliseconds(1));
        using var completed = await client.GetAsync("/status");
        Assert.Equal("{\"result\":\"completed\"}", await completed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failing_startup_job_reports_pending_until_its_delay_passes_and_then_error()
    {
        await using var sim = SimulatorFactory.WithFakeTime(
            "Delay:Model=fixed", "Delay:Seconds=5", "Error:Model=fixed", "Error:Probability=1");
        using var client = sim.CreateClient();

        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));
        sim.Time!.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));
        sim.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("error", await HttpAssert.ResultAsync(client, "/status"));
        sim.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("error", await HttpAssert.ResultAsync(client, "/status"));
    }

    [Fact]
    public async Task A_job_created_with_outcome_error_is_pending_until_its_delay_and_then_error()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 2, outcome: "error");

        Assert.Equal("pending", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
        sim.Time!.Advance(TimeSpan.FromSeconds(1.999));
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
        sim.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("error", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
    }

    [Fact]
    public async Task Post_jobs_answers_201_with_location_id_and_pending()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.PostAsync("/jobs", content: null);
        var body = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("pending", body.GetProperty("result").GetString());
        Assert.Equal($"/jobs/{id}", response.Headers.Location?.OriginalString);

        using var job = await client.GetAsync(response.Headers.Location);
        Assert.Equal(id, (await HttpAssert.JsonAsync(job)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Job_status_has_id_result_progress_eta_and_retry_after_while_pending()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);
        sim.Time!.Advance(TimeSpan.FromSeconds(4));

        using var response = await client.GetAsync($"/jobs/{id}/status");
        var body = await HttpAssert.JsonAsync(response);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("pending", body.GetProperty("result").GetString());
        Assert.Equal(0.4, body.GetProperty("progress").GetDouble(), 6);
        Assert.Equal(6, body.GetProperty("etaSeconds").GetDouble(), 6);
        Assert.Equal(TimeSpan.FromSeconds(6), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Retry_after_rounds_a_sub_second_eta_up_to_one_second()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 0.25);

        using var response = await client.GetAsync($"/jobs/{id}/status");
        var body = await HttpAssert.JsonAsync(response);
        Assert.Equal(0.25, body.GetProperty("etaSeconds").GetDouble(), 6);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_finished_job_status_has_no_hints()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 1, outcome: "completed");
        sim.Time!.Advance(TimeSpan.FromSeconds(1));

        using var response = await client.GetAsync($"/jobs/{id}/status");
        var body = await HttpAssert.JsonAsync(response);
        Assert.Equal("completed", body.GetProperty("result").GetString());
        Assert.False(body.TryGetProperty("progress", out _));
        Assert.False(body.TryGetProperty("etaSeconds", out _));
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Hints_switched_off_send_no_progress_eta_or_retry_after()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Hints:Enabled=false");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        using var response = await client.GetAsync($"/jobs/{id}/status");
        var body = await HttpAssert.JsonAsync(response);
        Assert.Equal("pending", body.GetProperty("result").GetString());
        Assert.False(body.TryGetProperty("progress", out _));
        Assert.False(body.TryGetProperty("etaSeconds", out _));
        Assert.Null(response.Headers.RetryAfter);

        using var capabilities = await client.GetAsync("/capabilities");
        Assert.False((await HttpAssert.JsonAsync(capabilities)).GetProperty("hints").GetBoolean());
    }

    [Fact]
    public async Task Eta_scale_makes_the_hint_consistently_wrong()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Hints:EtaScale=0.5");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        using var response = await client.GetAsync($"/jobs/{id}/status");
        Assert.Equal(5, (await HttpAssert.JsonAsync(response)).GetProperty("etaSeconds").GetDouble(), 6);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Eta_noise_scatters_the_hint_around_the_truth()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Hints:EtaNoise=0.5", "Seed=42");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 100);

        var etas = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await client.GetAsync($"/jobs/{id}/status");
            etas.Add((await HttpAssert.JsonAsync(response)).GetProperty("etaSeconds").GetDouble());
        }

        // True ETA is 100 s; relative noise 0.5 gives a standard deviation near 50 s around a mean near 100 s.
        Assert.All(etas, eta => Assert.True(eta >= 0));
        var mean = etas.Average();
        var sd = Math.Sqrt(etas.Sum(e => (e - mean) * (e - mean)) / (etas.Count - 1));
        Assert.InRange(mean, 85, 115);
        Assert.InRange(sd, 35, 65);
    }

    [Fact]
    public async Task Get_job_reports_settings_and_server_side_times()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var start = sim.Time!.GetUtcNow();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 3, outcome: "error");

        var pending = await HttpAssert.JobAsync(client, id);
        Assert.Equal("pending", pending.GetProperty("result").GetString());
        Assert.Equal(3, pending.GetProperty("delaySeconds").GetDouble());
        Assert.Equal("error", pending.GetProperty("outcome").GetString());
        Assert.True(pending.GetProperty("delayOverridden").GetBoolean());
        Assert.True(pending.GetProperty("outcomeOverridden").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("errorProbability").ValueKind);
        Assert.Equal(start, pending.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(3), pending.GetProperty("completesAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("completedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("resultFirstServedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("expiresAt").ValueKind);

        sim.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("error", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("error", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));

        var done = await HttpAssert.JobAsync(client, id);
        Assert.Equal("error", done.GetProperty("result").GetString());
        Assert.Equal(start.AddSeconds(3), done.GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(5), done.GetProperty("resultFirstServedAt").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(3 + 300), done.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(2, done.GetProperty("statusRequests").GetInt64());
    }

    [Fact]
    public async Task A_drawn_job_reports_its_drawn_error_probability()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Error:Model=fixed", "Error:Probability=0.25");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client);

        var job = await HttpAssert.JobAsync(client, id);
        Assert.Equal(0.25, job.GetProperty("errorProbability").GetDouble());
        Assert.False(job.GetProperty("delayOverridden").GetBoolean());
        Assert.InRange(job.GetProperty("delaySeconds").GetDouble(), 15, 30);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_job_is_gone()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        using var deleted = await client.DeleteAsync($"/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var status = await client.GetAsync($"/jobs/{id}/status");
        Assert.Contains(id, await HttpAssert.ProblemAsync(status, HttpStatusCode.NotFound), StringComparison.Ordinal);
        using var again = await client.DeleteAsync($"/jobs/{id}");
        await HttpAssert.ProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_startup_job_cannot_be_deleted()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.DeleteAsync("/jobs/default");
        Assert.Contains("GET /status", await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/jobs/default/status"));
    }

    [Theory]
    [InlineData("/jobs/nope/status")]
    [InlineData("/jobs/nope")]
    public async Task An_unknown_job_is_a_404_problem_naming_the_id(string path)
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.GetAsync(path);
        Assert.Contains("'nope'", await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"delaySeconds\":-1}", "delaySeconds is -1")]
    [InlineData("{\"delaySeconds\":90000}", "delaySeconds is 90000")]
    [InlineData("{\"outcome\":\"maybe\"}", "outcome is 'maybe'")]
    [InlineData("{\"delay\":5}", "delay")]
    [InlineData("{\"delaySeconds\":", "not valid JSON")]
    [InlineData("[1,2]", "not valid JSON")]
    [InlineData("null", "JSON null")]
    public async Task A_bad_create_body_is_a_400_problem_that_says_what_is_wrong(string json, string expected)
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.PostAsync("/jobs", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.GetAsync("/nothing-here");
        Assert.Contains("GET /nothing-here", await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        using var response = await client.PostAsync("/status", content: null);
        Assert.Contains("does not accept POST", await HttpAssert.ProblemAsync(response, HttpStatusCode.MethodNotAllowed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_camel_case()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        var text = await client.GetStringAsync($"/jobs/{id}/status");
        Assert.Contains("\"etaSeconds\":", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"EtaSeconds\"", text, StringComparison.Ordinal);
    }
}
