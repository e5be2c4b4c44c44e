using System.Collections.Concurrent;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14 item 6: a wait's deadline counts from when it was asked for, whether or not its turn at the batch's request
/// gate came. Many waits, a small budget and a server that never answers: each wait ends at its deadline, or at most one
/// request timeout after it (a check that went out just before the deadline), never later.
/// </summary>
public class QueuedDeadlineTests
{
    [Fact]
    public async Task Waits_queued_for_a_slot_on_a_silent_server_time_out_at_their_deadline_plus_at_most_one_request_timeout()
    {
        // 640 waits, 64 slots, a 5 s deadline, a 2 s request timeout: the figures of the issue (which took 25 s).
        using var h = new Harness(o =>
        {
            o.RequestTimeout = Sec(2);
            o.MaxTransportRetries = TranslationClientOptions.UnlimitedTransportRetries;
        });
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        h.Server.LongPollMaxSeconds = null; // no long-poll: a request at the server is one whose answer never comes
        string[] ids = Enumerable.Range(0, 640).Select(i => $"j{i}").ToArray();
        var endedAt = new ConcurrentBag<TimeSpan>();
        var batch = new TranslationBatchOptions
        {
            MaxConcurrency = 64,
            MaxHeldChecks = 0,
            OnJobFinished = _ => endedAt.Add(h.Clock.Elapsed),
        };

        var outcomes = await h.WaitAll(ids, Exact(PollingStrategy.Fixed(Sec(1)), maxWait: Sec(5)), batch);

        Assert.Equal(640, outcomes.Count);
        Assert.All(outcomes, o => Assert.IsType<TranslationTimeoutException>(o.Error));
        Assert.All(outcomes, o => Assert.InRange(((TranslationTimeoutException)o.Error!).Elapsed, Sec(5), Sec(7)));
        Assert.Equal(640, endedAt.Count);
        Assert.InRange(endedAt.Max(), Sec(5), Sec(7));

        // The waits that never got a slot say so, and sent nothing.
        var neverSent = outcomes.Where(o => ((TranslationTimeoutException)o.Error!).Attempts == 0).ToList();
        Assert.NotEmpty(neverSent);
        Assert.Contains("waiting for its turn", neverSent[0].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(640 - neverSent.Count, h.Server.Requests.Select(r => r.Uri.AbsolutePath).Distinct().Count());
    }

    [Fact]
    public async Task A_wait_queued_for_a_slot_times_out_at_its_deadline_not_when_its_turn_comes()
    {
        // One slot, taken by a check the server never answers (its request timeout an hour): the second wait's deadline
        // of 3 s passes while it queues; it ends then, without a request, not when the slot frees an hour later.
        using var h = new Harness(o => o.RequestTimeout = TimeSpan.FromHours(1));
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        h.Server.LongPollMaxSeconds = null; // no long-poll: a request at the server is one whose answer never comes
        var endedAt = new ConcurrentDictionary<string, TimeSpan>();
        var batch = new TranslationBatchOptions
        {
            MaxConcurrency = 1,
            MaxHeldChecks = 0,
            OnJobFinished = o => endedAt[o.JobId!] = h.Clock.Elapsed,
        };

        var outcomes = await h.WaitAll(["first", "second"], Exact(PollingStrategy.Fixed(Sec(1)), maxWait: Sec(3)), batch);

        var queued = Assert.IsType<TranslationTimeoutException>(outcomes[1].Error);
        Assert.Equal(Sec(3), endedAt["second"]);
        Assert.Equal(Sec(3), queued.Elapsed);
        Assert.Equal(0, queued.Attempts);
        Assert.Equal(TimeSpan.FromHours(1), endedAt["first"]); // the check in flight runs its request timeout
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Long_poll_waits_on_a_server_that_never_answers_its_capabilities_end_at_their_deadline()
    {
        // A silent server: GET /capabilities never answers (each probe ends at the 1 s request timeout), status checks
        // never either. The waits queued for the probe's answer must not wait for ever: a failed probe was asked again
        // at once (its 1 s pause counted from when it was sent), so they never left the queue (in pwsh: a hang).
        using var h = new Harness(o => o.RequestTimeout = Sec(1));
        h.Server.GroupMaxIds = 500;
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        h.Server.Handle = (_, _, ct) => FakeServer.Hang(ct);
        string[] ids = Enumerable.Range(0, 20).Select(i => $"j{i}").ToArray();
        var batch = h.StartAll(ids, Exact(new LongPollStrategy(), maxWait: Sec(3)));

        h.Clock.Run(Sec(10));
        var outcomes = await batch.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.All(outcomes, o => Assert.InRange(Assert.IsType<TranslationTimeoutException>(o.Error).Elapsed, Sec(3), Sec(4.5)));
        Assert.InRange(h.Server.Probes, 1, 3);
    }
}
