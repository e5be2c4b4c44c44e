using System.Net.Sockets;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14 item 7: a process out of file descriptors (EMFILE) cannot open a socket. That is no transient failure of the
/// server: retrying kept the process at its limit (where assembly loads failed and the runtime crashed). A wait fails at
/// once with <see cref="TranslationSocketLimitException"/>, which names the cause and the limits to lower.
/// </summary>
public class SocketLimitTests
{
    // What SocketsHttpHandler throws when socket() fails with EMFILE: SocketError.TooManyOpenSockets inside.
    private static HttpRequestException TooManyOpenFiles() =>
        new(HttpRequestError.ConnectionError, "Too many open files (jobs.test:80)", new SocketException((int)SocketError.TooManyOpenSockets));

    [Fact]
    public async Task A_wait_that_cannot_open_a_socket_fails_at_once_naming_the_descriptor_limit_and_what_to_lower()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromException<HttpResponseMessage>(TooManyOpenFiles());

        var ex = await Assert.ThrowsAsync<TranslationSocketLimitException>(() => h.Wait(Exact(PollingStrategy.Fixed(Ms(200))), jobId: "j"));

        Assert.Single(h.Server.Requests);
        Assert.False(ex.IsTransient);
        Assert.Equal("too many open files (the process's descriptor limit, ulimit -n) (jobs.test:80)", ex.Reason);
        Assert.Contains("too many open files", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-ThrottleLimit and -HoldLimit", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(ex.InnerException!.InnerException);
    }

    [Theory]
    [InlineData(24)] // EMFILE, as a runtime that does not map it would report it
    [InlineData(23)] // ENFILE: the system's table is full
    public void The_errno_of_a_descriptor_limit_is_recognised_too(int errno)
    {
        var failure = new HttpRequestException("socket failed", new SocketException(errno));

        Assert.IsType<TranslationSocketLimitException>(
            VideoTranslation.Internal.TransportFailure.From(failure, "GET", FakeServer.BaseUri, FakeServer.BaseUri));
        Assert.IsType<TranslationConnectionException>(
            Internal.TransportFailure.From(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), "GET", FakeServer.BaseUri, FakeServer.BaseUri));
    }

    [Fact]
    public async Task In_a_batch_the_jobs_that_get_no_socket_end_each_with_its_error_and_the_others_finish()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        var ids = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? $"nofd{i}" : $"ok{i}").ToArray();
        foreach (string id in ids.Where(i => i.StartsWith("ok", StringComparison.Ordinal)))
        {
            h.Server.Add(id, Sec(3));
        }

        h.Server.Handle = (request, n, ct) => request.RequestUri!.AbsolutePath.Contains("/nofd", StringComparison.Ordinal)
            ? Task.FromException<HttpResponseMessage>(TooManyOpenFiles())
            : h.Server.Answer(request, n, ct);

        var outcomes = await h.WaitAll(ids, Exact(PollingStrategy.Fixed(Sec(1))), new TranslationBatchOptions { MaxConcurrency = 16 });

        Assert.Equal(ids, outcomes.Select(o => o.JobId));
        Assert.All(outcomes.Where(o => o.JobId!.StartsWith("ok", StringComparison.Ordinal)), o => Assert.True(o.Succeeded));
        Assert.All(outcomes.Where(o => o.JobId!.StartsWith("nofd", StringComparison.Ordinal)), o => Assert.IsType<TranslationSocketLimitException>(o.Error));
        Assert.Equal(100, h.Server.Requests.Count(r => r.Uri.AbsolutePath.Contains("/nofd", StringComparison.Ordinal))); // one each, no retry
    }

    [Fact]
    public void A_batch_budget_that_needs_more_sockets_than_the_process_may_open_is_scaled_down_to_fit()
    {
        // -ThrottleLimit 2000 and the default 1024 holds under ulimit -n 1024 with ~190 descriptors open: 705 free.
        Assert.Equal((466, 239), VideoTranslation.Internal.DescriptorBudget.Fit(2000, 1024, 705));
        Assert.Equal((64, 1024), VideoTranslation.Internal.DescriptorBudget.Fit(64, 1024, 5000)); // fits: unchanged
        Assert.Equal((1, 0), VideoTranslation.Internal.DescriptorBudget.Fit(64, 1024, 1)); // at least one check
        Assert.Equal((10, 0), VideoTranslation.Internal.DescriptorBudget.Fit(100, 0, 10));
    }

    [Fact]
    public void The_soft_limit_is_read_from_proc_self_limits()
    {
        string[] limits =
        [
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max processes             95567                95567                processes ",
            "Max open files            1024                 524288               files     ",
        ];

        Assert.Equal(1024, VideoTranslation.Internal.DescriptorBudget.ReadSoftLimit(limits));
        Assert.Null(VideoTranslation.Internal.DescriptorBudget.ReadSoftLimit(["Max open files            unlimited            unlimited            files"]));
        Assert.Null(VideoTranslation.Internal.DescriptorBudget.ReadSoftLimit(["Max processes 1 1 processes"]));
        if (OperatingSystem.IsLinux())
        {
            var now = VideoTranslation.Internal.DescriptorBudget.Current();
            Assert.NotNull(now);
            Assert.InRange(now.Value.Open, 3, now.Value.Limit);
        }
    }

    [Fact]
    public async Task A_batch_keeps_its_requests_in_flight_within_the_sockets_the_process_may_open()
    {
        // 200 waits and MaxConcurrency 200, but room for 12 more sockets: at most 12 requests at once. (No holds here: the
        // batch driver counts one kind of slot; Fit shares the room between checks and holds, DescriptorBudget's test.)
        using var h = new Harness();
        h.Client.DescriptorHeadroom = () => (12, 256, 116);
        h.Server.Latency = Ms(100);
        h.Server.LongPollMaxSeconds = null;
        var ids = Enumerable.Range(0, 200).Select(i => $"j{i}").ToArray();
        foreach (string id in ids)
        {
            h.Server.Add(id, Sec(3));
        }

        // The driver moves fake time once every wait sleeps, is at the server, or queues behind the 12 slots in use.
        var batch = new TranslationBatchOptions { MaxConcurrency = 200, MaxHeldChecks = 0 };
        var driver = new BatchDriver(h, () => ids.Length, 12, batch, settled: null);
        var run = new Harness.Batch<IReadOnlyList<TranslationJobOutcome>>(
            h, driver, h.Client.WaitForAllAsync(ids, Exact(PollingStrategy.Fixed(Sec(1))), batch));
        var outcomes = await run.RunToEnd();

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.Equal(12, h.Server.MaxInFlight);
    }
}
