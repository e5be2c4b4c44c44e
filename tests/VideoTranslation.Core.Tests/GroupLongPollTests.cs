using System.Net;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// A batch's held checks in groups (POST /jobs/status) on the fake clock: sharing, the hold budget, joiners, cancellation,
/// fallback, failures, and the same per-wait results as checks held one by one.
/// </summary>
public class GroupLongPollTests
{
    // Modelled jobs on a server with group long-poll (unless groups is null).
    private static Harness Grouped(int? groups, params (string Id, double Seconds)[] jobs)
    {
        var h = new Harness();
        h.Server.GroupMaxIds = groups;
        foreach (var (id, seconds) in jobs)
        {
            h.Server.Add(id, Sec(seconds), id.StartsWith("err", StringComparison.Ordinal) ? "error" : "completed");
        }

        return h;
    }

    private static TranslationWaitOptions LongPoll(double maxWaitSeconds = 600) => Exact(new LongPollStrategy(), Sec(maxWaitSeconds));

    private static string Describe(IEnumerable<GroupRequest> groups) =>
        string.Join("; ", groups.Select(g => $"[{string.Join(",", g.Ids)}] wait {g.Wait} at {(g.At - TestClock.T0).TotalSeconds} s"));

    private static async Task<List<TranslationJobOutcome>> CollectAsync(IAsyncEnumerable<TranslationJobOutcome> outcomes)
    {
        var list = new List<TranslationJobOutcome>();
        await foreach (TranslationJobOutcome outcome in outcomes)
        {
            list.Add(outcome);
        }

        return list;
    }

