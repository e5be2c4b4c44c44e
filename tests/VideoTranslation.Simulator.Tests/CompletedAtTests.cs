using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// A finished job's status answers say when it ended (completedAt in the body, X-Completed-At on GET /status), the
/// instant GET /jobs/{id} reports, so a client can measure how late it noticed; nothing while pending.
/// </summary>
public sealed class CompletedAtTests
{
    private const string Header = "X-Completed-At";

    /// <summary>GET /jobs/{id}'s completedAt, as written (a string once finished).</summary>
    private static async Task<JsonElement> ServerCompletedAtAsync(HttpClient client, string id)
    {
        var completedAt = (await HttpAssert.JobAsync(client, id)).GetProperty("completedAt");
        Assert.Equal(JsonValueKind.String, completedAt.ValueKind);
        return completedAt;
    }

    /// <summary>The header's instant; it must be ISO 8601 round-trip text in UTC.</summary>
    private static DateTimeOffset HeaderInstant(HttpResponseMessage response)
    {
        var text = Assert.Single(response.Headers.GetValues(Header));
        var at = DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, at.Offset);
        return at;
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("error")]
    public async Task Job_status_has_no_completedAt_while_pending_and_GET_jobs_completedAt_once_finished(string outcome)
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var start = sim.Time!.GetUtcNow();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 3, outcome: outcome);

        using (var pending = await client.GetAsync($"/jobs/{id}/status"))
        {
            var body = await HttpAssert.JsonAsync(pending);
            Assert.Equal("pending", body.GetProperty("result").GetString());
            Assert.False(body.TryGetProperty("completedAt", out _));
            Assert.False(pending.Headers.Contains(Header));
        }

        sim.Time.Advance(TimeSpan.FromSeconds(5)); // noticed 2 s late: completedAt is the end, not the answer's time
        using var finished = await client.GetAsync($"/jobs/{id}/status");
        var done = await HttpAssert.JsonAsync(finished);
        Assert.Equal(outcome, done.GetProperty("result").GetString());
        var server = await ServerCompletedAtAsync(client, id);
        Assert.Equal(server.GetRawText(), done.GetProperty("completedAt").GetRawText()); // same instant, same format
        Assert.Equal(start.AddSeconds(3), done.GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(3), HeaderInstant(finished));
    }

    [Fact]
    public async Task Group_items_carry_completedAt_only_for_finished_jobs()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();
        var pending = await HttpAssert.CreateJobAsync(client, delaySeconds: 60);
        var completed = await HttpAssert.CreateJobAsync(client, delaySeconds: 1, outcome: "completed");
        sim.Time!.Advance(TimeSpan.FromSeconds(0.5));
        var failed = await HttpAssert.CreateJobAsync(client, delaySeconds: 1, outcome: "error");
        sim.Time.Advance(TimeSpan.FromSeconds(2));

        using var response = await client.PostAsJsonAsync("/jobs/status", new { ids = new[] { pending, completed, failed, "missing" } });
        var items = (await HttpAssert.JsonAsync(response)).GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(["pending", "completed", "error"], items[..3].Select(i => i.GetProperty("result").GetString()));
        Assert.False(items[0].TryGetProperty("completedAt", out _));
        Assert.Equal((await ServerCompletedAtAsync(client, completed)).GetRawText(), items[1].GetProperty("completedAt").GetRawText());
        Assert.Equal((await ServerCompletedAtAsync(client, failed)).GetRawText(), items[2].GetProperty("completedAt").GetRawText());
        Assert.NotEqual(items[1].GetProperty("completedAt").GetDateTimeOffset(), items[2].GetProperty("completedAt").GetDateTimeOffset());
        Assert.False(items[3].TryGetProperty("completedAt", out _)); // the unknown id's item is its 404
        Assert.False(response.Headers.Contains(Header)); // a group has no one end; its items say theirs
    }

    [Theory]
    [InlineData("0", "completed")]
    [InlineData("1", "error")]
    public async Task Get_status_keeps_its_one_field_body_and_says_the_end_in_a_header(string errorProbability, string outcome)
    {
        await using var sim = SimulatorFactory.WithFakeTime(
            "Delay:Model=fixed", "Delay:Seconds=4", "Error:Model=fixed", $"Error:Probability={errorProbability}");
        using var client = sim.CreateClient();

        using (var pending = await client.GetAsync("/status"))
        {
            Assert.Equal("{\"result\":\"pending\"}", await pending.Content.ReadAsStringAsync());
            Assert.False(pending.Headers.Contains(Header));
        }

        sim.Time!.Advance(TimeSpan.FromSeconds(6));
        using var finished = await client.GetAsync("/status");
        Assert.Equal($"{{\"result\":\"{outcome}\"}}", await finished.Content.ReadAsStringAsync());
        Assert.Equal((await ServerCompletedAtAsync(client, "default")).GetDateTimeOffset(), HeaderInstant(finished));
    }

    [Fact]
    public async Task An_injected_unknown_result_on_a_finished_job_says_no_end()
    {
        await using var sim = SimulatorFactory.WithFakeTime("Delay:Model=fixed", "Delay:Seconds=0", "Faults:UnknownResultProbability=1");
        using var client = sim.CreateClient();
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 0);

        foreach (var (path, job) in new[] { ("/status", "default"), ($"/jobs/{id}/status", id) })
        {
            await ServerCompletedAtAsync(client, job); // finished: a real answer would carry its end
            using var response = await client.GetAsync(path);
            var body = await HttpAssert.JsonAsync(response);
            Assert.DoesNotContain(body.GetProperty("result").GetString(), new[] { "pending", "completed", "error" });
            Assert.False(body.TryGetProperty("completedAt", out _));
            Assert.False(response.Headers.Contains(Header));
        }
    }
}
