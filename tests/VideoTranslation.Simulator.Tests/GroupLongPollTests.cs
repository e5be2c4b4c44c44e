using System.Net;
using System.Text;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>POST /jobs/status: many jobs in one held request, answered when the first of them settles.</summary>
public sealed class GroupLongPollTests
{
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/jobs/status", new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> GroupAsync(HttpClient client, IEnumerable<string> ids, double? wait = null) =>
        PostAsync(client, JsonSerializer.Serialize(new { ids, wait }));

    private static JsonElement[] Items(JsonElement body) => body.GetProperty("jobs").EnumerateArray().ToArray();

    [Fact]
    public async Task A_held_group_answers_when_its_first_job_finishes_with_every_id_in_request_order()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var slow = await HttpAssert.CreateJobAsync(client, delaySeconds: 20);
        var fast = await HttpAssert.CreateJobAsync(client, delaySeconds: 3, outcome: "error");
        var other = await HttpAssert.CreateJobAsync(client, delaySeconds: 10);

        var held = GroupAsync(client, [slow, fast, other], wait: 30);
        await HttpAssert.HeldAsync(client, fast, 1);
        await HttpAssert.HeldAsync(client, slow, 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(held.IsCompleted);
        sim.Time.Advance(TimeSpan.FromSeconds(0.1));

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        var items = Items(await HttpAssert.JsonAsync(response));
        Assert.Equal([slow, fast, other], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["pending", "error", "pending"], items.Select(i => i.GetProperty("result").GetString()));
        Assert.Equal(17, items[0].GetProperty("etaSeconds").GetDouble(), 6); // the single-job shape, hints included
        Assert.Equal(0.15, items[0].GetProperty("progress").GetDouble(), 6);
        Assert.Equal("30", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
        Assert.Equal("60", Assert.Single(response.Headers.GetValues("X-Long-Poll-Max")));
        Assert.False(response.Headers.Contains("Retry-After"));

        var job = await HttpAssert.JobAsync(client, fast);
        Assert.Equal(0, job.GetProperty("heldRequests").GetInt32());
        Assert.Equal(1, job.GetProperty("statusRequests").GetInt64());
        Assert.True(job.TryGetProperty("resultFirstServedAt", out var served) && served.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task A_held_group_answers_pending_when_the_wait_ends_first_and_the_wait_is_capped()
    {
        await using var sim = SimulatorFactory.WithFakeTime("LongPoll:MaxWaitSeconds=5");
        using var client = sim.CreateClient();
        var a = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);
        var b = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        var held = GroupAsync(client, [a, b], wait: 30);
        await HttpAssert.HeldAsync(client, b, 1);
        sim.Time!.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(held.IsCompleted);
        sim.Time.Advance(TimeSpan.FromSeconds(0.1));

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        var items = Items(await HttpAssert.JsonAsync(response));
        Assert.All(items, i => Assert.Equal("pending", i.GetProperty("result").GetString()));
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("X-Long-Poll-Wait")));
    }

