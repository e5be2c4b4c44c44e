using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>GET .../status?wait=: held until the job settles or the wait passes, detectable by header.</summary>
public sealed class LongPollTests
{
    [Fact]
    public async Task Every_status_answer_advertises_long_poll_with_its_cap()
    {
        await using var sim = SimulatorFactory.WithFakeTime("LongPoll:MaxWaitSeconds=45");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        foreach (var path in new[] { "/status", $"/jobs/{id}/status" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal("45", Assert.Single(response.Headers.GetValues("X-Long-Poll-Max")));
            Assert.False(response.Headers.Contains("X-Long-Poll-Wait"));
        }

        using var capabilities = await client.GetAsync("/capabilities");
        var body = await HttpAssert.JsonAsync(capabilities);
        Assert.True(body.GetProperty("longPoll").GetBoolean());
        Assert.Equal(45, body.GetProperty("maxWaitSeconds").GetDouble());
    }

    [Fact]
    public async Task A_held_request_wakes_when_the_job_completes_not_when_the_wait_ends()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 3, outcome: "completed");

        var held = client.GetAsync($"/jobs/{id}/status?wait=30");
        await HttpAssert.HeldAsync(client, id, 1);
        Assert.False(held.IsCompleted);

        sim.Time!.Advance(TimeSpan.FromSeconds(3)); // far short of the 30 s wait
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("completed", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
        Assert.Equal("30", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
        Assert.Equal(0, (await HttpAssert.JobAsync(client, id)).GetProperty("heldRequests").GetInt32());
    }

    [Fact]
    public async Task A_held_request_on_a_failing_job_wakes_with_error()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 3, outcome: "error");

