using System.Net;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14, item 2: a 404 that is not the service's own "no such job" answer means the route does not exist — a
/// wrong base path, most likely — and says so with the URL; the service's own answer stays "job not found".
/// </summary>
public class RouteNotFoundTests
{
    private const string RoutingNotFound = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404,"detail":"There is no route GET /api/jobs/j1/status; docs/protocol.md lists the routes."}""";

    private static string JobNotFound(string id) =>
        $$"""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Job not found","status":404,"detail":"There is no job '{{id}}'. Jobs are removed by DELETE /jobs/{id} and 300 s after they finish (Jobs:RetentionSeconds)."}""";

    private static readonly Uri Api = new("http://jobs.test/api/");

    [Theory]
    [InlineData(RoutingNotFound)]
    [InlineData("<html><body>404 Not Found</body></html>")]
    [InlineData("")]
    [InlineData("""{"title":"Job not found!"}""")]
    public async Task A_simulator_404_that_is_not_its_unknown_job_answer_says_the_route_does_not_exist(string body)
    {
        using var h = new Harness(baseUri: Api);
        h.Server.Sequence(() => FakeServer.Json(body, HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("j1"));

        Assert.True(ex.IsRouteNotFound);
        Assert.Equal(404, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.StartsWith(
            "GET http://jobs.test/api/jobs/j1/status answered HTTP 404 Not Found, not the Simulator service's answer for an unknown job: " +
            "the server has no such route, so the base address http://jobs.test/api/ is probably wrong (its path, or the service)",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulators_unknown_job_answer_is_job_not_found_even_when_cut_off_by_the_error_excerpt()
    {
        string id = new('x', 2000); // the detail names the id: the body is longer than the 1 KiB read of an error body
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json(JobNotFound(id), HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync(id));

        Assert.False(ex.IsRouteNotFound);
        Assert.StartsWith($"GET http://jobs.test/jobs/{id}/status answered HTTP 404 Not Found, an error that retrying will not fix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_404_of_the_single_job_endpoint_is_always_a_missing_route()
    {
        using var h = new Harness(baseUri: Api);
        h.Server.Sequence(() => FakeServer.Json(JobNotFound("default"), HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync());

        Assert.True(ex.IsRouteNotFound);
    }

    [Fact]
    public async Task A_wait_on_a_missing_route_ends_at_once()
    {
        using var h = new Harness(baseUri: Api);
        h.Server.Sequence(() => FakeServer.Json(RoutingNotFound, HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Wait(Exact(PollingStrategy.Fixed(Sec(1))), jobId: "j1"));

        Assert.True(ex.IsRouteNotFound);
        Assert.Single(h.Server.Requests);
    }

    [Theory]
    [InlineData("""{"error":{"code":"not_found","message":"Video translation t1 not found"}}""", false)]
    [InlineData("""{"code":400116,"data":null,"message":"Video not found"}""", false)] // v1/v2: a numeric code
    [InlineData(RoutingNotFound, true)] // problem+json: not HeyGen's envelope
    [InlineData("<html>404</html>", true)]
    public async Task HeyGen_says_no_such_job_with_an_error_code_and_anything_else_is_a_missing_route(string body, bool route)
    {
        using var h = new Harness(o => o.Service = TranslationService.HeyGen, new Uri("https://api.heygen.test/"));
        h.Server.Sequence(() => FakeServer.Json(body, HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("t1"));

        Assert.Equal(route, ex.IsRouteNotFound);
    }

    [Fact]
    public async Task A_profile_cannot_tell_so_every_404_stays_job_not_found()
    {
        var profile = new TranslationServiceProfile
        {
            Name = "Renders",
            StatusUrl = "renders/{id}",
            StatusPath = "state",
            PendingValues = ["QUEUED"],
            CompletedValues = ["DONE"],
            FailedValues = ["BROKEN"],
        };
        using var h = new Harness(o => o.Service = TranslationService.FromProfile(profile));
        h.Server.Sequence(() => FakeServer.Json("<html>404</html>", HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("r1"));

        Assert.False(ex.IsRouteNotFound);
    }
}
