using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// A batch's per-server budgets: ordinary checks (MaxConcurrency) and held checks (MaxHeldChecks) apart — CheckBudget
/// alone, then waits on the fake clock. BatchWaitTests has the one-hold and two-held cases.
/// </summary>
public class CheckBudgetTests
{
    [Fact]
    public async Task A_wanted_hold_is_taken_while_one_is_free_and_takes_no_ordinary_slot()
    {
        using var budget = new CheckBudget(maxChecks: 1, maxHolds: 2);

        using var hold1 = await budget.EnterAsync(wantsHold: true, CancellationToken.None);
        using var hold2 = await budget.EnterAsync(wantsHold: true, CancellationToken.None);
        Task<CheckBudget.Lease> ordinary = budget.EnterAsync(wantsHold: false, CancellationToken.None).AsTask();

        Assert.True(hold1.MayHold);
        Assert.True(hold2.MayHold);
        Assert.True(ordinary.IsCompleted); // the one ordinary slot is still free with both holds taken
        using var lease = await ordinary;
        Assert.False(lease.MayHold);
    }

    [Fact]
    public async Task With_every_hold_taken_a_wanted_hold_is_an_ordinary_check_at_once()
    {
        using var budget = new CheckBudget(maxChecks: 2, maxHolds: 1);
        using var held = await budget.EnterAsync(wantsHold: true, CancellationToken.None);

        Task<CheckBudget.Lease> unheld = budget.EnterAsync(wantsHold: true, CancellationToken.None).AsTask();

        Assert.True(unheld.IsCompleted); // no waiting for a hold
        using var lease = await unheld;
        Assert.False(lease.MayHold);
    }

    [Fact]
    public async Task A_freed_hold_is_taken_by_the_next_check_that_wants_one()
    {
        using var budget = new CheckBudget(maxChecks: 1, maxHolds: 1);
        var first = await budget.EnterAsync(wantsHold: true, CancellationToken.None);
        using (var unheld = await budget.EnterAsync(wantsHold: true, CancellationToken.None))
        {
            Assert.False(unheld.MayHold);
        }

        first.Dispose();
        using var again = await budget.EnterAsync(wantsHold: true, CancellationToken.None);

        Assert.True(again.MayHold);
    }

    [Fact]
    public async Task No_holds_means_never_hold()
    {
        using var budget = new CheckBudget(maxChecks: 3, maxHolds: 0);

        for (int i = 0; i < 3; i++)
        {
            var lease = await budget.EnterAsync(wantsHold: true, CancellationToken.None);
            Assert.False(lease.MayHold);
        }
    }

    [Fact]
    public async Task Ordinary_checks_queue_for_a_slot_and_get_it_when_one_is_released()
    {
        using var budget = new CheckBudget(maxChecks: 1, maxHolds: 1);
        using var hold = await budget.EnterAsync(wantsHold: true, CancellationToken.None);
        var first = await budget.EnterAsync(wantsHold: false, CancellationToken.None);

        Task<CheckBudget.Lease> queued = budget.EnterAsync(wantsHold: false, CancellationToken.None).AsTask();
        Task<CheckBudget.Lease> alsoWantsHold = budget.EnterAsync(wantsHold: true, CancellationToken.None).AsTask();

        Assert.False(queued.IsCompleted);
        Assert.False(alsoWantsHold.IsCompleted); // every hold taken: it queues for the ordinary slot, not for a hold
        first.Dispose();
        var next = await queued.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(next.MayHold);
        Assert.False(alsoWantsHold.IsCompleted);
        next.Dispose();
        Assert.False((await alsoWantsHold.WaitAsync(TimeSpan.FromSeconds(20))).MayHold);
    }