        var held = client.GetAsync($"/jobs/{id}/status?wait=30");
        await HttpAssert.HeldAsync(client, id, 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(3));
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("error", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_held_request_answers_pending_when_the_wait_ends_first()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        var held = client.GetAsync($"/jobs/{id}/status?wait=5");
        await HttpAssert.HeldAsync(client, id, 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(held.IsCompleted); // no timer due yet, so nothing can have answered it
        sim.Time.Advance(TimeSpan.FromSeconds(0.1));

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        var body = await HttpAssert.JsonAsync(response);
        Assert.Equal("pending", body.GetProperty("result").GetString());
        Assert.Equal(55, body.GetProperty("etaSeconds").GetDouble(), 6);
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
    }

    [Fact]
    public async Task The_wait_is_capped_and_the_cap_is_echoed()
    {
        await using var sim = SimulatorFactory.WithFakeTime("LongPoll:MaxWaitSeconds=2");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        var held = client.GetAsync($"/jobs/{id}/status?wait=100");
        await HttpAssert.HeldAsync(client, id, 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(2));

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pending", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
    }

    [Fact]
    public async Task Get_status_long_polls_the_startup_job_too()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Delay:Model=fixed", "Delay:Seconds=4");
        using var client = sim.CreateClient();

        var held = client.GetAsync("/status?wait=20");
        await HttpAssert.HeldAsync(client, "default", 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(4));
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("{\"result\":\"completed\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wait_on_a_finished_job_answers_at_once()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 0);

        // The fake clock never moves here, so only an immediate answer can arrive.
        using var response = await client.GetAsync($"/jobs/{id}/status?wait=30").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("completed", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Deleting_a_job_releases_its_held_requests_with_404()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        var held = client.GetAsync($"/jobs/{id}/status?wait=30");
        await HttpAssert.HeldAsync(client, id, 1);
        using var deleted = await client.DeleteAsync($"/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("")]
    public async Task A_bad_wait_is_a_400_problem(string wait)
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        foreach (var path in new[] { "/status", "/jobs/default/status" })
        {
            using var response = await client.GetAsync($"{path}?wait={Uri.EscapeDataString(wait)}");
            Assert.Contains($"wait is '{wait}'", await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_long_poll_off_wait_is_ignored_and_nothing_is_advertised()
    {
        await using var sim = SimulatorFactory.WithFakeTime("LongPoll:Enabled=false");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        // The fake clock never moves: a held request would never come back.
        using var response = await client.GetAsync($"/jobs/{id}/status?wait=30").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pending", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
        Assert.False(response.Headers.Contains("X-Long-Poll-Max"));
        Assert.False(response.Headers.Contains("X-Long-Poll-Wait"));

        using var bad = await client.GetAsync("/status?wait=abc");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode); // an original server ignores unknown query parameters

        using var capabilities = await client.GetAsync("/capabilities");
        Assert.False((await HttpAssert.JsonAsync(capabilities)).GetProperty("longPoll").GetBoolean());
    }

    [Fact]
    public async Task On_the_real_clock_a_held_request_answers_soon_after_completion()
    {
        await using var sim = await KestrelSimulator.StartAsync([]);
        var id = await HttpAssert.CreateJobAsync(sim.Client, delaySeconds: 0.3);

        using var response = await sim.Client.GetAsync($"/jobs/{id}/status?wait=20");
        var answeredAt = DateTimeOffset.UtcNow;
        Assert.Equal("completed", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());

        var completesAt = (await HttpAssert.JobAsync(sim.Client, id)).GetProperty("completesAt").GetDateTimeOffset();
        var lateness = answeredAt - completesAt;
        Assert.True(lateness < TimeSpan.FromSeconds(1), $"Answered {lateness.TotalMilliseconds:0} ms after completion; the wait was 20 s.");
    }

    [Fact]
    public async Task On_the_real_clock_a_fractional_wait_times_out_no_earlier_than_asked()
    {
        await using var sim = await KestrelSimulator.StartAsync([]);
        var id = await HttpAssert.CreateJobAsync(sim.Client, delaySeconds: 60);

        var watch = Stopwatch.StartNew();
        using var response = await sim.Client.GetAsync($"/jobs/{id}/status?wait=0.2");
        watch.Stop();
        Assert.Equal("pending", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
        Assert.Equal("0.2", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stopping_the_server_answers_held_requests_at_once()
    {
        await using var sim = await KestrelSimulator.StartAsync([]);
        var id = await HttpAssert.CreateJobAsync(sim.Client, delaySeconds: 120);
        var held = sim.Client.GetAsync($"/jobs/{id}/status?wait=60");
        await HttpAssert.HeldAsync(sim.Client, id, 1);

        // Without the release the stop would wait for the 60 s wait (or Kestrel's 30 s shutdown timeout).
        var watch = Stopwatch.StartNew();
        await sim.StopAsync();
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("pending", (await HttpAssert.JsonAsync(response)).GetProperty("result").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"Stopping took {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_thousand_held_requests_need_no_thread_each_and_all_wake_on_completion()
    {
        const int Held = 1000;
        var time = new FakeTimeProvider();
        await using var sim = await KestrelSimulator.StartAsync([], services => services.AddSingleton<TimeProvider>(time));
        var id = await HttpAssert.CreateJobAsync(sim.Client, delaySeconds: 10, outcome: "completed");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Held + 10 };
        using var client = new HttpClient(handler) { BaseAddress = sim.Url, Timeout = TimeSpan.FromSeconds(120) };
        var requests = Enumerable.Range(0, Held).Select(_ => client.GetStringAsync($"/jobs/{id}/status?wait=60")).ToArray();
        await HttpAssert.EventuallyAsync(
            async () => (await HttpAssert.JobAsync(sim.Client, id)).GetProperty("heldRequests").GetInt32() == Held,
            $"{Held} requests are held",
            timeoutSeconds: 60);

        // A thread per held request would show here as a thousand threads.
        Assert.True(ThreadPool.ThreadCount < Held / 2, $"{ThreadPool.ThreadCount} pool threads for {Held} held requests.");

        time.Advance(TimeSpan.FromSeconds(10));
        var bodies = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(bodies, body => Assert.Contains("\"result\":\"completed\"", body, StringComparison.Ordinal));
        var job = await HttpAssert.JobAsync(sim.Client, id);
        Assert.Equal(Held, job.GetProperty("statusRequests").GetInt64());
        Assert.Equal(0, job.GetProperty("heldRequests").GetInt32());
    }
}
