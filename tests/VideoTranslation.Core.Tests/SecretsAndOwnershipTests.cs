using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class SecretsAndOwnershipTests
{
    private const string Secret = "s3cret";
    private static readonly Uri SecretBaseUri = new("http://user:" + Secret + "@jobs.test/");
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Secret_in_base_uri_is_in_no_log_record_status_or_result()
    {
        // Arrange
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        // Act
        var result = await h.Wait(FixedOptions(), "job-1", runFor: TimeSpan.FromMinutes(1));
        var single = await h.Client.GetStatusAsync("job-1");

        // Assert: the secret did go out with the requests, and nowhere else.
        Assert.All(h.Server.Requests, r => Assert.Equal("user:" + Secret, r.Uri.UserInfo));
        Assert.All(result.History.Append(result.FinalStatus).Append(single), s => AssertClean(s.RequestUri));
        Assert.Equal(new Uri("http://jobs.test/jobs/job-1/status"), single.RequestUri);
        AssertLogClean(logger);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Trace); // every level was collected
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_404_failure()
    {
        // Arrange
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(() => FakeServer.Json("""{"error":"no such job"}""", HttpStatusCode.NotFound));

        // Act
        var wait = h.Wait(FixedOptions(), "gone", runFor: TimeSpan.FromMinutes(1));

        // Assert
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        AssertClean(ex);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_timeout_after_503s()
    {
        // Arrange: one pending answer, then 503 until the 10 s deadline.
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(
            () => FakeServer.Status("pending"),
            () => FakeServer.Json("overloaded", HttpStatusCode.ServiceUnavailable));
        var options = FixedOptions();
        options.MaxWait = TimeSpan.FromSeconds(10);

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        AssertClean(ex);
        AssertClean(ex.LastStatus!.RequestUri);
        var inner = Assert.IsType<TranslationHttpException>(ex.InnerException);
        Assert.Equal(503, inner.StatusCode);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_timeout_after_request_timeouts()
    {
        // Arrange: every request hangs until its 1 s timeout; the wait gives up at 5 s.
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger, o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        var options = FixedOptions();
        options.MaxWait = TimeSpan.FromSeconds(5);

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        AssertClean(ex);
        Assert.IsType<TranslationConnectionException>(ex.InnerException);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_protocol_error()
    {
        // Arrange
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(() => FakeServer.Json("<html>not a status</html>"));

        // Act
        var wait = h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert
        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        AssertClean(ex);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_single_check_failure()
    {
        // Arrange
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(() => FakeServer.Json("down", HttpStatusCode.BadGateway));

        // Act + Assert
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("job-1"));
        AssertClean(ex);
    }

    [Theory]
    [InlineData("ftp://user:s3cret@jobs.test/")]
    [InlineData("http://user:s3cret@jobs.test/?x=1")]
    [InlineData("http://jobs.test/?token=s3cret")]
    [InlineData("http://jobs.test/#access_token=s3cret")]
    [InlineData("http://jobs.test/?s3cret")]
    public void Rejected_base_uri_is_reported_without_its_secret(string baseUri)
    {
        // Act
        var ex = Assert.Throws<TranslationAddressException>(() => new TranslationClient(new Uri(baseUri)));

        // Assert
        Assert.Equal("baseUri", ex.ParamName);
        Assert.Contains("jobs.test", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redacted_request_uri_is_the_real_one_without_user_info()
    {
        // Arrange: a job id that needs escaping.
        var logger = TestLogger.EveryLevel();
        using var h = SecretHarness(logger);
        h.Server.Sequence(() => FakeServer.Status("completed"));

        // Act
        var status = await h.Client.GetStatusAsync("a/b c");

        // Assert
        var sent = Assert.Single(h.Server.Requests).Uri;
        Assert.Equal("http://user:s3cret@jobs.test/jobs/a%2Fb%20c/status", sent.AbsoluteUri);
        Assert.Equal("http://jobs.test/jobs/a%2Fb%20c/status", status.RequestUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://jobs.test/status?wait=30&token=abc&key=x%20y", "http://jobs.test/status?wait=30&token=***&key=***")]
    [InlineData("http://jobs.test/status?WAIT=5&sig=zz", "http://jobs.test/status?WAIT=5&sig=***")]
    [InlineData("http://jobs.test/status?api_key=", "http://jobs.test/status?api_key=***")]
    [InlineData("https://user:s3cret@jobs.test:8443/api/status", "https://jobs.test:8443/api/status")]
    [InlineData("http://user:s3cret@jobs.test/status?wait=1&code=s3cret", "http://jobs.test/status?wait=1&code=***")]
    [InlineData("http://jobs.test/jobs/j1/status", "http://jobs.test/jobs/j1/status")]
    public void Redact_removes_user_info_and_masks_query_values_except_wait(string input, string expected)
    {
        // Act
        var redacted = UriRedaction.Redact(new Uri(input));

        // Assert
        Assert.Equal(expected, redacted.AbsoluteUri);
    }

    [Fact]
    public void Redact_leaves_a_relative_uri_alone()
    {
        // Arrange
        var relative = new Uri("status?token=abc", UriKind.Relative);

        // Act + Assert
        Assert.Same(relative, UriRedaction.Redact(relative));
    }

    [Fact]
    public async Task Caller_owned_HttpClient_is_not_disposed_with_the_client()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        var http = h.Http;
        var first = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = h.Clock }, http);
        await first.GetStatusAsync();

        // Act
        first.Dispose();

        // Assert: the HttpClient (and its handler) still work, directly and for a new client.
        using var direct = await http.GetAsync(new Uri(FakeServer.BaseUri, "status"));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        using var second = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = h.Clock }, http);
        var status = await second.GetStatusAsync();
        Assert.Equal(TranslationState.Completed, status.State);
        Assert.Equal(3, h.Server.Requests.Count);
    }

    [Fact]
    public async Task Methods_of_a_disposed_client_throw_ObjectDisposedException()
    {
        // Arrange
        // Only the client is disposed, not its HttpClient: an ObjectDisposedException can come from the client alone.
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed")); // a call that wrongly goes through ends at once, not hangs
        var client = h.Client;
        client.Dispose();

        // Act + Assert
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Client.GetStatusAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.WaitForCompletionAsync("job-1"));
        Assert.Throws<ObjectDisposedException>(() => client.GetStatus("job-1"));
        Assert.Throws<ObjectDisposedException>(() => client.WaitForCompletion());
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        // Arrange
        using var h = new Harness();
        var client = h.Client;

        // Act
        client.Dispose();
        client.Dispose();

        // Assert
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Client.GetStatusAsync());
    }

    private static Harness SecretHarness(FakeLogger logger, Action<TranslationClientOptions>? configure = null) =>
        new(
            o =>
            {
                o.Logger = logger;
                configure?.Invoke(o);
            },
            SecretBaseUri);

    private static TranslationWaitOptions FixedOptions() => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        RetryBackoff = new RetryBackoff(Interval, 1, Interval),
        MaxWait = TimeSpan.FromMinutes(5),
    };

    private static void AssertClean(Uri? uri)
    {
        Assert.NotNull(uri);
        Assert.Equal(string.Empty, uri.UserInfo);
        Assert.DoesNotContain(Secret, uri.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, uri.ToString(), StringComparison.Ordinal);
    }

    private static void AssertClean(TranslationException ex)
    {
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        AssertClean(ex.RequestUri);
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            Assert.DoesNotContain(Secret, inner.Message, StringComparison.Ordinal);
            if (inner is TranslationException translation)
            {
                AssertClean(translation.RequestUri);
            }
        }
    }

    private static void AssertLogClean(FakeLogger logger)
    {
        var records = logger.Collector.GetSnapshot();

        // Not vacuous: at least one record names the status URL.
        Assert.Contains(records, r => r.Message.Contains("jobs.test", StringComparison.Ordinal));
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(Secret, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, r.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, r.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.All(r.StructuredState ?? [], kv => Assert.DoesNotContain(Secret, kv.Value ?? string.Empty, StringComparison.Ordinal));
        });
    }
}
