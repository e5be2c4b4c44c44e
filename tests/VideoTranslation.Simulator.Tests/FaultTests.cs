using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>Injected faults: each kind, where they apply, the unavailable window, and run-time changes.</summary>
public sealed class FaultTests
{
    private static readonly string[] StatusPaths = ["/status", "/jobs/default/status"];

    [Fact]
    public async Task Internal_error_answers_500_problem_on_both_status_routes()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:InternalErrorProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            Assert.Contains("InternalErrorProbability", await HttpAssert.ProblemAsync(response, HttpStatusCode.InternalServerError), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Service_unavailable_answers_503_problem()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:ServiceUnavailableProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            Assert.Contains("ServiceUnavailableProbability", await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Too_many_requests_answers_429_with_the_configured_retry_after()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:TooManyRequestsProbability=1", "Faults:RetryAfterSeconds=7");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task Too_many_requests_can_give_retry_after_as_an_http_date_rounded_up_to_the_second()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:TooManyRequestsProbability=1", "Faults:RetryAfterSeconds=7", "Faults:RetryAfterFormat=Date");
        using var client = sim.CreateClient();
        var now = sim.Time!.GetUtcNow();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests);
            Assert.Null(response.Headers.RetryAfter?.Delta);
            var date = Assert.IsType<DateTimeOffset>(response.Headers.RetryAfter?.Date);
            Assert.InRange(date - now, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(8));
        }
    }

    [Fact]
    public async Task Slow_answers_the_real_status_after_the_slow_delay()
    {
        await using var sim = SimulatorFactory.With("Faults:SlowProbability=1", "Faults:SlowSeconds=0.3");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            watch.Stop();
            Assert.Equal("pending", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Answered after {watch.Elapsed.TotalMilliseconds:0} ms.");
        }
    }

    [Fact]
    public async Task Malformed_body_is_200_json_that_no_parser_accepts()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:MalformedBodyProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        }
    }

    [Fact]
    public async Task Unknown_result_is_200_with_a_result_outside_the_contract()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:UnknownResultProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            using var response = await client.GetAsync(path);
            var result = (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString();
            Assert.DoesNotContain(result, new[] { "pending", "completed", "error" });
        }
    }

    [Fact]
    public async Task Drop_connection_aborts_the_request_in_memory()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:DropConnectionProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in StatusPaths)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(path));
        }
    }

    [Fact]
    public async Task Drop_connection_closes_a_real_tcp_connection_without_an_answer()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--fault-drop", "1"]);

        foreach (var path in StatusPaths)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => sim.Client.GetAsync(path));
        }

        using var health = await sim.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Faults_leave_health_capabilities_admin_and_job_management_alone()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:InternalErrorProbability=1");
        using var client = sim.CreateClient();

        foreach (var path in new[] { "/health", "/capabilities", "/admin/faults", "/jobs/default" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        using var deleted = await client.DeleteAsync($"/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Fault_kinds_are_drawn_with_their_probabilities_and_counted()
    {
        await using var sim = SimulatorFactory.WithFakeTime(
            "Seed=3", "Faults:InternalErrorProbability=0.2", "Faults:TooManyRequestsProbability=0.3");
        using var client = sim.CreateClient();

        const int Requests = 400;
        var counts = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.GetAsync("/status");
            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
        }

        // Binomial standard deviations are 8 and 9 requests; the bounds are about four of them wide.
        Assert.InRange(counts.GetValueOrDefault(HttpStatusCode.InternalServerError), 48, 112);
        Assert.InRange(counts.GetValueOrDefault(HttpStatusCode.TooManyRequests), 84, 156);
        Assert.Equal(Requests, counts.Values.Sum());
        Assert.Equal(3, counts.Count); // 200, 500 and 429 only

        var injected = (await HttpAssert.JsonAsync(await client.GetAsync("/admin/faults"))).GetProperty("injected");
        Assert.Equal(counts[HttpStatusCode.InternalServerError], injected.GetProperty("internalError").GetInt64());
        Assert.Equal(counts[HttpStatusCode.TooManyRequests], injected.GetProperty("tooManyRequests").GetInt64());
    }

    [Fact]
    public async Task Unavailable_window_from_start_up_answers_503_with_retry_after_until_it_ends()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:UnavailableForSeconds=10");
        using var client = sim.CreateClient();

        using (var status = await client.GetAsync("/status"))
        {
            Assert.Contains("UnavailableForSeconds", await HttpAssert.ProblemAsync(status, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(10), status.Headers.RetryAfter?.Delta);
        }

        using (var create = await client.PostAsync("/jobs", content: null))
        {
            await HttpAssert.ProblemAsync(create, HttpStatusCode.ServiceUnavailable);
        }

        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        sim.Time!.Advance(TimeSpan.FromSeconds(7.5));
        using (var later = await client.GetAsync("/jobs/default/status"))
        {
            await HttpAssert.ProblemAsync(later, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(3), later.Headers.RetryAfter?.Delta); // 2.5 s rounded up
        }

        sim.Time.Advance(TimeSpan.FromSeconds(2.5));
        using var after = await client.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Faults_change_at_run_time_through_the_admin_endpoint()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status")).StatusCode);

        using (var put = await client.PutAsJsonAsync("/admin/faults", new { internalErrorProbability = 1.0 }))
        {
            var state = await HttpAssert.JsonAsync(put);
            Assert.Equal(1.0, state.GetProperty("faults").GetProperty("internalErrorProbability").GetDouble());
        }

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/status")).StatusCode);

        using (var put = await client.PutAsJsonAsync("/admin/faults", new { unavailableForSeconds = 3 }))
        {
            var state = await HttpAssert.JsonAsync(put);
            Assert.Equal(0, state.GetProperty("faults").GetProperty("internalErrorProbability").GetDouble()); // PUT replaces
            Assert.Equal(sim.Time!.GetUtcNow().AddSeconds(3), state.GetProperty("unavailableUntil").GetDateTimeOffset());
        }

        using (var down = await client.GetAsync("/status"))
        {
            await HttpAssert.ProblemAsync(down, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(3), down.Headers.RetryAfter?.Delta);
        }

        sim.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status")).StatusCode);

        using var get = await client.GetAsync("/admin/faults");
        var final = await HttpAssert.JsonAsync(get);
        Assert.Equal(1, final.GetProperty("injected").GetProperty("internalError").GetInt64());
        Assert.Equal(1, final.GetProperty("injected").GetProperty("unavailable").GetInt64());
    }

    [Theory]
    [InlineData("{\"internalErrorProbability\":2}", "internalErrorProbability is 2")]
    [InlineData("{\"slowProbability\":-0.5}", "slowProbability is -0.5")]
    [InlineData("{\"slowSeconds\":-1}", "slowSeconds is -1")]
    [InlineData("{\"retryAfterSeconds\":-1}", "retryAfterSeconds is -1")]
    [InlineData("{\"internalErrorProbability\":0.6,\"dropConnectionProbability\":0.6}", "add up to 1.2")]
    [InlineData("{\"internalError\":1}", "internalError")]
    [InlineData("{\"slowSeconds\":", "not valid JSON")]
    public async Task A_bad_fault_setting_is_a_400_problem_and_changes_nothing(string json, string expected)
    {
        await using var sim = SimulatorFactory.WithFakeTime("Faults:SlowSeconds=4");
        using var client = sim.CreateClient();

        using var response = await client.PutAsync("/admin/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        var state = await HttpAssert.JsonAsync(await client.GetAsync("/admin/faults"));
        Assert.Equal(4, state.GetProperty("faults").GetProperty("slowSeconds").GetDouble());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status")).StatusCode);
    }
}
