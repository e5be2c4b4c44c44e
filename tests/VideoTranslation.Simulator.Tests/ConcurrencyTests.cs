using System.Net;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>--concurrency-limit: a create over the limit of unfinished jobs is 429 rate_limit_exceeded with Retry-After.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_create_over_the_limit_is_429_with_retry_after_until_a_slot_frees()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "ConcurrencyLimit=3", "Delay:Model=fixed", "Delay:Seconds=100");
        using var client = sim.CreateClient();
        await CreateV3Async(client, V3Body("German", "French"));
        sim.Time!.Advance(TimeSpan.FromSeconds(40));
        await CreateV3Async(client, V3Body("Dutch"));

        // Two more need two slots: the first two jobs end in 60 s.
        using (var request = Post(V3Path, V3Body("Italian", "Polish")))
        using (var response = await client.SendAsync(request))
        {
            await V3ErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(4, await JobCountAsync(client));
        sim.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, (await CreateV3Async(client, V3Body("Italian", "Polish"))).Length);
    }

    [Fact]
    public async Task The_heygen_modes_allow_10_unfinished_jobs_by_default()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Delay:Model=fixed", "Delay:Seconds=100");
        using var client = sim.CreateClient();

        await CreateV3Async(client, V3Body([.. Enumerable.Range(0, 10).Select(i => $"L{i}")]));
        using var request = Post(V3Path, V3Body("One more"));
        using var response = await client.SendAsync(request);

        await V3ErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
    }

    [Fact]
    public async Task Simulator_mode_has_no_limit_unless_one_is_set_and_then_answers_a_problem()
    {
        await using (var unlimited = SimulatorFactory.WithFakeTime("Delay:Model=fixed", "Delay:Seconds=100"))
        {
            using var client = unlimited.CreateClient();
            for (var i = 0; i < 12; i++)
            {
                await HttpAssert.CreateJobAsync(client);
            }
        }

        await using var limited = SimulatorFactory.WithFakeTime("ConcurrencyLimit=1", "Delay:Model=fixed", "Delay:Seconds=100");
        using var limitedClient = limited.CreateClient();
        await HttpAssert.CreateJobAsync(limitedClient);
        using var response = await limitedClient.PostAsync("/jobs", null);
        Assert.Contains("concurrency limit is 1", await HttpAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
