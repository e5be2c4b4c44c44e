using System.Net;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>--service HeyGen: HeyGen v3 video translations, their status words, result URLs and error envelopes.</summary>
public sealed class HeyGenV3Tests
{
    private static SimulatorFactory HeyGen(params string[] settings) =>
        SimulatorFactory.WithFakeTime(["Service=HeyGen", "Delay:Model=fixed", "Delay:Seconds=100", .. settings]);

    [Fact]
    public async Task A_create_makes_one_job_per_output_language_in_request_order()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        var ids = await CreateV3Async(client, V3Body("Spanish (Spain)", "German (Germany)"));

        Assert.Equal(2, ids.Length);
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal("Spanish (Spain)", (await GetJsonAsync(client, $"{V3Path}/{ids[0]}")).GetProperty("data").GetProperty("output_language").GetString());
        Assert.Equal("German (Germany)", (await GetJsonAsync(client, $"{V3Path}/{ids[1]}")).GetProperty("data").GetProperty("output_language").GetString());
    }

    [Fact]
    public async Task The_status_goes_pending_running_completed_with_a_freshly_signed_video_url_on_every_call()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();
        var body = new
        {
            video = new { type = "url", url = "https://example.com/talk.mp4" },
            output_languages = new[] { "French (France)" },
            mode = "precision",
            title = "Talk",
            callback_id = "cb-7",
        };
        var id = (await CreateV3Async(client, body)).Single();

        async Task<JsonElement> Data() => (await GetJsonAsync(client, $"{V3Path}/{id}")).GetProperty("data");

        var pending = await Data();
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(id, pending.GetProperty("id").GetString());
        Assert.Equal("Talk", pending.GetProperty("title").GetString());
        Assert.Equal("cb-7", pending.GetProperty("callback_id").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("video_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("failure_message").ValueKind);
        Assert.Equal(sim.Time!.GetUtcNow().ToUnixTimeSeconds(), pending.GetProperty("created_at").GetInt64());

        sim.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("running", (await Data()).GetProperty("status").GetString());

        sim.Time.Advance(TimeSpan.FromSeconds(70));
        var first = await Data();
        var second = await Data();
        Assert.Equal("completed", first.GetProperty("status").GetString());
        var url = new Uri(first.GetProperty("video_url").GetString()!);
        var again = new Uri(second.GetProperty("video_url").GetString()!);
        Assert.Equal(url.AbsolutePath, again.AbsolutePath);
        Assert.NotEqual(url.Query, again.Query);
        Assert.Contains("Signature=", url.Query, StringComparison.Ordinal);
        var expires = long.Parse(System.Web.HttpUtility.ParseQueryString(url.Query)["Expires"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(sim.Time.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), expires);

        using var file = await client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("video/mp4", file.Content.Headers.ContentType?.MediaType);

        // What the server counted: every status answer, for Get-ServerJob.
        Assert.Equal(4, (await HttpAssert.JobAsync(client, id)).GetProperty("statusRequests").GetInt64());
    }

    [Fact]
    public async Task A_failed_job_says_failed_with_a_failure_message_and_no_video_url()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();
        var ids = await CreateV3Async(client, V3Body("Spanish (Spain)", "German (Germany)"), ("X-Simulator-Outcome", "completed,failed"), ("X-Simulator-Delay-Seconds", "5"));

        sim.Time!.Advance(TimeSpan.FromSeconds(5));
        var ok = (await GetJsonAsync(client, $"{V3Path}/{ids[0]}")).GetProperty("data");
        var failed = (await GetJsonAsync(client, $"{V3Path}/{ids[1]}")).GetProperty("data");

        Assert.Equal("completed", ok.GetProperty("status").GetString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("video_url").ValueKind);
        Assert.Contains("Simulated failure", failed.GetProperty("failure_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, (await HttpAssert.JobAsync(client, ids[1])).GetProperty("delaySeconds").GetDouble());
    }

    [Fact]
    public async Task An_unknown_id_is_404_not_found_in_the_v3_envelope()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        using var response = await client.GetAsync($"{V3Path}/nope");

        await V3ErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"output_languages":["German"]}""", "video")]
    [InlineData("""{"video":{"type":"file"},"output_languages":["German"]}""", "video.type")]
    [InlineData("""{"video":{"type":"url"},"output_languages":["German"]}""", "video.url")]
    [InlineData("""{"video":{"type":"url","url":"ftp://x/y"},"output_languages":["German"]}""", "video.url")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"}}""", "output_languages")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"},"output_languages":[]}""", "output_languages")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"},"output_languages":[3]}""", "output_languages")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"},"output_languages":["German"],"mode":"fast"}""", "mode")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"},"output_languages":["German"],"callback_url":"not a url"}""", "callback_url")]
    [InlineData("""{"video":{"type":"url","url":"https://x/y"},"output_languages":["German"],"title":5}""", "title")]
    [InlineData("""[1]""", "body")]
    [InlineData("""{"video":""", "body")]
    public async Task A_bad_create_body_is_400_invalid_parameter_naming_the_field(string body, string param)
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        using var response = await client.PostAsync(V3Path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await V3ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_parameter", param);
        Assert.Equal(1, await JobCountAsync(client)); // the startup job only
    }

    [Fact]
    public async Task An_asset_id_video_and_fields_the_simulator_does_not_model_are_accepted()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        var ids = await CreateV3Async(client, new
        {
            video = new { type = "asset_id", asset_id = "asset-1" },
            output_languages = new[] { "German" },
            enable_caption = true,
            speaker_num = 2,
        });

        Assert.Single(ids);
    }

    [Fact]
    public async Task With_an_api_key_a_missing_or_wrong_x_api_key_is_401_unauthorized_and_the_right_one_passes()
    {
        await using var sim = HeyGen("ApiKey=s3cret");
        using var client = sim.CreateClient();

        using (var missing = await client.PostAsync(V3Path, JsonContent(V3Body("German"))))
        {
            await V3ErrorAsync(missing, HttpStatusCode.Unauthorized, "unauthorized");
        }

        using (var wrong = Post(V3Path, V3Body("German"), ("X-Api-Key", "nope")))
        using (var response = await client.SendAsync(wrong))
        {
            await V3ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        // A bearer token is HeyGen's OAuth, not a way to send the API key.
        using (var bearer = Post(V3Path, V3Body("German"), ("Authorization", "Bearer s3cret")))
        using (var response = await client.SendAsync(bearer))
        {
            await V3ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        }

        var id = (await CreateV3Async(client, V3Body("German"), ("X-Api-Key", "s3cret"))).Single();
        using (var status = await client.GetAsync($"{V3Path}/{id}"))
        {
            await V3ErrorAsync(status, HttpStatusCode.Unauthorized, "unauthorized");
        }

        using var authorized = new HttpRequestMessage(HttpMethod.Get, $"{V3Path}/{id}");
        authorized.Headers.Add("x-api-key", "s3cret");
        using var ok = await client.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task The_own_status_routes_are_not_served_but_health_capabilities_and_the_job_routes_are()
    {
        await using var sim = HeyGen();
        using var client = sim.CreateClient();

        using (var status = await client.GetAsync("/status"))
        {
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        }

        var capabilities = await GetJsonAsync(client, "/capabilities");
        Assert.Equal("HeyGen", capabilities.GetProperty("service").GetString());
        Assert.Equal(10, capabilities.GetProperty("concurrencyLimit").GetInt32());

        // POST /jobs makes a job (with its overrides) that the v3 status route reports.
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 0, outcome: "error");
        var data = (await GetJsonAsync(client, $"{V3Path}/{id}")).GetProperty("data");
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal(1, (await HttpAssert.JobAsync(client, id)).GetProperty("statusRequests").GetInt64());
    }

    [Fact]
    public async Task Simulator_mode_stays_the_default_with_no_heygen_routes_and_no_concurrency_limit()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        var capabilities = await GetJsonAsync(client, "/capabilities");
        Assert.Equal("Simulator", capabilities.GetProperty("service").GetString());
        Assert.Equal(JsonValueKind.Null, capabilities.GetProperty("concurrencyLimit").ValueKind);
        using var v3 = await client.PostAsync(V3Path, JsonContent(V3Body("German")));
        Assert.Equal(HttpStatusCode.NotFound, v3.StatusCode);
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);
}
