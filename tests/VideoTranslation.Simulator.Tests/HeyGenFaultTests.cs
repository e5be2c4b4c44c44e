using System.Net;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>The fault injector in the HeyGen modes: status faults in the API's envelope, and the create faults.</summary>
public sealed class HeyGenFaultTests
{
    [Fact]
    public async Task A_429_fault_on_a_status_read_is_rate_limit_exceeded_with_retry_after_in_each_envelope()
    {
        var modes = new (string Service, string Path, Func<HttpResponseMessage, Task> Assert)[]
        {
            ("HeyGen", "/v3/video-translations/default", r => V3ErrorAsync(r, HttpStatusCode.TooManyRequests, "rate_limit_exceeded")),
            ("HeyGenV2", "/v2/video_translate/default", r => V2ErrorAsync(r, HttpStatusCode.TooManyRequests, "rate_limit_exceeded")),
            ("HeyGenVideo", "/v1/video_status.get?video_id=default", r => V1ErrorAsync(r, HttpStatusCode.TooManyRequests, "rate_limit_exceeded")),
            ("HeyGenVideo", "/v3/videos/default", r => V3ErrorAsync(r, HttpStatusCode.TooManyRequests, "rate_limit_exceeded")),
        };
        foreach (var (service, path, check) in modes)
        {
            await using var sim = SimulatorFactory.WithFakeTime($"Service={service}", "Faults:TooManyRequestsProbability=1", "Faults:RetryAfterSeconds=7");
            using var client = sim.CreateClient();

            using var response = await client.GetAsync(path);

            await check(response);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task The_other_status_faults_answer_in_the_v3_envelope_or_shape()
    {
        const string path = "/v3/video-translations/default";
        await using (var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Faults:InternalErrorProbability=1"))
        using (var response = await sim.CreateClient().GetAsync(path))
        {
            await V3ErrorAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        }

        await using (var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Faults:ServiceUnavailableProbability=1"))
        using (var response = await sim.CreateClient().GetAsync(path))
        {
            await V3ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        }

        await using (var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Faults:UnknownResultProbability=1"))
        {
            var data = (await GetJsonAsync(sim.CreateClient(), path)).GetProperty("data");
            Assert.Equal("unknown", data.GetProperty("status").GetString());
            Assert.Equal("default", data.GetProperty("id").GetString());
        }

        await using (var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Faults:MalformedBodyProbability=1"))
        {
            var text = await sim.CreateClient().GetStringAsync(path);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        }
    }

    [Fact]
    public async Task Status_faults_leave_the_create_alone_and_create_faults_leave_the_status_alone()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Service=HeyGen", "Faults:InternalErrorProbability=1");
        using var client = sim.CreateClient();

        var id = (await CreateV3Async(client, V3Body("German"))).Single();

        using var status = await client.GetAsync($"{V3Path}/{id}");
        Assert.Equal(HttpStatusCode.InternalServerError, status.StatusCode);
    }

    [Fact]
    public async Task Drop_after_create_makes_the_jobs_and_a_retry_with_the_same_key_gets_them_and_no_more()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGen", "--fault-drop-after-create", "1", "--delay-model", "fixed", "--delay", "60"]);

        using (var request = Post(V3Path, V3Body("German", "French"), ("Idempotency-Key", "retry-me")))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => sim.Client.SendAsync(request));
        }

        Assert.Equal(3, await JobCountAsync(sim.Client)); // the startup job and the two the unanswered create made
        using (var injected = await sim.Client.GetAsync("/admin/faults"))
        {
            Assert.Equal(1, (await HttpAssert.JsonAsync(injected)).GetProperty("injected").GetProperty("dropAfterCreate").GetInt64());
        }

        // The client retries the same create with the same key (the fault is still on: a replay is not faulted).
        var ids = await CreateV3Async(sim.Client, V3Body("German", "French"), ("Idempotency-Key", "retry-me"));

        Assert.Equal(2, ids.Length);
        Assert.Equal(3, await JobCountAsync(sim.Client));
        foreach (var id in ids)
        {
            Assert.Equal("pending", (await GetJsonAsync(sim.Client, $"{V3Path}/{id}")).GetProperty("data").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Drop_after_create_on_post_jobs_makes_the_job_too()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--fault-drop-after-create", "1"]);

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.Client.PostAsync("/jobs", null));

        Assert.Equal(2, await JobCountAsync(sim.Client));
    }
}
