using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VideoTranslation.Simulator.Tests.Support;

internal static class HttpAssert
{
    /// <summary>Asserts an RFC 9457 problem+json answer and returns its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, body.RootElement.GetProperty("status").GetInt32());
        var detail = body.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    public static async Task<string> ResultAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await JsonAsync(response);
        return body.GetProperty("result").GetString()!;
    }

    /// <summary>Creates a job with the given overrides and returns its id.</summary>
    public static async Task<string> CreateJobAsync(HttpClient client, double? delaySeconds = null, string? outcome = null)
    {
        using var response = await client.PostAsJsonAsync("/jobs", new { delaySeconds, outcome });
        var body = await JsonAsync(response, HttpStatusCode.Created);
        return body.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> JobAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/jobs/{id}");
        return await JsonAsync(response);
    }

    /// <summary>Polls a condition until it holds, failing after a generous timeout; for signals, not for timing.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the given number of long-poll requests are held on a job.</summary>
    public static Task HeldAsync(HttpClient client, string id, int count) =>
        EventuallyAsync(async () => (await JobAsync(client, id)).GetProperty("heldRequests").GetInt32() == count, $"{count} requests are held on job {id}");
}
