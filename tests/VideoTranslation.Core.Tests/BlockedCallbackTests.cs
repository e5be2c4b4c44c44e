using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14 item 8: a status-change callback that blocks (in PowerShell, a -OnStatusChange script block stuck in a .NET
/// call, which Ctrl+C cannot interrupt) holds its wait: no request goes out for that job while it runs, however much
/// time passes, and the batch's other callbacks and outcomes wait their turn. The callback here is awaited as the
/// cmdlet's is (the pipeline thread runs it; the core awaits a task), and released by the test.
/// </summary>
public class BlockedCallbackTests
{
    [Fact]
    public async Task While_the_callback_blocks_its_wait_sends_no_request_and_polls_again_once_released()
    {
        using var h = new Harness();
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(30));
        var release = new TaskCompletionSource();
        int calls = 0;
        var options = Exact(PollingStrategy.Fixed(Sec(1)), maxWait: TimeSpan.FromMinutes(10));
        options.OnStatusChangedAsync = (_, _) => Interlocked.Increment(ref calls) == 1 ? release.Task : Task.CompletedTask;

        var wait = h.Start(options, "j");
        h.Clock.Run(Sec(20));

        Assert.Equal(1, calls);
        Assert.Single(h.Server.Requests); // 20 s of a 1 s poll, and only the first check
        Assert.False(wait.IsCompleted);

        release.SetResult();
        Assert.True(SpinWait.SpinUntil(() => h.Clock.PendingTimers > 0, TimeSpan.FromSeconds(10))); // its next sleep, once on its way
        h.Clock.RunUntilDone(wait);
        var result = await wait;
        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(Sec(30), result.Elapsed); // polled on, every second, once released
        Assert.Equal(11, h.Server.Requests.Count); // at 0, then 20 to 30 s
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task In_a_batch_a_blocked_callback_holds_the_others_callbacks_and_outcomes_until_it_returns()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("slow", Sec(100));
        h.Server.Add("quick", Sec(2));
        var release = new TaskCompletionSource();
        int calls = 0;
        var options = Exact(PollingStrategy.Fixed(Sec(1)));
        options.OnStatusChangedAsync = (_, _) => Interlocked.Increment(ref calls) == 1 ? release.Task : Task.CompletedTask;
        var finished = new List<string>();
        var batch = new TranslationBatchOptions { OnJobFinished = o => finished.Add(o.JobId!) };

        var run = h.StartAll(["slow", "quick"], options, batch);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1 && h.Server.Requests.Count == 2, TimeSpan.FromSeconds(10)));
        h.Clock.Run(Sec(20));

        // Every job's first answer is a change of state, whose callback waits its turn behind the blocked one: for 20 s
        // of a 1 s poll, no job has sent a second check, no other callback has run, and quick (done at 2 s) is not out.
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Empty(finished);

        release.SetResult();
        var outcomes = await run.RunToEnd();
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(["quick", "slow"], finished);
    }
}
