using System.Net;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>Finished jobs expire; the store is capped.</summary>
public sealed class ResourceTests
{
    [Fact]
    public async Task A_finished_job_expires_retention_seconds_after_it_finished()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Jobs:RetentionSeconds=60");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 5);

        sim.Time!.Advance(TimeSpan.FromSeconds(5 + 59.9));
        Assert.Equal("completed", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
        sim.Time.Advance(TimeSpan.FromSeconds(0.1));

        using var gone = await client.GetAsync($"/jobs/{id}/status");
        Assert.Contains("RetentionSeconds", await HttpAssert.ProblemAsync(gone, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_job_does_not_expire()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Jobs:RetentionSeconds=1");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 100);

        sim.Time!.Advance(TimeSpan.FromSeconds(99));
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
    }

    [Fact]
    public async Task The_periodic_sweep_drops_expired_jobs_nobody_asks_about()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Jobs:RetentionSeconds=20");
        using var client = sim.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        }

        Assert.Equal(6, (await HttpAssert.JsonAsync(await client.GetAsync("/health"))).GetProperty("jobs").GetInt32());

        // Each step fires the sweep timer (every 10 s here) without a request touching the jobs.
        for (var i = 0; i < 4; i++)
        {
            sim.Time!.Advance(TimeSpan.FromSeconds(10));
        }

        var health = await HttpAssert.JsonAsync(await client.GetAsync("/health"));
        Assert.Equal(1, health.GetProperty("jobs").GetInt32()); // only the startup job is left
    }

    [Fact]
    public async Task The_startup_job_never_expires()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Delay:Model=fixed", "Delay:Seconds=1", "Jobs:RetentionSeconds=1");
        using var client = sim.CreateClient();

        sim.Time!.Advance(TimeSpan.FromHours(2));
        Assert.Equal("completed", await HttpAssert.ResultAsync(client, "/status"));
        var job = await HttpAssert.JobAsync(client, "default");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, job.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task The_store_is_capped_with_a_clear_503_and_frees_slots_on_delete_and_expiry()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Jobs:MaxLiveJobs=3", "Jobs:RetentionSeconds=30");
        using var client = sim.CreateClient();
        var first = await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        await HttpAssert.CreateJobAsync(client, delaySeconds: 1000); // with the startup job the store is full

        using (var full = await client.PostAsync("/jobs", content: null))
        {
            var detail = await HttpAssert.ProblemAsync(full, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("Jobs:MaxLiveJobs", detail, StringComparison.Ordinal);
            Assert.Contains("3 jobs", detail, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/jobs/{first}")).StatusCode);
        var third = await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsync("/jobs", content: null)).StatusCode);

        // Finished and expired, the third job's slot is free again, sweep or no sweep.
        sim.Time!.Advance(TimeSpan.FromSeconds(31));
        await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        await HttpAssert.ProblemAsync(await client.GetAsync($"/jobs/{third}"), HttpStatusCode.NotFound);
    }
}
