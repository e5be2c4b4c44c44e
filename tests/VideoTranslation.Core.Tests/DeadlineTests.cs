using System.Net;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class DeadlineTests
{
    [Fact]
    public async Task A_job_finishing_just_before_the_deadline_is_seen_by_the_check_at_the_deadline()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9.5));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(3)), maxWait: Sec(10)));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal([0, 3000, 6000, 9000, 10000], h.RequestTimes);
        Assert.Equal(Sec(10), result.Elapsed);
    }

    [Fact]
    public async Task A_job_finishing_exactly_at_the_deadline_completes()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(10));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(3)), maxWait: Sec(10)));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(5, result.Attempts);
    }

    [Fact]
    public async Task A_job_finishing_just_after_the_deadline_times_out_with_the_last_status()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(10.001));

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Sec(3)), maxWait: Sec(10)), jobId: "j7");

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal(TranslationState.Pending, ex.LastStatus?.State);
        Assert.Equal(TestClock.T0.AddSeconds(10), ex.LastStatus?.ObservedAt);
        Assert.Equal(5, ex.Attempts);
        Assert.Equal(Sec(10), ex.Elapsed);
        Assert.Equal(Sec(10), ex.MaxWait);
        Assert.Null(ex.InnerException);
        Assert.False(ex.IsTransient);
        Assert.Equal("Job j7 at http://jobs.test/jobs/j7/status did not finish within 10 s: last state Pending after 5 checks in 10 s.", ex.Message);

        h.Clock.Run(Sec(60));
        Assert.Equal(5, h.Server.Requests.Count); // nothing runs after the wait failed
    }

    [Fact]
    public async Task No_sleep_passes_the_deadline_even_when_the_strategy_asks_for_longer()
    {
        using var h = new Harness();

        var wait = h.Wait(Exact(PollingStrategy.Exponential(Sec(1), 2, Sec(60)), maxWait: Sec(10)));

        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal([0, 1000, 3000, 7000, 10000], h.RequestTimes);
    }

    [Fact]
    public async Task A_server_failing_until_the_deadline_gives_a_timeout_carrying_the_last_failure()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("down for maintenance", HttpStatusCode.ServiceUnavailable));

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Sec(1)), maxWait: Sec(5)));

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Null(ex.LastStatus);
        var last = Assert.IsType<TranslationHttpException>(ex.InnerException);
        Assert.Equal(503, last.StatusCode);
        Assert.Contains("no check succeeded after", ex.Message);
        Assert.Contains("The last check failed: GET http://jobs.test/status answered HTTP 503", ex.Message);
        Assert.Equal([0, 1000, 2000, 4000, 5000], h.RequestTimes); // backoff 0.5, 1, 2 s (≥ 1 s strategy), clipped at 5 s
    }

    [Fact]
    public async Task A_request_hanging_at_the_deadline_ends_the_wait_one_request_timeout_later()
    {
        using var h = new Harness(o => o.RequestTimeout = Sec(2));
        h.Server.Respond = (n, ct) => n < 3 ? Task.FromResult(FakeServer.Status("pending")) : FakeServer.Hang(ct);

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Sec(4)), maxWait: Sec(8)));

        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal([0, 4000, 8000], h.RequestTimes);
        Assert.Equal(Sec(10), ex.Elapsed);
        Assert.Equal(TestClock.T0.AddSeconds(10), h.Clock.GetUtcNow());
        Assert.True(Assert.IsType<TranslationConnectionException>(ex.InnerException).IsTimeout);
    }

    [Fact]
    public async Task An_infinite_max_wait_waits_as_long_as_it_takes()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddHours(30));
        var options = Exact(PollingStrategy.Fixed(TimeSpan.FromHours(1)));
        options.MaxWait = Timeout.InfiniteTimeSpan;

        var result = await h.Wait(options);

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(31, result.Attempts);
        Assert.Equal(TimeSpan.FromHours(30), result.Elapsed);
    }

    [Fact]
    public async Task The_deadline_starts_when_the_wait_starts()
    {
        using var h = new Harness();
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Server.JobFinishingAt(TestClock.T0.AddHours(1).AddSeconds(4));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(2)), maxWait: Sec(4)));

        Assert.Equal((TranslationState.Completed, 3), (result.State, result.Attempts));
        Assert.Equal(Sec(4), result.Elapsed);
    }

    [Fact]
    public async Task The_wait_reads_its_options_once_at_the_start()
    {
        using var h = new Harness();
        var options = Exact(PollingStrategy.Fixed(Sec(1)), maxWait: Sec(3));
        var wait = h.Start(options);
        options.MaxWait = TimeSpan.FromHours(1);
        options.Strategy = PollingStrategy.Fixed(Sec(20));

        h.Clock.RunUntilDone(wait);

        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        Assert.Equal([0, 1000, 2000, 3000], h.RequestTimes);
    }
}
