using System.Net;
using System.Text;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>--service HeyGenV2 (v2 video_translate) and --service HeyGenVideo (v1 and v3 video status).</summary>
public sealed class HeyGenLegacyTests
{
    private const string V2Path = "/v2/video_translate";

    private static SimulatorFactory Mode(string service, params string[] settings) =>
        SimulatorFactory.WithFakeTime([$"Service={service}", "Delay:Model=fixed", "Delay:Seconds=100", .. settings]);

    private static async Task<string> CreateV2Async(HttpClient client, params (string Name, string Value)[] headers)
    {
        using var request = Post(V2Path, new { video_url = "https://example.com/talk.mp4", output_language = "German", title = "Talk" }, headers);
        using var response = await client.SendAsync(request);
        var json = await HttpAssert.JsonAsync(response);
        Assert.Equal(["error", "data"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        return json.GetProperty("data").GetProperty("video_translate_id").GetString()!;
    }

    [Fact]
    public async Task V2_goes_pending_running_success_with_url_and_failed_with_message()
    {
        await using var sim = Mode("HeyGenV2");
        using var client = sim.CreateClient();
        var ok = await CreateV2Async(client);
        var bad = await CreateV2Async(client, ("X-Simulator-Outcome", "failed"));

        async Task<JsonElement> Data(string id)
        {
            var json = await GetJsonAsync(client, $"{V2Path}/{id}");
            Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
            return json.GetProperty("data");
        }

        var pending = await Data(ok);
        Assert.Equal(["video_translate_id", "title", "status", "url", "message"], pending.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("Talk", pending.GetProperty("title").GetString());
        sim.Time!.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal("running", (await Data(ok)).GetProperty("status").GetString());
        sim.Time.Advance(TimeSpan.FromSeconds(50));

        var success = await Data(ok);
        Assert.Equal("success", success.GetProperty("status").GetString());
        Assert.NotEqual(success.GetProperty("url").GetString(), (await Data(ok)).GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, success.GetProperty("message").ValueKind);

        var failed = await Data(bad);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("url").ValueKind);
        Assert.Contains("Simulated failure", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2_errors_use_the_legacy_envelope_with_numeric_codes()
    {
        await using var sim = Mode("HeyGenV2", "ApiKey=k");
        using var client = sim.CreateClient();

        using (var response = await client.GetAsync($"{V2Path}/x"))
        {
            await V2ErrorAsync(response, HttpStatusCode.Unauthorized, 400112);
        }

        using (var request = Post(V2Path, new { output_language = "German" }, ("X-Api-Key", "k")))
        using (var response = await client.SendAsync(request))
        {
            await V2ErrorAsync(response, HttpStatusCode.BadRequest, 40001);
        }

        using (var request = Post(V2Path, new { video_url = "nope", output_language = "German" }, ("X-Api-Key", "k")))
        using (var response = await client.SendAsync(request))
        {
            await V2ErrorAsync(response, HttpStatusCode.BadRequest, 400175);
        }

        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"{V2Path}/nope");
        unknown.Headers.Add("X-Api-Key", "k");
        using var notFound = await client.SendAsync(unknown);
        await V2ErrorAsync(notFound, HttpStatusCode.NotFound, 40031);
    }

    [Fact]
    public async Task V2_documents_no_idempotency_key_so_a_repeat_makes_another_job()
    {
        await using var sim = Mode("HeyGenV2");
        using var client = sim.CreateClient();

        var first = await CreateV2Async(client, ("Idempotency-Key", "k1"));
        var second = await CreateV2Async(client, ("Idempotency-Key", "k1"));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task V1_video_status_goes_waiting_pending_processing_completed_and_failed_with_an_error_object()
    {
        await using var sim = Mode("HeyGenVideo");
        using var client = sim.CreateClient();
        var ok = await HttpAssert.CreateJobAsync(client, delaySeconds: 100, outcome: "completed");
        var bad = await HttpAssert.CreateJobAsync(client, delaySeconds: 100, outcome: "error");

        async Task<JsonElement> Data(string id)
        {
            var json = await GetJsonAsync(client, $"/v1/video_status.get?video_id={id}");
            Assert.Equal(100, json.GetProperty("code").GetInt32());
            Assert.Equal("Success", json.GetProperty("message").GetString());
            return json.GetProperty("data");
        }

        var words = new List<string>();
        foreach (var at in new[] { 0, 15, 50, 100 })
        {
            sim.Time!.Advance(TimeSpan.FromSeconds(at) - (sim.Time.GetUtcNow() - sim.Time.Start));
            words.Add((await Data(ok)).GetProperty("status").GetString()!);
        }

        Assert.Equal(["waiting", "pending", "processing", "completed"], words);
        var completed = await Data(ok);
        Assert.StartsWith("http://", completed.GetProperty("video_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("error").ValueKind);
        Assert.Equal(ok, completed.GetProperty("id").GetString());

        var failed = await Data(bad);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var error = failed.GetProperty("error");
        Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
        Assert.Contains("Simulated failure", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Simulated failure", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_errors_use_its_envelope_and_v3_videos_use_the_v3_one()
    {
        await using var sim = Mode("HeyGenVideo");
        using var client = sim.CreateClient();

        using (var missing = await client.GetAsync("/v1/video_status.get"))
        {
            await V1ErrorAsync(missing, HttpStatusCode.BadRequest, 40001);
        }

        using (var unknown = await client.GetAsync("/v1/video_status.get?video_id=nope"))
        {
            await V1ErrorAsync(unknown, HttpStatusCode.NotFound, 40031);
        }

        using (var unknown = await client.GetAsync("/v3/videos/nope"))
        {
            await V3ErrorAsync(unknown, HttpStatusCode.NotFound, "not_found");
        }

        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 100, outcome: "error");
        var words = new List<string>();
        foreach (var step in new[] { 0, 50, 50 })
        {
            sim.Time!.Advance(TimeSpan.FromSeconds(step));
            var data = (await GetJsonAsync(client, $"/v3/videos/{id}")).GetProperty("data");
            words.Add(data.GetProperty("status").GetString()!);
            if (words[^1] == "failed")
            {
                Assert.Contains("Simulated failure", data.GetProperty("failure_message").GetString(), StringComparison.Ordinal);
                Assert.Equal(JsonValueKind.Null, data.GetProperty("video_url").ValueKind);
            }
        }

        Assert.Equal(["pending", "processing", "failed"], words);
    }

    [Fact]
    public async Task Each_mode_serves_only_its_own_api()
    {
        await using var v2 = Mode("HeyGenV2");
        using var client = v2.CreateClient();

        using var v3 = await client.PostAsync(V3Path, new StringContent("{}", Encoding.UTF8, "application/json"));
        using var v1 = await client.GetAsync("/v1/video_status.get?video_id=default");

        Assert.Equal(HttpStatusCode.NotFound, v3.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, v1.StatusCode);
    }
}
