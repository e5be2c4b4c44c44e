using System.Net;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

public sealed class ApiKeyTests
{
    [Theory]
    [InlineData("GET", "/status")]
    [InlineData("GET", "/jobs/default/status")]
    [InlineData("GET", "/jobs/default")]
    [InlineData("POST", "/jobs")]
    [InlineData("DELETE", "/jobs/whatever")]
    [InlineData("GET", "/admin/faults")]
    [InlineData("PUT", "/admin/faults")]
    public async Task Without_the_key_every_route_but_health_is_a_401_problem(string method, string path)
    {
        await using var sim = SimulatorFactory.WithFakeTime("ApiKey=s3cret");
        using var client = sim.CreateClient();

        using var missing = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Contains("X-Api-Key", await HttpAssert.ProblemAsync(missing, HttpStatusCode.Unauthorized), StringComparison.Ordinal);

        var wrong = new HttpRequestMessage(new HttpMethod(method), path);
        wrong.Headers.Add("X-Api-Key", "s3cret-not");
        using var wrongResponse = await client.SendAsync(wrong);
        Assert.Contains("does not match", await HttpAssert.ProblemAsync(wrongResponse, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_key_requests_pass()
    {
        await using var sim = SimulatorFactory.WithFakeTime("ApiKey=s3cret");
        using var client = sim.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");

        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));
        var id = await HttpAssert.CreateJobAsync(client, delaySeconds: 1);
        Assert.Equal("pending", await HttpAssert.ResultAsync(client, $"/jobs/{id}/status"));
    }

    [Fact]
    public async Task Health_and_capabilities_need_no_key_and_capabilities_says_one_is_required()
    {
        await using var sim = SimulatorFactory.WithFakeTime("ApiKey=s3cret");
        using var client = sim.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var capabilities = await HttpAssert.JsonAsync(await client.GetAsync("/capabilities"));
        Assert.True(capabilities.GetProperty("apiKeyRequired").GetBoolean());
    }

    [Fact]
    public async Task Without_a_configured_key_no_header_is_needed()
    {
        await using var sim = SimulatorFactory.WithFakeTime();
        using var client = sim.CreateClient();

        Assert.Equal("pending", await HttpAssert.ResultAsync(client, "/status"));
        var capabilities = await HttpAssert.JsonAsync(await client.GetAsync("/capabilities"));
        Assert.False(capabilities.GetProperty("apiKeyRequired").GetBoolean());
    }
}