    [Fact]
    public async Task A_check_queued_for_a_slot_can_be_cancelled()
    {
        using var budget = new CheckBudget(maxChecks: 1, maxHolds: 0);
        using var taken = await budget.EnterAsync(wantsHold: false, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var queued = budget.EnterAsync(wantsHold: false, cts.Token).AsTask();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public void Outside_a_batch_there_is_no_limit_and_any_hold()
    {
        var lease = CheckBudget.Lease.Unlimited;
        Assert.True(lease.MayHold);
        lease.Dispose(); // nothing to release
        lease.Dispose();
    }

    [Fact]
    public async Task More_long_poll_waits_than_holds_hold_at_most_MaxHeldChecks_poll_meanwhile_and_take_a_hold_when_one_frees()
    {
        using var h = new Harness();
        h.Server.Add("a", Sec(3));
        h.Server.Add("b", Sec(7));
        h.Server.Add("c", Sec(20));
        h.Server.Add("d", Sec(20));
        h.Server.Add("e", Sec(20));
        var strategy = new LongPollStrategy(fallback: new FixedStrategy(Sec(2)));

        var outcomes = await h.WaitAll(["a", "b", "c", "d", "e"], Exact(strategy), new TranslationBatchOptions { MaxHeldChecks = 2 });

        // a and b take the two holds at 0. The others check unheld every 2 s; one of them takes a's freed hold at 4 s,
        // another b's at 8 s (which one is the clock's order of timers due at once), and the last finds none free before
        // 20 s, when the jobs end (and the holds with them): it sees its job at 20 s by polling.
        Assert.Equal([3.0, 7, 20, 20, 20], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
        Assert.Equal(2, h.Server.MaxHeldInFlight);
        AssertChecks(h, "a", [0.0], ["?wait=30"]);
        AssertChecks(h, "b", [0.0], ["?wait=30"]);
        var tookHoldAt = new List<double?>();
        foreach (string job in new[] { "c", "d", "e" })
        {
            var (at, query) = Checks(h, job);
            int held = Array.IndexOf(query, "?wait=30");
            int polls = held < 0 ? at.Length : held;
            Assert.Equal(Enumerable.Range(0, polls).Select(i => i * 2.0), at.Take(polls)); // unheld every 2 s meanwhile
            Assert.All(query.Take(polls), q => Assert.Equal("", q));
            Assert.True(held < 0 || held == at.Length - 1, $"{job}: one held check, the last: {string.Join(" ", query)}");
            tookHoldAt.Add(held < 0 ? null : at[held]);
        }

        var sorted = tookHoldAt.OrderBy(t => t ?? double.MaxValue).ToArray();
        Assert.Equal([4.0, 8.0], sorted.Take(2));
        Assert.True(sorted[2] is null or 20.0, $"the last took a hold at {sorted[2]} s");
    }

    [Fact]
    public async Task MaxHeldChecks_0_never_holds_and_long_poll_waits_poll_by_their_fallback()
    {
        using var h = new Harness();
        h.Server.Add("a", Sec(3));
        h.Server.Add("b", Sec(5));
        var strategy = new LongPollStrategy(fallback: new FixedStrategy(Sec(1)));

        var outcomes = await h.WaitAll(["a", "b"], Exact(strategy), new TranslationBatchOptions { MaxHeldChecks = 0 });

        Assert.Equal([3.0, 5], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
        Assert.Equal(0, h.Server.MaxHeldInFlight);
        Assert.All(h.Server.Requests, r => Assert.Equal("", r.Uri.Query));
        Assert.Equal([0.0, 1, 2, 3], Checks(h, "a").At);
    }

    [Fact]
    public void MaxHeldChecks_accepts_0_to_100000_defaults_to_1024_and_rejects_the_rest_naming_it()
    {
        Assert.Equal(1024, new TranslationBatchOptions().MaxHeldChecks);
        Assert.Equal(TranslationBatchOptions.DefaultMaxHeldChecks, new TranslationBatchOptions().MaxHeldChecks);
        Assert.Equal(0, new TranslationBatchOptions { MaxHeldChecks = 0 }.MaxHeldChecks);
        Assert.Equal(100_000, new TranslationBatchOptions { MaxHeldChecks = 100_000 }.MaxHeldChecks);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TranslationBatchOptions { MaxHeldChecks = -1 });
        Assert.Equal("MaxHeldChecks", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TranslationBatchOptions { MaxHeldChecks = 100_001 });
    }

    [Fact]
    public async Task Ordinary_checks_never_queue_behind_many_held_ones()
    {
        // Ten waits hold their checks all along; two others whose server part offers no long-poll check every second
        // through the one ordinary slot, on time.
        using var h = new Harness();
        for (int i = 0; i < 10; i++)
        {
            h.Server.Add($"held{i}", Sec(60));
        }

        h.Server.Handle = (request, n, ct) =>
        {
            string path = request.RequestUri!.AbsolutePath;
            return path.Contains("/plain", StringComparison.Ordinal)
                ? Task.FromResult(FakeServer.Status(h.Clock.Elapsed >= Sec(path.Contains("plain1", StringComparison.Ordinal) ? 4 : 5) ? "completed" : "pending"))
                : h.Server.Answer(request, n, ct);
        };
        var ids = Enumerable.Range(0, 10).Select(i => $"held{i}").Append("plain1").Append("plain2").ToArray();
        var strategy = new LongPollStrategy(fallback: new FixedStrategy(Sec(1)));

        var outcomes = await h.WaitAll(ids, Exact(strategy), new TranslationBatchOptions { MaxConcurrency = 1 });

        Assert.Equal(Sec(4), outcomes[10].Result!.Elapsed);
        Assert.Equal(Sec(5), outcomes[11].Result!.Elapsed);
        Assert.Equal([0.0, 1, 2, 3, 4], Checks(h, "plain1").At);
        Assert.Equal([0.0, 1, 2, 3, 4, 5], Checks(h, "plain2").At);
        Assert.All(outcomes.Take(10), o => Assert.Equal(Sec(60), o.Result!.Elapsed));
        Assert.InRange(h.Server.MaxHeldInFlight, 10, 12); // the plain ones' first checks ask for a hold too, answered at once
        Assert.True(h.Server.MaxInFlight >= 10);
    }

    private static void AssertChecks(Harness h, string job, double[] at, string[] queries)
    {
        var (times, query) = Checks(h, job);
        Assert.Equal(at, times);
        Assert.Equal(queries, query);
    }

    private static (double[] At, string[] Query) Checks(Harness h, string job)
    {
        var requests = h.Server.Requests.Where(r => r.Uri.AbsolutePath.Contains($"/{job}/", StringComparison.Ordinal)).ToList();
        return (requests.Select(r => (r.At - TestClock.T0).TotalSeconds).ToArray(), requests.Select(r => r.Uri.Query).ToArray());
    }
}
