using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_healthy_with_the_job_count()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Jobs:MaxLiveJobs=50");
        using var client = sim.CreateClient();
        await HttpAssert.CreateJobAsync(client, delaySeconds: 1);

        var health = await HttpAssert.JsonAsync(await client.GetAsync("/health"));
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(2, health.GetProperty("jobs").GetInt32());
        Assert.Equal(50, health.GetProperty("maxJobs").GetInt32());
    }

    [Fact]
    public async Task Capabilities_name_the_startup_job()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        var capabilities = await HttpAssert.JsonAsync(await client.GetAsync("/capabilities"));
        Assert.Equal("default", capabilities.GetProperty("startupJobId").GetString());
        Assert.True(capabilities.GetProperty("hints").GetBoolean());
    }
}
