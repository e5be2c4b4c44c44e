using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// A strategy is user code and may ask for anything: a negative delay, a hold of days or of TimeSpan.MaxValue. The wait
/// neither runs backwards, nor reports a negative wait, nor overflows, nor asks the server to hold longer than a day.
/// </summary>
public class OutOfRangeStrategyTests
{
    [Fact]
    public void A_negative_delay_after_a_slow_check_is_no_delay()
    {
        Assert.Equal(TimeSpan.Zero, DelayPolicy.NextDelay(Sec(-1), Ms(100), Ms(200), null, null, null));
        Assert.Equal(TimeSpan.Zero, DelayPolicy.NextDelay(TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.Zero, null, null, null));
    }

    [Fact]
    public async Task A_negative_delay_is_never_reported_as_the_time_to_the_next_check()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Latency = Ms(200);
        h.Server.Add("j", Sec(1));
        var seen = new List<TimeSpan>();
        var options = Exact(new RecordingStrategy(delay: Sec(-1)));
        options.OnProgress = p => seen.Add(p.NextCheckIn);

        var result = await h.Wait(options, "j");

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.NotEmpty(seen);
        Assert.All(seen, d => Assert.Equal(TimeSpan.Zero, d));
    }

    [Fact]
    public async Task A_hold_of_TimeSpan_MaxValue_without_a_deadline_is_a_hold_of_one_day()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        var options = Exact(new RecordingStrategy(hold: TimeSpan.MaxValue));
        options.MaxWait = Timeout.InfiniteTimeSpan;

        var result = await h.Wait(options, "j");

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal("?wait=86400", h.Server.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task A_thirty_day_hold_without_a_deadline_asks_the_server_for_one_day()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));
        var options = Exact(new RecordingStrategy(hold: TimeSpan.FromDays(30)));
        options.MaxWait = Timeout.InfiniteTimeSpan;

        var result = await h.Wait(options, "j");

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal("?wait=86400", h.Server.Requests[0].Uri.Query);
    }
}