    [Fact]
    public async Task Many_held_checks_share_one_group_request_and_each_wait_ends_as_its_own_hold_would()
    {
        using var h = Grouped(500, ("a", 3), ("b", 1), ("c", 2), ("d", 5));
        var outcomes = await h.WaitAll(["a", "b", "c", "d"], LongPoll());

        // One request for all four; each answer takes the finished job out, the others are held again at once.
        Assert.Equal(
            "[a,b,c,d] wait 30 at 0 s; [a,c,d] wait 29 at 1 s; [a,d] wait 28 at 2 s; [d] wait 27 at 3 s",
            Describe(h.Server.GroupRequests));
        Assert.Equal(4, h.Server.StatusRequests.Count);
        Assert.All(h.Server.StatusRequests, r => Assert.Equal("/jobs/status", r.Uri.AbsolutePath));
        Assert.Equal(1, h.Server.Probes);
        Assert.Equal(1, h.Server.MaxHeldInFlight);
        Assert.Equal([3.0, 1, 2, 5], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
        Assert.All(outcomes, o => Assert.Equal(1, o.Result!.Attempts));
        Assert.All(h.Server.Jobs, j => Assert.Equal(TimeSpan.Zero, j.Lateness));
        Assert.All(outcomes, o => Assert.Equal(Sec(60), o.Result!.FinalStatus.LongPollLimit));
        Assert.All(outcomes, o => Assert.Equal(new Uri(FakeServer.BaseUri, $"jobs/{o.JobId}/status"), o.Result!.FinalStatus.RequestUri));
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(20_000)]
    public async Task Thousands_of_held_waits_cost_about_one_request_each_and_see_every_job_as_it_finishes(int count)
    {
        var h = new Harness();
        h.Server.GroupMaxIds = 500;
        h.Server.RequestLimit = count * 2;
        var random = new Random(7);
        string[] ids = new string[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = $"job-{i}";
            h.Server.Add(ids[i], Sec(15 + (15 * random.NextDouble())));
        }

        using (h)
        {
            var outcomes = await h.WaitAll(ids, LongPoll());

            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            var twice = outcomes.FirstOrDefault(o => o.Result!.Attempts != 1);
            Assert.True(twice is null, twice is null ? "" : $"{twice.JobId} {h.Server[twice.JobId!].Duration}: {string.Join("; ", twice.Result!.History.Select(s => $"{s.State} {s.ObservedAt - TestClock.T0} held {s.LongPollHeld}"))}; groups with it: {Describe(h.Server.GroupRequests.Where(g => g.Ids.Contains(twice.JobId)).Take(4))}");
            Assert.All(h.Server.Jobs, j => Assert.Equal(TimeSpan.Zero, j.Lateness));

            // One answer per finish (each ends its job's group) and the first groups, of 16 — more when 1,024 holds
            // would not do (20,000 jobs: 20) — where held one by one only 1,024 could be held and the rest would poll.
            int size = Math.Max(16, (count + 1023) / 1024);
            int groups = (count + size - 1) / size;
            Assert.InRange(h.Server.StatusRequests.Count, count, count + groups);
            Assert.Equal(groups, h.Server.GroupRequests.Count(g => g.At == TestClock.T0));
            Assert.All(h.Server.GroupRequests, g => Assert.True(g.Ids.Length <= size));
            Assert.Equal(groups, h.Server.MaxHeldInFlight);
        }
    }

    [Fact]
    public async Task Waits_in_groups_end_with_the_same_states_attempts_times_and_changes_as_waits_holding_their_own_checks()
    {
        // Past a hold (45 s, 70 s), an error, a deadline that ends a wait (100 s at 80 s), an unknown job.
        (string, double)[] jobs = [("a", 45), ("err", 12), ("c", 70), ("d", 100), ("e", 0.5)];
        string[] ids = ["a", "err", "c", "d", "e", "missing"];
        var grouped = await RunAsync(500);
        var alone = await RunAsync(null);

        Assert.Equal(alone.Outcomes, grouped.Outcomes);
        Assert.Equal(alone.Changes, grouped.Changes);
        Assert.Contains("d: TranslationTimeoutException after 3", grouped.Outcomes, StringComparer.Ordinal);
        Assert.Contains("missing: TranslationHttpException 404 after 1", grouped.Outcomes, StringComparer.Ordinal);
        Assert.Contains("a: Completed after 2 in 45 s [Pending, Completed]", grouped.Outcomes, StringComparer.Ordinal);
        Assert.NotEmpty(grouped.Groups);
        Assert.Empty(alone.Groups);

        async Task<(string[] Outcomes, string[] Changes, IReadOnlyList<GroupRequest> Groups)> RunAsync(int? groups)
        {
            using var h = Grouped(groups, jobs);
            var changes = new List<string>();
            var options = LongPoll(maxWaitSeconds: 80);
            options.OnStatusChanged = s => changes.Add($"{s.JobId} {s.State} at {(s.ObservedAt - TestClock.T0).TotalSeconds} s");
            var outcomes = await h.WaitAll(ids, options);
            return (
                outcomes.Select(o => o.Result is { } r
                    ? $"{o.JobId}: {r.State} after {r.Attempts} in {r.Elapsed.TotalSeconds} s [{string.Join(", ", r.History.Select(s => s.State))}]"
                    : $"{o.JobId}: {o.Error!.GetType().Name}{(o.Error is TranslationHttpException http ? $" {http.StatusCode}" : "")} after {Attempts(o.Error)}").ToArray(),
                changes.ToArray(),
                h.Server.GroupRequests);
        }

        static int Attempts(TranslationException error) => error is TranslationTimeoutException t ? t.Attempts : 1;
    }

    [Fact]
    public async Task A_group_request_takes_one_hold_of_the_budget_and_at_most_maxIds_ids()
    {
        using var h = Grouped(2, ("j0", 4), ("j1", 4), ("j2", 4), ("j3", 4), ("j4", 4));
        var outcomes = await h.WaitAll(["j0", "j1", "j2", "j3", "j4"], Exact(new LongPollStrategy(fallback: new FixedStrategy(Sec(1)))), new TranslationBatchOptions { MaxHeldChecks = 2 });

        // Two holds: two groups of two; the fifth finds no hold free and checks unheld, then polls by its fallback.
        GroupRequest[] first = h.Server.GroupRequests.Where(g => g.At == TestClock.T0).ToArray();
        Assert.Equal(["j0,j1", "j2,j3"], first.Select(g => string.Join(",", g.Ids)));
        var j4 = h.Server.StatusRequests.Where(r => r.Uri.AbsolutePath == "/jobs/j4/status").ToList();
        Assert.Equal([0.0, 1, 2, 3], j4.Select(r => (r.At - TestClock.T0).TotalSeconds));
        Assert.All(j4, r => Assert.Equal("", r.Uri.Query));

        // At 4 s the groups' answers free the holds before j4's next check, which then goes out held, in a group.
        GroupRequest last = h.Server.GroupRequests[^1];
        Assert.Equal(["j4"], last.Ids);
        Assert.Equal(Sec(4), last.At - TestClock.T0);
        Assert.Equal(2, h.Server.MaxHeldInFlight);
        Assert.All(outcomes, o => Assert.Equal(Sec(4), o.Result!.Elapsed));
    }

    [Fact]
    public async Task One_hold_is_enough_for_every_wait_of_a_group()
    {
        using var h = Grouped(500, ("a", 3), ("b", 6), ("c", 9));
        var outcomes = await h.WaitAll(["a", "b", "c"], LongPoll(), new TranslationBatchOptions { MaxHeldChecks = 1 });

        Assert.Equal("[a,b,c] wait 30 at 0 s; [b,c] wait 27 at 3 s; [c] wait 24 at 6 s", Describe(h.Server.GroupRequests));
        Assert.Equal(3, h.Server.StatusRequests.Count); // no unheld checks: held one by one, b and c would poll
        Assert.All(outcomes, o => Assert.Equal(1, o.Result!.Attempts));
    }

    [Fact]
    public async Task A_wait_that_arrives_while_a_group_is_out_joins_a_group_of_its_own_at_once()
    {
        using var inline = new NoContext();
        using var h = Grouped(500, ("a", 10), ("b", 10));
        var later = new TaskCompletionSource<bool>();
        async IAsyncEnumerable<TranslationJobTarget> Arrivals()
        {
            yield return new TranslationJobTarget(h.Client, "a");
            yield return new TranslationJobTarget(h.Client, "b");
            await later.Task.ConfigureAwait(false); // on in the test's thread, as it sets the task
            h.Server.Add("c", Sec(3));
            yield return new TranslationJobTarget(h.Client, "c");
        }

        var run = CollectAsync(TranslationBatch.WaitAllAsync(Arrivals(), LongPoll()));
        h.Clock.Run(Sec(2));
        Assert.Single(h.Server.GroupRequests);
        later.SetResult(true);
        h.Clock.RunUntilDone(run);

        // The outcomes reach the reader through a channel, on the pool: a real-time bound, never reached when green.
        List<TranslationJobOutcome> result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("[a,b] wait 30 at 0 s; [c] wait 30 at 2 s", Describe(h.Server.GroupRequests));
        Assert.Equal(2, h.Server.MaxHeldInFlight);
        Assert.Equal(["c", "a", "b"], result.Select(o => o.JobId));
        Assert.Equal(Sec(3), result[0].Result!.Elapsed);
    }

    [Fact]
    public async Task Cancelling_one_member_leaves_the_group_request_held_for_the_others_and_the_last_one_cancels_it()
    {
        using var inline = new NoContext();
        using var h = Grouped(500, ("a", 10), ("b", 20), ("c", 30));
        using var budget = new CheckBudget(64, 1024, h.Client.Connection, h.Clock);
        using var ca = new CancellationTokenSource();
        using var cb = new CancellationTokenSource();
        using var cc = new CancellationTokenSource();
        GroupHolds groups = budget.Groups!;
        groups.BeginDefer();
        Task<GroupCheck> a = groups.CheckAsync("a", Sec(30), ca.Token);
        Task<GroupCheck> b = groups.CheckAsync("b", Sec(30), cb.Token);
        Task<GroupCheck> c = groups.CheckAsync("c", Sec(30), cc.Token);
        groups.EndDefer();
        h.Clock.Run(Sec(1));

        ca.Cancel();
        Assert.True(a.IsCanceled);
        Assert.Equal(1, h.Server.InFlight); // the others' request is still held
        cb.Cancel();
        Assert.True(b.IsCanceled);
        Assert.Equal(1, h.Server.InFlight);

        // a's job finishes at 10 s: the server answers the group; c is held again, alone, without the two that left.
        h.Clock.Run(Sec(9));
        Assert.False(c.IsCompleted);
        Assert.Equal(["a,b,c", "c"], h.Server.GroupRequests.Select(g => string.Join(",", g.Ids)));
        Assert.Equal(1, h.Server.InFlight);

        cc.Cancel();
        Assert.True(c.IsCanceled);
        Assert.Equal(0, h.Server.InFlight); // every member gone: the request was cancelled
        Assert.Equal(0, h.Server.PendingAnswers);
        Assert.Equal(2, h.Server.GroupRequests.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task WaitForAny_in_a_group_cancels_the_group_request_when_the_first_wait_ends()
    {
        using var h = Grouped(500, ("a", 40), ("b", 7), ("c", 25));
        var first = await h.WaitAny(["a", "b", "c"], LongPoll());

        Assert.Equal("b", first.JobId);
        Assert.Equal(Sec(7), h.Clock.Elapsed);
        Assert.Equal(0, h.Server.InFlight);
        Assert.Equal(0, h.Server.PendingAnswers);

        // a and c were held again before b's wait ended the batch; that request was then cancelled with them.
        Assert.Equal("[a,b,c] wait 30 at 0 s; [a,c] wait 23 at 7 s", Describe(h.Server.GroupRequests));
    }

    [Fact]
    public async Task A_server_without_group_long_poll_is_asked_once_per_client_and_each_wait_holds_its_own_checks()
    {
        using var h = Grouped(null, ("a", 3), ("b", 5));
        await h.WaitAll(["a", "b"], LongPoll());
        await h.WaitAll(["a", "b"], LongPoll());

        Assert.Equal(1, h.Server.Probes);
        Assert.Empty(h.Server.GroupRequests);
        Assert.All(h.Server.StatusRequests, r => Assert.Equal("?wait=30", r.Uri.Query));
        Assert.Equal(4, h.Server.StatusRequests.Count);
    }

    [Fact]
    public async Task A_group_request_refused_as_unknown_falls_back_to_own_holds_for_good_without_counting_a_check()
    {
        using var h = Grouped(500, ("a", 3), ("b", 5));
        h.Server.Handle = (request, number, token) => request.Method == HttpMethod.Post
            ? Task.FromResult(FakeServer.Json("""{"title":"Not Found","status":404}""", HttpStatusCode.NotFound))
            : h.Server.Answer(request, number, token);
        var outcomes = await h.WaitAll(["a", "b"], LongPoll());
        await h.WaitAll(["a", "b"], LongPoll());

        Assert.Equal(1, h.Server.StatusRequests.Count(r => r.Uri.AbsolutePath == "/jobs/status"));
        Assert.Equal(4, h.Server.StatusRequests.Count(r => r.Uri.Query == "?wait=30"));
        Assert.All(outcomes, o => Assert.Equal(1, o.Result!.Attempts));
        Assert.Equal([3.0, 5], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
    }

    [Fact]
    public async Task A_transient_failure_of_a_group_request_is_each_members_failure_and_they_retry_after_their_backoff()
    {
        using var h = Grouped(500, ("a", 3), ("b", 5));
        h.Server.Override(2, () => FakeServer.Json("""{"title":"Unavailable","status":503}""", HttpStatusCode.ServiceUnavailable)); // 1 is the probe
        var outcomes = await h.WaitAll(["a", "b"], LongPoll());

        // Each member retries after its own backoff, and so, coming back on its own, in a group of its own.
        // The two retries go out at the same fake instant from waits running side by side: in either order.
        Assert.Equal("[a,b] wait 30 at 0 s", Describe(h.Server.GroupRequests.Take(1)));
        Assert.Equal(
            ["[a] wait 30 at 0.5 s", "[b] wait 30 at 0.5 s"],
            h.Server.GroupRequests.Skip(1).Select(g => Describe([g])).Order(StringComparer.Ordinal));
        Assert.All(outcomes, o => Assert.Equal(2, o.Result!.Attempts)); // the failed check and the held one
        Assert.All(outcomes, o => Assert.Single(o.Result!.History));
        Assert.Equal([3.0, 5], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
    }

    [Fact]
    public async Task An_unknown_job_in_a_group_fails_its_own_wait_only()
    {
        using var h = Grouped(500, ("a", 3));
        var outcomes = await h.WaitAll(["a", "gone"], LongPoll());

        Assert.True(outcomes[0].Succeeded);
        Assert.Equal(Sec(3), outcomes[0].Result!.Elapsed);
        var error = Assert.IsType<TranslationHttpException>(outcomes[1].Error);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains("No job 'gone'", error.Message, StringComparison.Ordinal);
        Assert.Equal("[a,gone] wait 30 at 0 s; [a] wait 30 at 0 s", Describe(h.Server.GroupRequests));
    }

    [Fact]
    public async Task The_single_job_status_endpoint_is_never_grouped()
    {
        using var h = Grouped(500, ("default", 3), ("a", 3));
        TranslationJobTarget[] targets = [new(h.Client), new(h.Client, "a")];
        var outcomes = await h.StartBatch(2, null, b => CollectAsync(TranslationBatch.WaitAllAsync(TranslationBatch.AsAsync(targets), LongPoll(), b))).RunToEnd();
        Assert.Equal("[a] wait 30 at 0 s", Describe(h.Server.GroupRequests));
        Assert.Contains(h.Server.StatusRequests, r => r.Uri.AbsolutePath == "/status" && r.Uri.Query == "?wait=30");
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
    }

    /// <summary>
    /// No SynchronizationContext on the test's thread while it lasts (as inside <see cref="TestClock.Run"/>), so what the
    /// test does itself — cancel a token, complete an arrival — runs the client's continuations inline, at once.
    /// </summary>
    private sealed class NoContext : IDisposable
    {
        private readonly SynchronizationContext? _prior = SynchronizationContext.Current;

        public NoContext() => SynchronizationContext.SetSynchronizationContext(null);

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_prior);
    }
}
