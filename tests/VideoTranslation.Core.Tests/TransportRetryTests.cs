using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Checks that get no answer at all are retried a bounded number of times in a row (MaxTransportRetries), then the wait
/// fails with TranslationServerUnreachableException saying what failed, how often and for how long; a TLS failure is
/// never retried. The failures are the shapes HttpClient throws on .NET 8+.
/// </summary>
public class TransportRetryTests
{
    private static readonly Uri Other = new("http://other.test/");

    private static HttpRequestException Refused(string endpoint = "jobs.test:80") =>
        new(HttpRequestError.ConnectionError, $"Connection refused ({endpoint})", new SocketException((int)SocketError.ConnectionRefused));

    private static HttpRequestException NotResolved() =>
        new(HttpRequestError.NameResolutionError, "Name or service not known (jobs.test:80)", new SocketException((int)SocketError.HostNotFound));

    private static HttpRequestException Tls(string reason) =>
        new(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", new AuthenticationException(reason));

    private static Task<HttpResponseMessage> Throw(Exception ex) => Task.FromException<HttpResponseMessage>(ex);

    [Fact]
    public async Task Refused_connections_end_the_wait_after_the_default_four_retries_with_what_failed_how_often_and_how_long()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Throw(Refused());

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Ms(200))), jobId: "j");

        var ex = await Assert.ThrowsAsync<TranslationServerUnreachableException>(() => wait);
        Assert.Equal([0, 500, 1500, 3500, 7500], h.RequestTimes); // the retry backoff: 0.5, 1, 2, 4 s
        Assert.Equal((5, 5, Sec(7.5)), (ex.ConsecutiveFailures, ex.Attempts, ex.FailingFor));
        Assert.False(ex.IsTransient);
        Assert.Same(ex.LastError, ex.InnerException);
        Assert.Equal("connection refused (jobs.test:80)", ex.LastError.Reason);
        Assert.Equal(
            "Gave up waiting for job j at http://jobs.test/jobs/j/status: the server could not be reached; 5 checks in a row got no answer " +
            "over 7.5 s (4 retries, the limit set by MaxTransportRetries; -MaximumRetryCount in PowerShell). The last: connection refused (jobs.test:80).",
            ex.Message);
    }

    [Fact]
    public async Task An_answer_starts_the_count_again()
    {
        using var h = new Harness(o => o.MaxTransportRetries = 2);
        Func<HttpResponseMessage> refused = () => throw Refused();
        h.Server.Sequence(refused, refused, () => FakeServer.Status("pending"), refused, refused, () => FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 6), (result.State, result.Attempts));
    }

    [Fact]
    public async Task A_limit_of_one_retry_says_one_retry()
    {
        using var h = new Harness(o => o.MaxTransportRetries = 1);
        h.Server.Respond = (_, _) => Throw(Refused());

        var ex = await Assert.ThrowsAsync<TranslationServerUnreachableException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200))), jobId: "j"));

        Assert.Contains("; 2 checks in a row got no answer over 500 ms (1 retry, the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTTP_error_is_an_answer_it_starts_the_count_again_and_is_retried_until_the_deadline()
    {
        using var h = new Harness(o => o.MaxTransportRetries = 1);
        Func<HttpResponseMessage> refused = () => throw Refused();
        var busy = () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable);
        h.Server.Sequence(refused, busy, refused, busy, busy, busy, busy, busy, () => FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 9), (result.State, result.Attempts));
    }

    [Fact]
    public async Task Unlimited_retries_retry_until_the_server_answers()
    {
        using var h = new Harness(o => o.MaxTransportRetries = TranslationClientOptions.UnlimitedTransportRetries);
        h.Server.Respond = (n, _) => n <= 20 ? Throw(Refused()) : Task.FromResult(FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 21), (result.State, result.Attempts));
    }

    [Fact]
    public async Task Zero_retries_fail_at_the_first_failure()
    {
        using var h = new Harness(o => o.MaxTransportRetries = 0);
        h.Server.Respond = (_, _) => Throw(NotResolved());

        var ex = await Assert.ThrowsAsync<TranslationServerUnreachableException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200)))));

        Assert.Single(h.Server.Requests);
        Assert.Equal("name not resolved (jobs.test:80)", ex.LastError.Reason);
        Assert.Contains("1 checks in a row got no answer over 0 ms (0 retries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_timeouts_count_as_no_answer()
    {
        using var h = new Harness(o => (o.RequestTimeout, o.MaxTransportRetries) = (Sec(1), 1));
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);

        var ex = await Assert.ThrowsAsync<TranslationServerUnreachableException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200)))));

        Assert.Equal([0, 1500], h.RequestTimes);
        Assert.Equal(Sec(2.5), ex.FailingFor); // from the first check's start to the end of the second's timeout
        Assert.True(ex.LastError.IsTimeout);
        Assert.Equal("no answer within the request timeout of 1 s (jobs.test:80)", ex.LastError.Reason);
    }

    [Fact]
    public async Task The_deadline_still_wins_when_it_comes_first()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Throw(Refused());

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200)), maxWait: Sec(2))));

        Assert.Equal([0, 500, 1500, 2000], h.RequestTimes);
        Assert.Contains("connection refused", Assert.IsType<TranslationConnectionException>(ex.InnerException).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", "the server's certificate was rejected: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")]
    [InlineData("The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch", "the server's certificate was rejected: The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch")]
    [InlineData("Cannot determine the frame size or a corrupted frame was received.", "the server did not complete a TLS handshake (Cannot determine the frame size or a corrupted frame was received.); if it speaks plain http on this port, use an http:// address")]
    public async Task A_TLS_failure_ends_the_wait_at_once_with_its_reason(string tlsMessage, string reason)
    {
        using var h = new Harness(o => o.MaxTransportRetries = TranslationClientOptions.UnlimitedTransportRetries);
        h.Server.Respond = (_, _) => Throw(Tls(tlsMessage));

        var ex = await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200))), jobId: "j"));

        Assert.Single(h.Server.Requests);
        Assert.False(ex.IsTransient);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal($"GET http://jobs.test/jobs/j/status failed: the TLS connection to jobs.test:80 could not be established: {reason}", ex.Message);
        Assert.DoesNotContain("see inner exception", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_check_reports_a_TLS_failure_as_such()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Throw(Tls("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));

        var ex = await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => h.Client.GetStatusAsync());

        Assert.Contains("UntrustedRoot", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_retry_is_logged_with_what_failed_which_retry_of_how_many_and_when()
    {
        var logger = new FakeLogger();
        using var h = new Harness(o => (o.Logger, o.MaxTransportRetries) = (logger, 2));
        h.Server.Respond = (_, _) => Throw(Refused());

        await Assert.ThrowsAsync<TranslationServerUnreachableException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200))), jobId: "j"));

        var retries = logger.Collector.GetSnapshot().Where(r => r.Id == TranslationLogEvents.RetryingAfterFailure).Select(r => r.Message);
        Assert.Equal(
            [
                "Check 1 of job j failed: connection refused (jobs.test:80). Retry 1 of 2 in 500 ms.",
                "Check 2 of job j failed: connection refused (jobs.test:80). Retry 2 of 2 in 1 s.",
            ],
            retries);
        var end = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id == TranslationLogEvents.PermanentFailure);
        Assert.Contains("Gave up waiting for job j", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_says_what_failed()
    {
        using var h = new Harness();
        h.Server.Sequence(new Func<HttpResponseMessage>(() => throw Refused()), () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable), () => FakeServer.Status("completed"));
        var reasons = new List<string?>();
        var options = Exact(PollingStrategy.Fixed(Ms(200)));
        options.OnProgress = p => reasons.Add(p.LastErrorReason);

        await h.Wait(options);

        Assert.Equal(["connection refused (jobs.test:80)", "HTTP 503 Service Unavailable"], reasons);
    }

    [Fact]
    public async Task In_a_batch_each_wait_counts_its_own_failures_and_an_unreachable_server_ends_only_its_own_waits()
    {
        using var h = new Harness();
        h.Server.Add("a", Sec(20));
        TranslationClient down = h.AddClient(Other);
        h.Server.Handle = (request, n, ct) => request.RequestUri!.Host == Other.Host
            ? Throw(Refused("other.test:80"))
            : h.Server.Answer(request, n, ct);
        var jobs = new[] { new TranslationJobTarget(h.Client, "a"), new TranslationJobTarget(down, "b"), new TranslationJobTarget(down, "c") };

        var outcomes = await h.WaitTargets(jobs, Exact(PollingStrategy.Fixed(Sec(1))));

        Assert.Equal(["b", "c", "a"], outcomes.Select(o => o.JobId));
        Assert.All(outcomes.Take(2), o => Assert.Equal(5, Assert.IsType<TranslationServerUnreachableException>(o.Error).ConsecutiveFailures));
        Assert.Equal(TranslationState.Completed, outcomes[2].Result!.State);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(1001)]
    public void MaxTransportRetries_outside_minus_one_to_1000_is_refused(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TranslationClientOptions { MaxTransportRetries = value });
        Assert.Equal($"MaxTransportRetries must be between 0 and 1000; it was {value}. (Parameter 'MaxTransportRetries')\nActual value was {value}.", ex.Message.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void MaxTransportRetries_defaults_to_four()
    {
        Assert.Equal(4, new TranslationClientOptions().MaxTransportRetries);
        Assert.Equal(-1, new TranslationClientOptions { MaxTransportRetries = -1 }.MaxTransportRetries);
        Assert.Equal(1000, new TranslationClientOptions { MaxTransportRetries = 1000 }.MaxTransportRetries);
    }
}