    [Fact]
    public async Task Without_a_wait_or_with_a_finished_job_the_group_answers_at_once()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var pending = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);
        var done = await HttpAssert.CreateJobAsync(client, delaySeconds: 0, outcome: "completed");

        using var unheld = await GroupAsync(client, [pending]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("pending", Items(await HttpAssert.JsonAsync(unheld))[0].GetProperty("result").GetString());
        Assert.False(unheld.Headers.Contains("X-Long-Poll-Wait"));

        using var settled = await GroupAsync(client, [pending, done], wait: 30).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["pending", "completed"], Items(await HttpAssert.JsonAsync(settled)).Select(i => i.GetProperty("result").GetString()));
    }

    [Fact]
    public async Task An_unknown_id_is_reported_in_its_item_at_once_and_does_not_fail_the_others()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var known = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        using var response = await GroupAsync(client, ["nope", known], wait: 30).WaitAsync(TimeSpan.FromSeconds(10));
        var items = Items(await HttpAssert.JsonAsync(response));
        Assert.Equal("nope", items[0].GetProperty("id").GetString());
        Assert.False(items[0].TryGetProperty("result", out _));
        Assert.Equal(404, items[0].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Contains("There is no job 'nope'", items[0].GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", items[1].GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_job_deleted_while_its_group_is_held_wakes_the_group_and_is_reported_not_found()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var a = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);
        var b = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);

        var held = GroupAsync(client, [a, b], wait: 30);
        await HttpAssert.HeldAsync(client, a, 1);
        using (var deleted = await client.DeleteAsync($"/jobs/{b}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var response = await held.WaitAsync(TimeSpan.FromSeconds(10));
        var items = Items(await HttpAssert.JsonAsync(response));
        Assert.Equal("pending", items[0].GetProperty("result").GetString());
        Assert.Equal(404, items[1].GetProperty("error").GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("", "The body is empty")]
    [InlineData("{\"ids\":[\"a\"", "not valid JSON")]
    [InlineData("[\"a\"]", "not an object")]
    [InlineData("{}", "no \"ids\"")]
    [InlineData("{\"ids\":[]}", "\"ids\" is empty")]
    [InlineData("{\"ids\":\"a\"}", "must be an array")]
    [InlineData("{\"ids\":[\"a\",\"\"]}", "ids[1] is \"\"")]
    [InlineData("{\"ids\":[\"a\",7]}", "ids[1] is 7")]
    [InlineData("{\"ids\":[\"a\",\"b\",\"a\"]}", "ids[2] 'a' repeats ids[0]")]
    [InlineData("{\"ids\":[\"a\"],\"wait\":-1}", "wait is -1")]
    [InlineData("{\"ids\":[\"a\"],\"wait\":\"30\"}", "wait is \"30\"")]
    [InlineData("{\"ids\":[\"a\"],\"hold\":30}", "unknown field 'hold'")]
    public async Task A_bad_body_is_a_400_problem_that_says_what_is_wrong(string body, string expected)
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        using var response = await PostAsync(client, body);
        Assert.Contains(expected, await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_500_ids_per_request()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        string[] ids = Enumerable.Range(0, 501).Select(i => $"j{i}").ToArray();

        using var tooMany = await GroupAsync(client, ids);
        Assert.Contains("lists 501 jobs; one request may list at most 500", await HttpAssert.ProblemAsync(tooMany, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        using var most = await GroupAsync(client, ids[..500]);
        Assert.Equal(500, Items(await HttpAssert.JsonAsync(most)).Length);
    }

    [Fact]
    public async Task Capabilities_advertise_group_long_poll_with_its_limits()
    {
        await using var sim = SimulatorFactory.WithFakeTime("LongPoll:MaxWaitSeconds=45");
        using var client = sim.CreateClient();
        var group = (await HttpAssert.JsonAsync(await client.GetAsync("/capabilities"))).GetProperty("groupLongPoll");
        Assert.Equal(500, group.GetProperty("maxIds").GetInt32());
        Assert.Equal(45, group.GetProperty("maxWaitSeconds").GetDouble());
    }

    [Theory]
    [InlineData("LongPoll:GroupEnabled=false")]
    [InlineData("LongPoll:Enabled=false")]
    public async Task Switched_off_the_route_is_a_404_and_capabilities_say_null(string setting)
    {
        await using var sim = SimulatorFactory.WithFakeTime(setting);
        using var client = sim.CreateClient();
        var capabilities = await HttpAssert.JsonAsync(await client.GetAsync("/capabilities"));
        Assert.Equal(JsonValueKind.Null, capabilities.GetProperty("groupLongPoll").ValueKind);

        using var response = await GroupAsync(client, ["a"], wait: 1);
        Assert.Contains("Group long-poll is off", await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_and_the_api_key_apply_to_the_group_route_like_the_other_status_routes()
    {
        await using (var faulty = SimulatorFactory.WithFakeTime("Faults:InternalErrorProbability=1"))
        {
            using var client = faulty.CreateClient();
            using var response = await GroupAsync(client, ["a"], wait: 1);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        await using var keyed = SimulatorFactory.WithFakeTime("ApiKey=secret");
        using var anonymous = keyed.CreateClient();
        using var refused = await GroupAsync(anonymous, ["a"], wait: 1);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
