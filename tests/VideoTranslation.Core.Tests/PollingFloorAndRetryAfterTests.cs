using System.Net;
using System.Net.Http.Headers;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class PollingFloorAndRetryAfterTests
{
    private static Func<HttpResponseMessage> WithRetryAfter(HttpStatusCode code, string body, RetryConditionHeaderValue retryAfter) => () =>
    {
        var r = FakeServer.Json(body, code);
        r.Headers.RetryAfter = retryAfter;
        return r;
    };

    private static Func<HttpResponseMessage> RetryAfterSeconds(HttpStatusCode code, string body, double seconds) =>
        WithRetryAfter(code, body, new RetryConditionHeaderValue(Sec(seconds)));

    [Fact]
    public async Task A_429_with_retry_after_seconds_delays_the_next_check_that_long()
    {
        using var h = new Harness();
        h.Server.Sequence(RetryAfterSeconds(HttpStatusCode.TooManyRequests, "slow down", 5), () => FakeServer.Status("completed"));

        await h.Wait(Exact(PollingStrategy.Fixed(Sec(1))));

        Assert.Equal([0, 5000], h.RequestTimes);
    }

    [Fact]
    public async Task A_503_with_retry_after_as_a_date_delays_the_next_check_until_then()
    {
        using var h = new Harness();
        h.Server.Sequence(
            WithRetryAfter(HttpStatusCode.ServiceUnavailable, "", new RetryConditionHeaderValue(TestClock.T0.AddSeconds(7))),
            () => FakeServer.Status("completed"));

        await h.Wait(Exact(PollingStrategy.Fixed(Sec(1))));

        Assert.Equal([0, 7000], h.RequestTimes);
    }

    [Fact]
    public async Task Retry_after_on_a_pending_answer_is_a_lower_bound_on_the_next_delay()
    {
        using var h = new Harness();
        h.Server.Sequence(RetryAfterSeconds(HttpStatusCode.OK, """{"result":"pending"}""", 4), () => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        await h.Wait(Exact(PollingStrategy.Fixed(Sec(1))));

        Assert.Equal([0, 4000, 5000], h.RequestTimes);
    }

    [Fact]
    public async Task A_retry_after_shorter_than_the_strategy_does_not_shorten_the_delay()
    {
        using var h = new Harness();
        h.Server.Sequence(RetryAfterSeconds(HttpStatusCode.TooManyRequests, "", 1), () => FakeServer.Status("completed"));

        await h.Wait(Exact(PollingStrategy.Fixed(Sec(3))));

        Assert.Equal([0, 3000], h.RequestTimes);
    }

    [Fact]
    public async Task A_retry_after_past_the_deadline_is_cut_to_one_last_check_at_the_deadline()
    {
        using var h = new Harness();
        h.Server.Sequence(RetryAfterSeconds(HttpStatusCode.ServiceUnavailable, "", 3600), () => FakeServer.Status("completed"));

        var result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(1)), maxWait: Sec(30)));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal([0, 30000], h.RequestTimes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1000)]
    [InlineData(1)]
    public async Task No_strategy_can_poll_faster_than_the_minimum_interval(double strategyMs)
    {
        using var h = new Harness(o => o.MinimumPollInterval = Ms(250));
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(1));

        var result = await h.Wait(Exact(new RecordingStrategy(delay: Ms(strategyMs))));

        Assert.Equal([0, 250, 500, 750, 1000], h.RequestTimes);
        Assert.Equal(5, result.Attempts);
    }

    [Fact]
    public async Task A_strategy_asking_for_more_than_a_day_sleeps_one_day_at_most()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddDays(1));
        var options = Exact(new RecordingStrategy(delay: TimeSpan.MaxValue));
        options.MaxWait = Timeout.InfiniteTimeSpan;

        var result = await h.Wait(options);

        Assert.Equal([0, TimeSpan.FromDays(1).TotalMilliseconds], h.RequestTimes);
        Assert.Equal(TranslationState.Completed, result.State);
    }

    [Fact]
    public async Task A_custom_strategy_sees_the_wait_so_far()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Json("", HttpStatusCode.BadGateway), () => FakeServer.Status("completed"));
        var strategy = new RecordingStrategy();

        await h.Wait(Exact(strategy));

        Assert.Equal(
            [(1, 0.0, TranslationState.Pending, 0), (2, 1000.0, TranslationState.Pending, 1)],
            strategy.Delays.Select(c => (c.Attempt, c.Elapsed.TotalMilliseconds, c.LastStatus!.State, c.ConsecutiveFailures)));
    }
}
