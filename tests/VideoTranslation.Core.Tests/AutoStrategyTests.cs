using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>PollingStrategy.Auto (the default): long-poll when offered, else hints, else learned durations, else exponential.</summary>
public class AutoStrategyTests
{
    // Each test its own host, so nothing learned in DurationHistory.Shared by another test can reach it.
    private static Uri UniqueServer() => new($"http://auto-{Guid.NewGuid():N}.test/");

    private static Task<JobWait> Run(
        PollingStrategy strategy, double seconds, Action<FakeServer>? server = null, Action<FakeJob>? hints = null, Uri? baseUri = null) =>
        WaitForJob(seconds, Exact(strategy), server, hints, baseUri);

    private static void NoLongPoll(FakeServer b) => b.LongPollMaxSeconds = null;

    [Fact]
    public async Task With_long_poll_offered_one_held_request_sees_the_job_end()
    {
        var (h, job, result) = await Run(PollingStrategy.Auto(new DurationHistory()), 7, hints: j => j.Eta = FakeJob.ExactEta);
        using (h)
        {
            Assert.Equal(1, result.Attempts);
            Assert.Equal("?wait=30", h.Server.Requests[0].Uri.Query);
            Assert.Equal(TimeSpan.Zero, job.Lateness);
        }
    }

    [Fact]
    public async Task The_long_poll_hold_can_be_chosen()
    {
        var (h, _, _) = await Run(PollingStrategy.Auto(new DurationHistory(), maxHold: Sec(5)), 12);
        using (h)
        {
            Assert.Equal(["?wait=5", "?wait=5", "?wait=5"], h.Server.Requests.Select(r => r.Uri.Query));
        }
    }

    [Fact]
    public async Task Without_long_poll_it_follows_the_hints_after_one_probe()
    {
        var (h, job, result) = await Run(PollingStrategy.Auto(new DurationHistory()), 20, NoLongPoll, j => j.Eta = FakeJob.ExactEta);
        using (h)
        {
            Assert.Equal(["?wait=30", "", ""], h.Server.Requests.Select(r => r.Uri.Query));
            Assert.Equal(3, result.Attempts);
            Assert.Equal(Ms(10), job.Lateness);
        }
    }

    [Fact]
    public async Task Without_long_poll_or_hints_it_plans_from_what_it_learned()
    {
        var history = new DurationHistory();
        var twin = new DurationHistory();
        foreach (double s in new double[] { 10, 12, 14, 16, 18, 20 })
        {
            history.Add(FakeServer.BaseUri, Sec(s));
            twin.Add(FakeServer.BaseUri, Sec(s));
        }

        var (auto, _, _) = await Run(PollingStrategy.Auto(history), 16, NoLongPoll);
        var (learned, _, _) = await Run(new LearnedStrategy(twin, fallback: new ExponentialStrategy(Sec(1), 2, Sec(8))), 16, NoLongPoll);
        using (auto)
        using (learned)
        {
            Assert.Equal(learned.RequestTimes, auto.RequestTimes);
            Assert.True(auto.RequestTimes[1] >= 10_000, $"second check at {auto.RequestTimes[1]} ms; nothing ends before 10 s");
        }
    }

    [Fact]
    public async Task With_nothing_to_go_on_it_is_the_default_capped_exponential_with_jitter()
    {
        var (h, _, _) = await Run(PollingStrategy.Auto(new DurationHistory()), 30, NoLongPoll);
        using (h)
        {
            h.AssertDefaultExponentialGaps();
        }
    }

    [Fact]
    public async Task The_last_resort_can_be_chosen()
    {
        var (h, _, _) = await Run(PollingStrategy.Auto(new DurationHistory(), backoff: PollingStrategy.Fixed(Sec(2))), 7, NoLongPoll);
        using (h)
        {
            Assert.Equal([0, 2_000, 4_000, 6_000, 8_000], h.RequestTimes);
        }
    }

    [Fact]
    public async Task It_learns_from_its_own_waits_and_plans_once_it_has_five()
    {
        var history = new DurationHistory();
        var auto = PollingStrategy.Auto(history, backoff: new ExponentialStrategy(Sec(1), 2, Sec(8)));
        foreach (double s in new double[] { 10, 11, 12, 13, 14 })
        {
            var (warmUp, _, _) = await Run(auto, s, NoLongPoll);
            warmUp.Dispose();
        }

        Assert.Equal(5, history.Count(FakeServer.BaseUri));
        var (h, _, _) = await Run(auto, 12, NoLongPoll);
        using (h)
        {
            // Exponential would check at 1, 3, 7 s; the plan starts where jobs have been seen to end (after 7 s).
            Assert.True(h.RequestTimes[1] > 7_000, $"checks at {string.Join(", ", h.RequestTimes)} ms");
            Assert.Equal(6, history.Count(FakeServer.BaseUri));
        }
    }

    [Fact]
    public async Task Hints_win_over_history()
    {
        var history = new DurationHistory();
        for (int i = 0; i < 10; i++)
        {
            history.Add(FakeServer.BaseUri, Sec(100));
        }

        var (h, job, result) = await Run(PollingStrategy.Auto(history), 20, NoLongPoll, j => j.Eta = FakeJob.ExactEta);
        using (h)
        {
            Assert.Equal(3, result.Attempts);
            Assert.Equal(Ms(10), job.Lateness);
        }
    }

    [Fact]
    public async Task One_Auto_instance_decides_per_wait()
    {
        var auto = PollingStrategy.Auto(new DurationHistory());
        var (longPoll, _, lp) = await Run(auto, 7, baseUri: UniqueServer());
        var (hinted, _, hi) = await Run(auto, 7, NoLongPoll, j => j.Eta = FakeJob.ExactEta, UniqueServer());
        using (longPoll)
        using (hinted)
        {
            Assert.Equal(1, lp.Attempts);
            Assert.Equal(3, hi.Attempts);
        }
    }

    [Fact]
    public void Auto_chains_long_poll_adaptive_learned_and_the_backoff()
    {
        var history = new DurationHistory();
        var backoff = PollingStrategy.Fixed(Sec(3));

        var longPoll = Assert.IsType<LongPollStrategy>(PollingStrategy.Auto(history, Sec(12), backoff));
        Assert.Equal(Sec(12), longPoll.MaxHold);
        var adaptive = Assert.IsType<AdaptiveStrategy>(longPoll.Fallback);
        var learned = Assert.IsType<LearnedStrategy>(adaptive.Fallback);
        Assert.Same(history, learned.History);
        Assert.Same(backoff, learned.Fallback);

        var defaults = (LongPollStrategy)PollingStrategy.Auto();
        Assert.Same(DurationHistory.Shared, ((LearnedStrategy)((AdaptiveStrategy)defaults.Fallback).Fallback).History);
        Assert.Same(ExponentialStrategy.Default, ((LearnedStrategy)((AdaptiveStrategy)defaults.Fallback).Fallback).Fallback);
    }

    [Fact]
    public async Task The_default_options_learn_into_the_shared_history_per_server()
    {
        var server = UniqueServer();
        using var h = new Harness(baseUri: server);
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("j", Sec(4));

        var result = await h.Wait(new TranslationWaitOptions(), "j");

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal("?wait=30", h.Server.Requests[0].Uri.Query);
        Assert.Equal(1, DurationHistory.Shared.Count(server));
    }
}
