using System.Net;
using System.Net.Sockets;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14, item 9: GetStatus is one check; it retries a transient failure only when asked (StatusCheckRetries, the
/// cmdlet's -MaximumRetryCount, default 0 as Invoke-RestMethod's), at most that many times, with the retry backoff.
/// </summary>
public class StatusCheckRetryTests
{
    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (jobs.test:80)", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task Against_a_server_that_reads_and_closes_one_check_is_what_HttpClient_sends_for_one_GET()
    {
        // SocketsHttpHandler sends a GET that got no byte of an answer again, at once, on a new connection, up to 3
        // times (as it does for Invoke-RestMethod): that is one check. No retry of the client's own follows by default.
        using var server = new RawSocketServer(body: null);
        using var client = new TranslationClient(server.BaseUri);

        var ex = await Assert.ThrowsAsync<TranslationConnectionException>(() => client.GetStatusAsync("j1"));

        Assert.Equal(4, server.RequestLines.Count);
        Assert.All(server.RequestLines, line => Assert.Equal("GET /jobs/j1/status HTTP/1.1", line));
        Assert.Contains("connection closed before a complete answer", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_a_transient_failure_is_thrown_after_one_request()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromException<HttpResponseMessage>(Refused());

        await Assert.ThrowsAsync<TranslationConnectionException>(() => h.Client.GetStatusAsync("j1"));

        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task With_retries_it_retries_transient_failures_with_the_retry_backoff_and_returns_the_answer()
    {
        using var h = new Harness(o => o.StatusCheckRetries = 3);
        Func<HttpResponseMessage> refused = () => throw Refused();
        h.Server.Sequence(refused, () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable), () => FakeServer.Status("pending"));

        Task<TranslationStatus> check = h.Client.GetStatusAsync("j1");
        h.Clock.RunUntilDone(check);
        TranslationStatus status = await check;

        Assert.Equal(TranslationState.Pending, status.State);
        AssertBackoff(h.RequestGaps, 2);
    }

    [Fact]
    public async Task The_retries_are_bounded_and_the_last_failure_is_thrown()
    {
        using var h = new Harness(o => o.StatusCheckRetries = 2);
        h.Server.Sequence(() => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable));

        Task<TranslationStatus> check = h.Client.GetStatusAsync("j1");
        h.Clock.RunUntilDone(check);

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => check);
        Assert.Equal(503, ex.StatusCode);
        AssertBackoff(h.RequestGaps, 2);
    }

    // RetryBackoff.Default: 0.5 s, doubling, ± 20 % jitter.
    private static void AssertBackoff(double[] gaps, int retries)
    {
        Assert.Equal(retries, gaps.Length);
        for (int i = 0; i < retries; i++)
        {
            double nominal = 500 * Math.Pow(2, i);
            Assert.InRange(gaps[i], nominal * 0.8, nominal * 1.2);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task A_permanent_failure_is_never_retried(HttpStatusCode code)
    {
        using var h = new Harness(o => o.StatusCheckRetries = 5);
        h.Server.Sequence(() => FakeServer.Json("""{"title":"Job not found"}""", code));

        await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("j1"));

        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_backoff_is_honoured()
    {
        using var h = new Harness(o => o.StatusCheckRetries = 1);
        h.Server.Sequence(() => FakeServer.Json("slow down", HttpStatusCode.TooManyRequests, retryAfter: Sec(3)), () => FakeServer.Status("completed"));

        Task<TranslationStatus> check = h.Client.GetStatusAsync("j1");
        h.Clock.Run(Sec(2.9));
        Assert.Single(h.Server.Requests);
        h.Clock.RunUntilDone(check);

        Assert.Equal(TranslationState.Completed, (await check).State);
        Assert.Equal([0, 3000], h.RequestTimes);
    }

    [Fact]
    public void The_option_is_checked()
    {
        var options = new TranslationClientOptions();

        Assert.Equal(0, options.StatusCheckRetries);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.StatusCheckRetries = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.StatusCheckRetries = 1001);
    }
}
