using System.Net;
using System.Net.Http.Json;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>Idempotency-Key on creates (HeyGen v3 and the simulator's own POST /jobs): replay, 409 in flight, expiry.</summary>
public sealed class IdempotencyTests
{
    private static SimulatorFactory HeyGen(params string[] settings) =>
        SimulatorFactory.WithFakeTime(["Service=HeyGen", "Delay:Model=fixed", "Delay:Seconds=100", .. settings]);

    [Fact]
    public async Task A_repeat_with_the_same_key_replays_the_first_answer_and_makes_no_job()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        var first = await CreateV3Async(client, V3Body("German", "French"), ("Idempotency-Key", "key-1"));
        using var request = Post(V3Path, V3Body("German", "French"), ("Idempotency-Key", "key-1"));
        using var replay = await client.SendAsync(request);
        var ids = (await HttpAssert.JsonAsync(replay)).GetProperty("data").GetProperty("video_translation_ids").EnumerateArray().Select(e => e.GetString()).ToArray();

        Assert.Equal(first, ids);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(3, await JobCountAsync(client)); // the startup job and the first create's two
    }

    [Fact]
    public async Task The_same_key_with_another_body_replays_the_first_answer_as_heygen_documents()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        var first = await CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-2"));
        var again = await CreateV3Async(client, V3Body("Italian", "Dutch"), ("Idempotency-Key", "key-2"));

        Assert.Equal(first, again);
        Assert.Equal(2, await JobCountAsync(client));
    }

    [Fact]
    public async Task The_key_is_scoped_to_its_route_and_expires_after_24_hours_of_simulated_time()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        var first = await CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-3"));
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = JsonContent.Create(new { delaySeconds = 1 }) })
        {
            request.Headers.Add("Idempotency-Key", "key-3");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode); // another route: another key
        }

        sim.Time!.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-3")));
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, await CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-3")));
    }

    [Fact]
    public async Task A_repeat_while_the_first_is_in_flight_is_409_request_in_progress()
    {
        // SlowCreate holds the first answer (after its jobs were made) until the fake clock moves.
        await using var sim = HeyGen("Faults:SlowCreateProbability=1", "Faults:SlowSeconds=10");
        using var client = sim.CreateClient();

        var first = CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-4"));
        await HttpAssert.EventuallyAsync(
            async () => (await GetJsonAsync(client, "/admin/faults")).GetProperty("injected").GetProperty("slowCreate").GetInt64() == 1,
            "the first create is held");
        using (var request = Post(V3Path, V3Body("German"), ("Idempotency-Key", "key-4")))
        using (var response = await client.SendAsync(request))
        {
            await V3ErrorAsync(response, HttpStatusCode.Conflict, "request_in_progress");
        }

        sim.Time!.Advance(TimeSpan.FromSeconds(10));
        var ids = await first;
        using (var off = await client.PutAsync("/admin/faults", JsonContent.Create(new { })))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }

        Assert.Equal(ids, await CreateV3Async(client, V3Body("German"), ("Idempotency-Key", "key-4")));
        Assert.Equal(2, await JobCountAsync(client));
    }

    [Fact]
    public async Task A_refused_create_is_not_remembered_so_the_same_key_can_be_retried()
    {
        await using var sim = HeyGen("ConcurrencyLimit=1");
        using var client = sim.CreateClient();
        await CreateV3Async(client, V3Body("German"));

        using (var request = Post(V3Path, V3Body("French"), ("Idempotency-Key", "key-5")))
        using (var response = await client.SendAsync(request))
        {
            await V3ErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        }

        sim.Time!.Advance(TimeSpan.FromSeconds(100));
        Assert.Single(await CreateV3Async(client, V3Body("French"), ("Idempotency-Key", "key-5")));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("ключ")]
    [InlineData(null)]
    public async Task A_malformed_key_is_400_invalid_parameter(string? key)
    {
        key ??= new string('k', 256);
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        using var request = Post(V3Path, V3Body("German"), ("Idempotency-Key", key));
        using var response = await client.SendAsync(request);

        await V3ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_parameter", "Idempotency-Key");
    }

    [Fact]
    public async Task The_simulators_own_post_jobs_replays_too()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        async Task<string> Create()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = JsonContent.Create(new { delaySeconds = 5, outcome = "error" }) };
            request.Headers.Add("Idempotency-Key", "jobs-1");
            using var response = await client.SendAsync(request);
            return (await HttpAssert.JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }

        var first = await Create();
        Assert.Equal(first, await Create());
        Assert.Equal(2, await JobCountAsync(client));
    }
}
