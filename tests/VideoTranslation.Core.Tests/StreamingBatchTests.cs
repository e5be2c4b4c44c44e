using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// TranslationBatch over an input that arrives over fake time (<see cref="JobFeed"/>): outcomes before the input ends,
/// jobs of several servers under per-server budgets, WaitAny over a stream, empty input, failures of the input, leaving
/// early, cancellation, and the totals as jobs arrive. BatchWaitTests has the same batch over lists.
/// </summary>
public class StreamingBatchTests
{
    // Real-clock bound for what runs on the pool once the clock has done its part; never reached when green.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private static readonly Uri Other = new("http://other.test/");

    private static TranslationWaitOptions Fixed(double seconds = 1, double maxWaitSeconds = 600) =>
        Exact(PollingStrategy.Fixed(Sec(seconds)), Sec(maxWaitSeconds));

    private static Harness NewHarness()
    {
        var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        return h;
    }

    // A modelled job of the fake server, created now, as a target of the harness's client (or another).
    private static TranslationJobTarget Job(Harness h, string id, double seconds, TranslationClient? client = null, string outcome = "completed")
    {
        h.Server.Add(id, Sec(seconds), outcome);
        return new TranslationJobTarget(client ?? h.Client, id);
    }

    // The job's requests get an answer only when the test gives one, and ignore cancellation meanwhile: a wait of this
    // job has not stopped until the test answers.
    private static TaskCompletionSource<HttpResponseMessage> Deaf(Harness h, string id)
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.Handle = (request, n, ct) => request.RequestUri!.AbsolutePath.Contains($"/jobs/{id}/", StringComparison.Ordinal)
            ? answer.Task
            : h.Server.Answer(request, n, ct);
        return answer;
    }

    private static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(Generous);

    [Fact]
    public void An_outcome_is_yielded_before_the_input_ends_and_the_next_job_can_follow_it()
    {
        using var h = NewHarness();
        var input = new JobFeed();
        input.Add(Job(h, "a", 2));
        var batch = h.Stream(input, Fixed());

        var a = batch.Next();

        Assert.Equal("a", a!.JobId);
        Assert.Equal(0, a.Index);
        Assert.Equal(Sec(2), h.Clock.Elapsed);
        Assert.False(input.Disposed); // the input is still open

        input.Add(Job(h, "b", 3)); // e.g. the next job is created once the first is done

        var b = batch.Next();
        Assert.Equal(("b", 1), (b!.JobId, b.Index));
        Assert.Equal(Sec(3), b.Result!.Elapsed); // its wait started when it arrived
        Assert.Equal(Sec(5), h.Clock.Elapsed);
        Assert.Equal(2_000, h.RequestTimes.First(t => t >= 2_000));

        input.End();
        Assert.Null(batch.Next());
        Assert.True(input.Disposed);
        Assert.Equal(1, input.Enumerations);
    }

    [Fact]
    public void Waits_start_as_their_jobs_arrive_not_when_the_input_ends()
    {
        using var h = NewHarness();
        var input = new JobFeed();
        input.Add(Job(h, "a", 100));
        var batch = h.Stream(input, Fixed());

        Assert.True(batch.Run(Sec(10)));
        input.Add(Job(h, "b", 100));
        Assert.True(batch.Run(Sec(0.5)));

        Assert.Equal(11, h.Server["a"].Requests); // 0 … 10 s
        Assert.Equal(1, h.Server["b"].Requests); // at 10 s, as it arrived
        Assert.Equal(10_000, h.RequestTimes[^1]);
    }

    [Fact]
    public void Jobs_of_two_servers_in_one_call_have_a_budget_per_server()
    {
        using var h = NewHarness();
        h.Server.Latency = Sec(1);
        TranslationClient other = h.AddClient(Other);
        var inFlight = new Dictionary<string, (int Now, int Max)>();
        h.Server.Handle = async (request, n, ct) =>
        {
            string host = request.RequestUri!.Host;
            lock (inFlight)
            {
                var (now, max) = inFlight.GetValueOrDefault(host);
                inFlight[host] = (now + 1, Math.Max(max, now + 1));
            }

            try
            {
                return await h.Server.Answer(request, n, ct).ConfigureAwait(false);
            }
            finally
            {
                lock (inFlight)
                {
                    var (now, max) = inFlight[host];
                    inFlight[host] = (now - 1, max);
                }
            }
        };
        var input = new JobFeed();
        input.Add(Job(h, "a1", 3), Job(h, "b1", 3, other), Job(h, "a2", 3), Job(h, "b2", 3, other));
        input.End();
        var batch = h.Stream(input, Fixed(), new TranslationBatchOptions { MaxConcurrency = 1 }, slots: 2);

        var outcomes = new List<TranslationJobOutcome>();
        while (batch.Next() is { } outcome)
        {
            outcomes.Add(outcome);
        }

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
        Assert.Equal(4, outcomes.Count);
        Assert.Equal((0, 1), inFlight["jobs.test"]);
        Assert.Equal((0, 1), inFlight["other.test"]);
        Assert.Equal(2, h.Server.MaxInFlight); // one of each server at once: the budgets are not shared
        Assert.Equal([0.0, 0.0], h.Server.Requests.Take(2).Select(r => (r.At - TestClock.T0).TotalSeconds));
    }

    [Fact]
    public async Task WaitAny_over_a_stream_returns_the_first_and_the_others_have_stopped()
    {
        using var h = new Harness(); // long-poll: held checks
        var input = new JobFeed();
        input.Add(Job(h, "a", 40));
        var any = h.StartStream(input, null, b => TranslationBatch.WaitAnyAsync(input, Exact(new LongPollStrategy()), b));
        Assert.True(any.Run(Sec(2)));
        input.Add(Job(h, "b", 7)); // ends at 9 s
        Assert.True(any.Run(Sec(1)));
        input.Add(Job(h, "c", 30));

        var first = await any.RunToEnd();

        Assert.Equal("b", first!.JobId);
        Assert.Equal(Sec(9), h.Clock.Elapsed);
        Assert.Equal(0, h.Server.InFlight); // the others' held checks were released
        Assert.Equal(3, h.Server.StatusRequests.Count); // and one probe for group long-poll, which this server lacks
        Assert.True(input.Disposed);
        Assert.True(input.Token.IsCancellationRequested);
        int requests = h.Server.Requests.Count;
        h.Clock.Run(TimeSpan.FromMinutes(5));
        Assert.Equal(requests, h.Server.Requests.Count);
        Assert.Equal(0, h.Clock.PendingTimers);
    }

    [Fact]
    public async Task WaitAny_over_a_stream_returns_only_once_the_others_requests_have_ended()
    {
        using var h = NewHarness();
        var deaf = Deaf(h, "b");
        var input = new JobFeed();
        input.Add(Job(h, "b", 100), Job(h, "a", 1));
        var any = h.StartStream(input, null, b => TranslationBatch.WaitAnyAsync(input, Fixed(), b));
        Assert.True(any.Run(Sec(1.5)));

        Assert.Equal(1, any.Finished); // a ended at 1 s
        Assert.False(any.Task.IsCompleted); // b's request is still out
        Assert.Equal(1, h.Server.InFlight);

        deaf.SetResult(FakeServer.Status("pending"));
        var first = await Within(any.Task);

        Assert.Equal("a", first!.JobId);
        Assert.Equal(0, h.Server.InFlight);
        Assert.Equal(1, any.Finished); // b's late answer is no outcome
    }

    [Fact]
    public async Task An_empty_input_is_no_outcome_for_WaitAny_and_nothing_for_WaitAll()
    {
        using var h = NewHarness();
        var progress = new List<TranslationBatchProgress>();
        var input = new JobFeed();
        input.End();

        var any = await TranslationBatch.WaitAnyAsync(input);
        var all = await ToListAsync(TranslationBatch.WaitAllAsync(input, batch: new TranslationBatchOptions { OnProgress = progress.Add }));

        Assert.Null(any);
        Assert.Empty(all);
        Assert.Equal((0, 1.0), (Assert.Single(progress).Total, progress[0].FractionDone));
        Assert.Null(await TranslationBatch.WaitAnyAsync(TranslationBatch.AsAsync(Array.Empty<TranslationJobTarget>())));
        Assert.Empty(await ToListAsync(TranslationBatch.WaitAllAsync(TranslationBatch.AsAsync(Array.Empty<TranslationJobTarget>()))));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task A_null_input_is_rejected_at_once()
    {
        Assert.Equal("jobs", Assert.Throws<ArgumentNullException>(() => TranslationBatch.WaitAllAsync((IAsyncEnumerable<TranslationJobTarget>)null!)).ParamName);
        Assert.Equal("jobs", (await Assert.ThrowsAsync<ArgumentNullException>(() => TranslationBatch.WaitAnyAsync((IAsyncEnumerable<TranslationJobTarget>)null!))).ParamName);
    }

    [Fact]
    public async Task A_null_job_ends_the_batch_with_an_ArgumentException_once_every_wait_has_stopped()
    {
        using var h = NewHarness();
        var deaf = Deaf(h, "b");
        var input = new JobFeed();
        input.Add(Job(h, "b", 100));
        var batch = h.Stream(input, Fixed());
        Task<bool> move = batch.Ask();

        input.Add([null]);

        Assert.False(move.IsCompleted); // b's request is still out
        Assert.True(input.Disposed); // the input is read no further
        deaf.SetResult(FakeServer.Status("pending"));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Within(move));
        Assert.Contains("Job 1 of the batch is null", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.InFlight);
        Assert.Equal(0, batch.Finished);
    }

    [Fact]
    public async Task An_input_that_throws_ends_the_batch_with_its_exception_unchanged_once_every_wait_has_stopped()
    {
        using var h = NewHarness();
        var deaf = Deaf(h, "b");
        var input = new JobFeed();
        input.Add(Job(h, "b", 100));
        var batch = h.Stream(input, Fixed());
        Task<bool> move = batch.Ask();
        var broken = new IOException("the pipeline broke");

        input.End(broken);

        Assert.False(move.IsCompleted);
        deaf.SetResult(FakeServer.Status("pending"));
        Assert.Same(broken, await Assert.ThrowsAsync<IOException>(() => Within(move)));
        Assert.Equal(0, h.Server.InFlight);
    }

    [Fact]
    public async Task A_disposed_client_in_the_input_ends_the_batch_with_ObjectDisposedException()
    {
        using var h = NewHarness();
        var input = new JobFeed();
        var batch = h.Stream(input, Fixed());
        input.Add(Job(h, "a", 100));
        Assert.True(batch.Run(Sec(3)));
        var gone = h.AddClient(Other);
        gone.Dispose();

        input.Add(new TranslationJobTarget(gone, "x"));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Within(batch.Ask()));
        int requests = h.Server.Requests.Count;
        h.Clock.Run(TimeSpan.FromMinutes(1));
        Assert.Equal(requests, h.Server.Requests.Count); // a's wait stopped too
    }

    [Fact]
    public async Task Leaving_early_stops_the_rest_and_disposal_completes_only_once_they_have_stopped()
    {
        using var h = NewHarness();
        var deaf = Deaf(h, "b");
        var finished = new List<string>();
        var input = new JobFeed();
        input.Add(Job(h, "b", 100), Job(h, "a", 1), Job(h, "c", 50));
        var batch = h.Stream(input, Fixed(), new TranslationBatchOptions { OnJobFinished = o => finished.Add(o.JobId!) });

        Assert.Equal("a", batch.Next()!.JobId);
        Task left = batch.Leave(); // break

        Assert.False(left.IsCompleted); // b's request is still out
        Assert.True(input.Token.IsCancellationRequested);
        deaf.SetResult(FakeServer.Status("pending"));
        await left.WaitAsync(Generous);

        Assert.True(input.Disposed);
        Assert.Equal(0, h.Server.InFlight);
        int requests = h.Server.Requests.Count;
        h.Clock.Run(TimeSpan.FromMinutes(5));
        Assert.Equal(requests, h.Server.Requests.Count); // c's wait stopped too
        Assert.Equal(["a"], finished);
    }

    [Fact]
    public async Task Cancelling_throws_once_every_wait_has_stopped()
    {
        using var h = NewHarness();
        var deaf = Deaf(h, "b");
        using var cts = new CancellationTokenSource();
        var input = new JobFeed();
        input.Add(Job(h, "b", 100), Job(h, "a", 1));
        var batch = h.Stream(input, Fixed(), cancellationToken: cts.Token);
        Assert.Equal("a", batch.Next()!.JobId);
        Task<bool> move = batch.Ask();

        cts.Cancel();

        Assert.False(move.IsCompleted); // b's request is still out
        deaf.SetResult(FakeServer.Status("pending"));
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(move));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(0, h.Server.InFlight);
        Assert.True(input.Disposed);
    }

    [Fact]
    public void Totals_grow_as_jobs_arrive_with_one_report_per_burst()
    {
        using var h = NewHarness();
        var seen = new List<(int Total, int Completed, int Failed, int Errored)>();
        var input = new JobFeed();
        input.Add(Job(h, "a", 10), Job(h, "b", 10), Job(h, "c", 10, outcome: "error"));
        var batch = h.Stream(input, Fixed(), new TranslationBatchOptions { OnProgress = p => seen.Add((p.Total, p.Completed, p.Failed, p.Errored)) });

        Assert.True(batch.Run(Sec(2)));
        Assert.Equal([(3, 0, 0, 0)], seen);

        input.Add(Job(h, "d", 10), new TranslationJobTarget(h.Client, "missing")); // a burst of two at 2 s; missing is a 404 at once
        Assert.True(batch.Run(Sec(1)));
        Assert.Equal([(3, 0, 0, 0), (5, 0, 0, 0), (5, 0, 0, 1)], seen);

        input.Add(Job(h, "e", 1)); // a burst of one at 3 s
        Assert.True(batch.Run(Sec(0.5)));
        Assert.Equal((6, 0, 0, 1), seen[^1]);
        Assert.Equal(4, seen.Count);

        Assert.True(batch.Run(Sec(10))); // e at 4 s, a, b, c at 10 s, d at 12 s: one report after each
        Assert.Equal((6, 1, 0, 1), seen[4]);
        Assert.Equal(9, seen.Count);
        Assert.Equal((6, 4, 1, 1), seen[^1]);
        Assert.All(seen.Zip(seen.Skip(1)).Skip(3), pair =>
            Assert.Equal(1, pair.Second.Completed + pair.Second.Failed + pair.Second.Errored - pair.First.Completed - pair.First.Failed - pair.First.Errored));
    }

    [Fact]
    public void Totals_that_did_not_change_are_not_reported_again_when_the_input_ends_after_a_pause()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        var seen = new List<string>();
        var input = new JobFeed();
        h.Server.Add("a", Sec(10));
        input.Add(new TranslationJobTarget(h.Client, "a"));
        var batch = h.Stream(input, Exact(PollingStrategy.Fixed(Sec(1))), new TranslationBatchOptions { OnProgress = p => seen.Add(p.ToString()) });

        Assert.True(batch.Run(Sec(2)));
        input.End();
        Assert.True(batch.Run(Sec(1)));

        Assert.Equal(["0 of 1 done (0 completed, 0 failed, 0 errored)"], seen);
    }

    [Fact]
    public void An_input_that_starts_with_a_pause_reports_no_totals_before_a_job_arrives()
    {
        using var h = new Harness();
        var seen = new List<string>();
        var input = new JobFeed();
        var batch = h.Stream(input, Exact(PollingStrategy.Fixed(Sec(1))), new TranslationBatchOptions { OnProgress = p => seen.Add(p.ToString()) });

        Assert.True(batch.Run(Sec(1)));

        Assert.Empty(seen);
    }

    [Fact]
    public async Task WaitAny_returns_though_the_input_ignores_its_token_and_never_ends()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("a", Sec(1));
        var never = new TaskCompletionSource();
        var disposed = new TaskCompletionSource();
        async IAsyncEnumerable<TranslationJobTarget> Input()
        {
            try
            {
                yield return new TranslationJobTarget(h.Client, "a");
                await never.Task;
            }
            finally
            {
                disposed.TrySetResult();
            }
        }

        var any = TranslationBatch.WaitAnyAsync(Input(), Exact(PollingStrategy.Fixed(Sec(1))));
        h.Clock.RunUntilDone(any);

        Assert.Equal("a", (await any)!.JobId);
        Assert.False(disposed.Task.IsCompleted); // its step is still pending; it is disposed once that ends
        never.SetResult();
        await disposed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
