using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;
using static VideoTranslation.Simulator.Tests.Support.HeyGenAssert;

namespace VideoTranslation.Simulator.Tests;

/// <summary>callback_url: HeyGen's video_translate.success / .fail event POSTed when a translation ends, with retries.</summary>
public sealed class WebhookTests
{
    private static object Body(Uri callback, params string[] languages) => new
    {
        video = new { type = "url", url = "https://example.com/talk.mp4" },
        output_languages = languages,
        callback_url = callback.ToString(),
        callback_id = "batch-42",
    };

    [Fact]
    public async Task Each_job_of_a_v3_create_posts_the_documented_event_when_it_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGen", "--delay-model", "fixed", "--delay", "0.2"]);

        var ids = await CreateV3Async(sim.Client, Body(receiver.Url, "German", "French"), ("X-Simulator-Outcome", "completed,failed"));
        await HttpAssert.EventuallyAsync(() => Task.FromResult(receiver.Received.Count == 2), "both events arrived");

        var events = receiver.Received.ToDictionary(e => e.Body.GetProperty("event_data").GetProperty("video_translate_id").GetString()!);
        Assert.All(events.Values, e => Assert.Equal("application/json", e.ContentType?.Split(';')[0]));

        var success = events[ids[0]].Body;
        Assert.Equal(["event_type", "event_data"], success.EnumerateObject().Select(p => p.Name));
        Assert.Equal("video_translate.success", success.GetProperty("event_type").GetString());
        var data = success.GetProperty("event_data");
        Assert.Equal(["video_translate_id", "url", "callback_id", "output_language"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("batch-42", data.GetProperty("callback_id").GetString());
        Assert.Equal("German", data.GetProperty("output_language").GetString());
        using (var file = await sim.Client.GetAsync(new Uri(data.GetProperty("url").GetString()!).PathAndQuery))
        {
            Assert.True(file.IsSuccessStatusCode);
        }

        var fail = events[ids[1]].Body;
        Assert.Equal("video_translate.fail", fail.GetProperty("event_type").GetString());
        var failData = fail.GetProperty("event_data");
        Assert.Equal(["video_translate_id", "message", "callback_id", "output_language"], failData.EnumerateObject().Select(p => p.Name));
        Assert.Contains("Simulated failure", failData.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("French", failData.GetProperty("output_language").GetString());
    }

    [Fact]
    public async Task A_v2_create_with_callback_url_gets_the_event_too()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGenV2", "--delay-model", "fixed", "--delay", "0.1"]);

        using var request = Post("/v2/video_translate", new { video_url = "https://example.com/a.mp4", output_language = "German", callback_url = receiver.Url.ToString(), callback_id = "v2" });
        using var response = await sim.Client.SendAsync(request);
        var id = (await HttpAssert.JsonAsync(response)).GetProperty("data").GetProperty("video_translate_id").GetString();
        await HttpAssert.EventuallyAsync(() => Task.FromResult(!receiver.Received.IsEmpty), "the event arrived");

        var data = Assert.Single(receiver.Received).Body.GetProperty("event_data");
        Assert.Equal(id, data.GetProperty("video_translate_id").GetString());
        Assert.Equal("v2", data.GetProperty("callback_id").GetString());
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_then_given_up_on_and_the_simulator_carries_on()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        await using var sim = await KestrelSimulator.StartAsync(
            ["--service", "HeyGen", "--delay-model", "fixed", "--delay", "0.1", "--webhook-retries", "2", "--webhook-retry-delay", "0.05"]);

        var id = (await CreateV3Async(sim.Client, Body(receiver.Url, "German"))).Single();
        JsonElement delivery = default;
        await HttpAssert.EventuallyAsync(
            async () =>
            {
                var deliveries = (await GetJsonAsync(sim.Client, "/admin/webhooks")).GetProperty("deliveries");
                if (deliveries.GetArrayLength() == 0)
                {
                    return false;
                }

                delivery = deliveries[0];
                return true;
            },
            "the delivery was given up on");

        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(id, delivery.GetProperty("jobId").GetString());
        Assert.False(delivery.GetProperty("delivered").GetBoolean());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(500, delivery.GetProperty("statusCode").GetInt32());
        Assert.Equal("completed", (await GetJsonAsync(sim.Client, $"{V3Path}/{id}")).GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_receiver_that_is_not_there_is_logged_as_failed_and_a_job_without_callback_url_sends_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var gone = receiver.Url;
        await receiver.DisposeAsync();
        await using var sim = await KestrelSimulator.StartAsync(
            ["--service", "HeyGen", "--delay-model", "fixed", "--delay", "0", "--webhook-retries", "0"]);

        await CreateV3Async(sim.Client, V3Body("German"));
        await CreateV3Async(sim.Client, Body(gone, "French"));
        await HttpAssert.EventuallyAsync(
            async () => (await GetJsonAsync(sim.Client, "/admin/webhooks")).GetProperty("deliveries").GetArrayLength() == 1,
            "the delivery to the missing receiver failed");

        var delivery = (await GetJsonAsync(sim.Client, "/admin/webhooks")).GetProperty("deliveries")[0];
        Assert.False(delivery.GetProperty("delivered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("statusCode").ValueKind);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await sim.Client.GetAsync("/health")).StatusCode);
    }
}
