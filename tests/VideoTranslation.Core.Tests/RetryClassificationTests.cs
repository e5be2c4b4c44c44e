using System.Net;
using System.Net.Sockets;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class RetryClassificationTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(418)]
    [InlineData(422)]
    [InlineData(301)]
    [InlineData(304)]
    public async Task Permanent_http_failures_end_the_wait_after_one_request(int code)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("""{"title":"Job not found","detail":"no such job"}""", (HttpStatusCode)code));

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Sec(1))), jobId: "j9");

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        Assert.Equal(code, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("""{"title":"Job not found","detail":"no such job"}""", ex.BodyExcerpt);
        Assert.Contains($"GET http://jobs.test/jobs/j9/status answered HTTP {code}", ex.Message);
        Assert.Contains("an error that retrying will not fix", ex.Message);
        Assert.Contains("no such job", ex.Message);
        Assert.Single(h.Server.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public async Task Transient_http_failures_are_retried_after_the_retry_backoff(int code)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("busy", (HttpStatusCode)code), () => FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([0, 500], h.RequestTimes); // the retry backoff (500 ms) outweighs the strategy (200 ms)
    }

    [Fact]
    public void Only_408_429_and_5xx_are_transient()
    {
        var transient = Enumerable.Range(100, 500).Where(TranslationHttpException.IsTransientStatusCode).ToArray();
        Assert.Equal([408, 429, .. Enumerable.Range(500, 100)], transient);
    }

    [Fact]
    public async Task A_refused_connection_is_retried()
    {
        using var h = new Harness();
        h.Server.Respond = (n, _) => n == 1
            ? throw new HttpRequestException("Connection refused (jobs.test:80)", new SocketException((int)SocketError.ConnectionRefused))
            : Task.FromResult(FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 2), (result.State, result.Attempts));
        Assert.Equal([0, 500], h.RequestTimes);
    }

    [Fact]
    public async Task A_single_check_reports_a_refused_connection_as_a_connection_error()
    {
        using var h = new Harness();
        var cause = new HttpRequestException("Connection refused (jobs.test:80)");
        h.Server.Respond = (_, _) => throw cause;

        var ex = await Assert.ThrowsAsync<TranslationConnectionException>(() => h.Client.GetStatusAsync());

        Assert.False(ex.IsTimeout);
        Assert.True(ex.IsTransient);
        Assert.Same(cause, ex.InnerException);
        Assert.Equal("GET http://jobs.test/status failed before a complete answer arrived: Connection refused (jobs.test:80)", ex.Message);
    }

    [Fact]
    public async Task A_connection_dropped_while_reading_the_body_is_retried()
    {
        using var h = new Harness();
        h.Server.Respond = (n, _) => Task.FromResult(n == 1
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DroppingStream()) }
            : FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 2), (result.State, result.Attempts));
    }

    [Fact]
    public async Task A_request_that_takes_longer_than_the_request_timeout_is_abandoned_and_retried()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(2));
        h.Server.Respond = (n, ct) => n == 1 ? FakeServer.Hang(ct) : Task.FromResult(FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Ms(200))));

        Assert.Equal((TranslationState.Completed, 2), (result.State, result.Attempts));
        Assert.Equal([0, 2500], h.RequestTimes); // 2 s timeout, then the 500 ms retry backoff
        Assert.Equal(Sec(2.5), result.Elapsed);
    }

    [Fact]
    public async Task A_caller_owned_http_client_timeout_also_counts_as_a_request_timeout()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => throw new TaskCanceledException("HttpClient.Timeout of 100 seconds elapsing");

        var ex = await Assert.ThrowsAsync<TranslationConnectionException>(() => h.Client.GetStatusAsync());

        Assert.True(ex.IsTimeout);
        Assert.Contains("within the request timeout of 5 s", ex.Message);
    }

    [Fact]
    public async Task The_retry_backoff_grows_with_consecutive_failures_and_resets_after_a_success()
    {
        using var h = new Harness(o => o.MinimumPollInterval = Ms(10));
        var busy = () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable);
        var pending = () => FakeServer.Status("pending");
        h.Server.Sequence(busy, busy, busy, pending, busy, () => FakeServer.Status("completed"));
        var options = Exact(PollingStrategy.Fixed(Ms(50)));
        options.RetryBackoff = new RetryBackoff(Ms(100), 2, Sec(10));

        var result = await h.Wait(options);

        // failures 1,2,3 wait 100, 200, 400 ms; the success waits the strategy's 50 ms; the next failure starts again at 100 ms.
        Assert.Equal([0, 100, 300, 700, 750, 850], h.RequestTimes);
        Assert.Equal(6, result.Attempts);
    }

    [Fact]
    public async Task Failures_never_make_polling_faster_than_the_strategy()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("", HttpStatusCode.BadGateway), () => FakeServer.Status("completed"));

        await h.Wait(Exact(PollingStrategy.Fixed(Sec(3))));

        Assert.Equal([0, 3000], h.RequestTimes);
    }

    private sealed class DroppingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw Dropped();

        // Stream's default ReadAsync would run Read on the thread pool; fail on the caller's thread instead.
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromException<int>(Dropped());

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(Dropped());

        private static IOException Dropped() =>
            new("The response ended prematurely.", new SocketException((int)SocketError.ConnectionReset));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
