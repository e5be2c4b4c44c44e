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
        var (clock, server, logger) = Arrange();
        server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));
        using var client = NewClient(clock, server, logger);

        // Act
        var wait = client.WaitForCompletionAsync("job-1", FixedOptions());
        clock.Run(TimeSpan.FromMinutes(1));
        Assert.True(wait.IsCompleted, "the wait is still running");
        var result = await wait;
        var single = await client.GetStatusAsync("job-1");

        // Assert: the secret did go out with the requests, and nowhere else.
        Assert.All(server.Requests, r => Assert.Equal("user:" + Secret, r.Uri.UserInfo));
        Assert.All(result.History.Append(result.FinalStatus).Append(single), s => AssertClean(s.RequestUri));
        Assert.Equal(new Uri("http://jobs.test/jobs/job-1/status"), single.RequestUri);
        AssertLogClean(logger);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Trace); // every level was collected
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_404_failure()
    {
        // Arrange
        var (clock, server, logger) = Arrange();
        server.Sequence(() => FakeServer.Json("""{"error":"no such job"}""", HttpStatusCode.NotFound));
        using var client = NewClient(clock, server, logger);

        // Act
        var wait = client.WaitForCompletionAsync("gone", FixedOptions());
        clock.Run(TimeSpan.FromMinutes(1));

        // Assert
        Assert.True(wait.IsCompleted, "the wait is still running");
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        AssertClean(ex);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_timeout_after_503s()
    {
        // Arrange: one pending answer, then 503 until the 10 s deadline.
        var (clock, server, logger) = Arrange();
        server.Sequence(
            () => FakeServer.Status("pending"),
            () => FakeServer.Json("overloaded", HttpStatusCode.ServiceUnavailable));
        using var client = NewClient(clock, server, logger);
        var options = FixedOptions();
        options.MaxWait = TimeSpan.FromSeconds(10);

        // Act
        var wait = client.WaitForCompletionAsync(null, options);
        clock.Run(TimeSpan.FromMinutes(1));

        // Assert
        Assert.True(wait.IsCompleted, "the wait is still running");
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
        var (clock, server, logger) = Arrange();
        server.Respond = (_, ct) => HangUntilCancelled(ct);
        using var client = new TranslationClient(
            SecretBaseUri,
            new TranslationClientOptions { TimeProvider = clock, Logger = logger, RequestTimeout = TimeSpan.FromSeconds(1) },
            new HttpClient(server));
        var options = FixedOptions();
        options.MaxWait = TimeSpan.FromSeconds(5);

        // Act
        var wait = client.WaitForCompletionAsync(null, options);
        clock.RunUntilDone(wait, TimeSpan.FromMinutes(1));

        // Assert
        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        AssertClean(ex);
        Assert.IsType<TranslationConnectionException>(ex.InnerException);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_protocol_error()
    {
        // Arrange
        var (clock, server, logger) = Arrange();
        server.Sequence(() => FakeServer.Json("<html>not a status</html>"));
        using var client = NewClient(clock, server, logger);

        // Act
        var wait = client.WaitForCompletionAsync(null, FixedOptions());
        clock.Run(TimeSpan.FromMinutes(1));

        // Assert
        Assert.True(wait.IsCompleted, "the wait is still running");
        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        AssertClean(ex);
        AssertLogClean(logger);
    }

    [Fact]
    public async Task Secret_is_in_no_part_of_a_single_check_failure()
    {
        // Arrange
        var (clock, server, logger) = Arrange();
        server.Sequence(() => FakeServer.Json("down", HttpStatusCode.BadGateway));
        using var client = NewClient(clock, server, logger);

        // Act + Assert
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => client.GetStatusAsync("job-1"));
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
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClient(new Uri(baseUri)));

        // Assert
        Assert.Equal("baseUri", ex.ParamName);
        Assert.Contains("jobs.test", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redacted_request_uri_is_the_real_one_without_user_info()
    {
        // Arrange: a job id that needs escaping.
        var (clock, server, logger) = Arrange();
        server.Sequence(() => FakeServer.Status("completed"));
        using var client = NewClient(clock, server, logger);

        // Act
        var status = await client.GetStatusAsync("a/b c");

        // Assert
        var sent = Assert.Single(server.Requests).Uri;
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
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Sequence(() => FakeServer.Status("completed"));
        using var http = new HttpClient(server);
        var first = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock }, http);
        await first.GetStatusAsync();

        // Act
        first.Dispose();

        // Assert: the HttpClient (and its handler) still work, directly and for a new client.
        using var direct = await http.GetAsync(new Uri(FakeServer.BaseUri, "status"));
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        using var second = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock }, http);
        var status = await second.GetStatusAsync();
        Assert.Equal(TranslationState.Completed, status.State);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Methods_of_a_disposed_client_throw_ObjectDisposedException()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.Sequence(() => FakeServer.Status("completed")); // a call that wrongly goes through ends at once, not hangs
        var client = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock }, new HttpClient(server));
        client.Dispose();

        // Act + Assert
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetStatusAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.WaitForCompletionAsync("job-1"));
        Assert.Throws<ObjectDisposedException>(() => client.GetStatus("job-1"));
        Assert.Throws<ObjectDisposedException>(() => client.WaitForCompletion());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        // Arrange
        var clock = new TestClock();
        var server = new FakeServer(clock);
        var client = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock }, new HttpClient(server));

        // Act
        client.Dispose();
        client.Dispose();

        // Assert
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetStatusAsync());
    }

    private static (TestClock Clock, FakeServer Server, FakeLogger Logger) Arrange()
    {
        var clock = new TestClock();

        // Every level, Trace included, is enabled and collected: a secret logged at any level must be seen here.
        var collector = FakeLogCollector.Create(new FakeLogCollectorOptions { CollectRecordsForDisabledLogLevels = true });
        var logger = new FakeLogger(collector);
        foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
        {
            logger.ControlLevel(level, enabled: true);
        }

        return (clock, new FakeServer(clock), logger);
    }

    // An answer that never comes, cancelled from the token's own callback: the request timeout then reaches the
    // client inline, on the fake clock's thread, before the clock looks for the next timer. (An awaited
    // Task.Delay would resume on the thread pool, and the clock would run ahead of the client.)
    private static Task<HttpResponseMessage> HangUntilCancelled(CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>();
        cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        return answer.Task;
    }

    private static TranslationClient NewClient(TestClock clock, FakeServer server, ILogger logger) =>
        new(SecretBaseUri, new TranslationClientOptions { TimeProvider = clock, Logger = logger }, new HttpClient(server));

    private static TranslationWaitOptions FixedOptions() => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        RetryBackoff = new ExponentialBackoff(Interval, 1, Interval),
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
