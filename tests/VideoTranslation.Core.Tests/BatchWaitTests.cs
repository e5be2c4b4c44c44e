using System.Net;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>WaitForAll / WaitForAny on the fake clock: order, per-job errors, the request gate, callbacks, cancellation.</summary>
public class BatchWaitTests
{
    // Real-clock bound for the few tests that must run the clock on another thread; never reached when green.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private static TranslationWaitOptions Fixed(double seconds = 1, double maxWaitSeconds = 600) =>
        Exact(PollingStrategy.Fixed(Sec(seconds)), Sec(maxWaitSeconds));

    // Modelled jobs on a server without long-poll.
    private static Harness NewBatch(params (string Id, double Seconds)[] jobs)
    {
        var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        foreach (var (id, seconds) in jobs)
        {
            h.Server.Add(id, Sec(seconds));
        }

        return h;
    }

    [Fact]
    public async Task WaitForAll_returns_one_outcome_per_id_in_input_order()
    {
        var h = NewBatch(("slow", 9), ("fast", 2), ("mid", 5));
        using (h)
        {
            var outcomes = await h.WaitAll(["slow", "fast", "mid"], Fixed());

            Assert.Equal(["slow", "fast", "mid"], outcomes.Select(o => o.JobId));
            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.Equal([9, 2, 5], outcomes.Select(o => o.Result!.Elapsed.TotalSeconds));
            Assert.Equal(Sec(9), h.Clock.Elapsed);
        }
    }

    [Fact]
    public async Task Duplicate_ids_are_waited_on_once_each_time_they_appear()
    {
        var h = NewBatch(("a", 2));
        using (h)
        {
            var outcomes = await h.WaitAll(["a", "a", "a"], Fixed());

            Assert.Equal(3, outcomes.Count);
            Assert.All(outcomes, o => Assert.Equal("a", o.JobId));
            Assert.Equal(9, h.Server["a"].Requests); // three waits × checks at 0, 1, 2 s
        }
    }

    [Fact]
    public async Task Per_job_errors_are_outcomes_not_exceptions()
    {
        var h = NewBatch(("ok", 3), ("never", 1000));
        h.Server.Add("failed", Sec(2), "error");
        using (h)
        {
            h.Server.Handle = (request, n, ct) => request.RequestUri!.AbsolutePath.Contains("/garbled/", StringComparison.Ordinal)
                ? Task.FromResult(FakeServer.Json("""{"result":"processing"}"""))
                : h.Server.Answer(request, n, ct);

            var outcomes = await h.WaitAll(["ok", "missing", "never", "failed", "garbled"], Fixed(maxWaitSeconds: 20));

            Assert.True(outcomes[0].Succeeded);
            Assert.Null(outcomes[0].Error);
            Assert.Equal(HttpStatusCode.NotFound, (HttpStatusCode)Assert.IsType<TranslationHttpException>(outcomes[1].Error).StatusCode);
            Assert.Null(outcomes[1].Result);
            Assert.Equal(Sec(20), Assert.IsType<TranslationTimeoutException>(outcomes[2].Error).MaxWait);
            Assert.Equal(TranslationState.Error, outcomes[3].Result!.State);
            Assert.False(outcomes[3].Succeeded);
            Assert.IsType<TranslationProtocolException>(outcomes[4].Error);
            Assert.False(outcomes[4].Succeeded);
        }
    }

    [Fact]
    public async Task MaxConcurrency_bounds_the_requests_in_flight_and_is_reached()
    {
        var h = NewBatch();
        h.Server.Latency = Sec(1);
        var ids = Enumerable.Range(0, 50).Select(i => $"j{i}").ToArray();
        foreach (string id in ids)
        {
            h.Server.Add(id, Sec(5));
        }

        using (h)
        {
            var outcomes = await h.WaitAll(ids, Fixed(), new TranslationBatchOptions { MaxConcurrency = 4 });

            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            Assert.Equal(4, h.Server.MaxInFlight);
            Assert.Equal(0, h.Server.InFlight);
        }
    }

    [Fact]
    public async Task MaxConcurrency_counts_requests_not_waits()
    {
        var h = NewBatch();
        h.Server.Latency = Ms(1);
        var ids = Enumerable.Range(0, 100).Select(i => $"j{i}").ToArray();
        foreach (string id in ids)
        {
            h.Server.Add(id, Sec(10));
        }

        using (h)
        {
            var outcomes = await h.WaitAll(ids, Fixed(), new TranslationBatchOptions { MaxConcurrency = 1 });

            // 100 waits share one slot, each request taking 1 ms: all of them still finish near 10 s, not one after another.
            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.Equal(1, h.Server.MaxInFlight);
            Assert.True(h.Clock.Elapsed < Sec(11), $"the batch took {h.Clock.Elapsed}");
        }
    }

    [Fact]
    public async Task Time_queued_for_a_slot_does_not_count_against_the_request_timeout()
    {
        var h = NewBatch(("a", 0), ("b", 0), ("c", 0));
        h.Server.Latency = Sec(4); // three requests of 4 s each through one slot: the last is sent at 8 s
        using (h)
        {
            var outcomes = await h.WaitAll(["a", "b", "c"], Fixed(), new TranslationBatchOptions { MaxConcurrency = 1 });

            Assert.All(outcomes, o => Assert.Equal(1, o.Result!.Attempts));
            Assert.Equal(Sec(12), h.Clock.Elapsed);
        }
    }

    [Fact]
    public async Task Held_checks_have_a_budget_of_their_own_so_ordinary_checks_never_queue_behind_them()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(3));
        h.Server.Add("b", Sec(1));
        using (h)
        {
            var outcomes = await h.WaitAll(["a", "b"], Exact(new LongPollStrategy()), new TranslationBatchOptions { MaxConcurrency = 1 });

            // One ordinary slot, but both checks are held at once: each job is seen as it finishes, in one request.
            Assert.Equal(Sec(3), outcomes[0].Result!.Elapsed);
            Assert.Equal(Sec(1), outcomes[1].Result!.Elapsed);
            Assert.Equal(2, h.Server.MaxInFlight);
            Assert.Equal(2, h.Server.StatusRequests.Count);
            Assert.Equal(1, h.Server.Probes); // the batch asked once whether the server holds checks in groups (it does not)
        }
    }

    [Fact]
    public async Task When_every_hold_is_taken_a_wait_checks_unheld_and_polls_by_its_fallback_until_one_is_free()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(3));
        h.Server.Add("b", Sec(10));
        using (h)
        {
            var strategy = new LongPollStrategy(fallback: new FixedStrategy(Sec(2)));
            var outcomes = await h.WaitAll(["a", "b"], Exact(strategy), new TranslationBatchOptions { MaxHeldChecks = 1 });

            // a holds the one hold until it ends at 3 s. b's check at 0 goes out unheld, b sleeps its fallback's 2 s, is
            // unheld again at 2 s (a still holds), and at 4 s takes the freed hold until it ends at 10 s.
            Assert.Equal(Sec(3), outcomes[0].Result!.Elapsed);
            Assert.Equal(Sec(10), outcomes[1].Result!.Elapsed);
            var b = h.Server.Requests.Where(r => r.Uri.AbsolutePath.Contains("/b/", StringComparison.Ordinal)).ToList();
            Assert.Equal([0.0, 2.0, 4.0], b.Select(r => (r.At - TestClock.T0).TotalSeconds));
            Assert.Equal(["", "", "?wait=30"], b.Select(r => r.Uri.Query));
            Assert.Equal(1, h.Server.MaxHeldInFlight);
        }
    }

    [Fact]
    public async Task Queued_waits_do_not_outlive_their_deadline_by_more_than_one_request_timeout()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(100));
        h.Server.Add("b", Sec(100));
        using (h)
        {
            var outcomes = await h.WaitAll(["a", "b"], Exact(new LongPollStrategy(), Sec(40)), new TranslationBatchOptions { MaxConcurrency = 1 });

            Assert.All(outcomes, o => Assert.IsType<TranslationTimeoutException>(o.Error));
            Assert.True(h.Clock.Elapsed <= Sec(45), $"the batch ended at {h.Clock.Elapsed}; queries {string.Join(", ", h.Server.Requests.Select(r => $"{(r.At - TestClock.T0).TotalSeconds} s {r.Uri.Query}"))}");
        }
    }

    [Fact]
    public async Task OnJobFinished_is_called_once_per_job_in_the_order_they_end()
    {
        var h = NewBatch(("c", 3), ("a", 1), ("b", 2));
        var finished = new List<string>();
        using (h)
        {
            await h.WaitAll(["c", "a", "b", "missing"], Fixed(), new TranslationBatchOptions { OnJobFinished = o => finished.Add(o.JobId!) });

            Assert.Equal(["missing", "a", "b", "c"], finished);
        }
    }

    [Fact]
    public async Task OnProgress_reports_the_totals_at_the_start_and_after_every_job()
    {
        var h = NewBatch(("ok1", 1), ("ok2", 3), ("never", 1000));
        h.Server.Add("bad", Sec(2), "error");
        var seen = new List<(int Total, int Completed, int Failed, int Errored, int Running, double Fraction)>();
        using (h)
        {
            await h.WaitAll(
                ["ok1", "ok2", "never", "bad", "missing"],
                Fixed(maxWaitSeconds: 10),
                new TranslationBatchOptions { OnProgress = p => seen.Add((p.Total, p.Completed, p.Failed, p.Errored, p.Running, p.FractionDone)) });

            Assert.Equal(
                [
                    (5, 0, 0, 0, 5, 0.0),
                    (5, 0, 0, 1, 4, 0.2), // missing: 404 at once
                    (5, 1, 0, 1, 3, 0.4), // ok1 at 1 s
                    (5, 1, 1, 1, 2, 0.6), // bad at 2 s
                    (5, 2, 1, 1, 1, 0.8), // ok2 at 3 s
                    (5, 2, 1, 2, 0, 1.0), // never: deadline at 10 s
                ],
                seen);
        }
    }

    [Fact]
    public async Task An_empty_batch_returns_no_outcomes_and_reports_all_done()
    {
        var h = NewBatch();
        var progress = new List<TranslationBatchProgress>();
        using (h)
        {
            var outcomes = await h.WaitAll([], batch: new TranslationBatchOptions { OnProgress = progress.Add });

            Assert.Empty(outcomes);
            var p = Assert.Single(progress);
            Assert.Equal((0, 0, 1.0), (p.Total, p.Running, p.FractionDone));
            Assert.Empty(h.Server.Requests);
        }
    }

    [Fact]
    public async Task Callbacks_of_a_batch_never_run_concurrently()
    {
        // Sync flavour on the fake clock: the waits' continuations run on whichever thread completes them, so sync
        // callbacks of different waits could overlap if nothing serialized them.
        var h = NewBatch();
        var ids = Enumerable.Range(0, 40).Select(i => $"j{i}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            h.Server.Add(id, Sec(1 + (i % 4)));
        }

        int inside = 0, overlaps = 0, calls = 0;
        void Enter()
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            Interlocked.Increment(ref calls);
            Thread.SpinWait(2_000);
            Interlocked.Decrement(ref inside);
        }

        // No deadline: the clock runs on its own here, and the deadline is not what this test is about.
        var options = new TranslationWaitOptions { Strategy = PollingStrategy.Fixed(Ms(500)), MaxWait = Timeout.InfiniteTimeSpan };
        options.OnStatusChanged = _ => Enter();
        options.OnProgress = _ => Enter();
        var batch = new TranslationBatchOptions { OnJobFinished = _ => Enter(), OnProgress = _ => Enter(), MaxConcurrency = 8 };
        h.Server.Latency = Ms(5);
        using (h)
        {
            // Many threads complete answers: each fake-clock step runs on a pool thread of its own.
            var run = Task.Run(() => h.Client.WaitForAll(ids, options, batch));
            var driver = Task.Run(() =>
            {
                SpinWait.SpinUntil(() => h.Server.Requests.Count >= 8 || run.IsCompleted, Generous);
                while (!run.IsCompleted)
                {
                    h.Clock.Run(Ms(1));
                }
            });

            var outcomes = await run.WaitAsync(Generous);
            await driver.WaitAsync(Generous);

            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.True(calls > 100, $"{calls} callbacks");
            Assert.Equal(0, overlaps);
        }
    }

    [Fact]
    public async Task An_async_status_callback_that_awaits_does_not_block_the_other_waits()
    {
        var h = NewBatch(("a", 1), ("b", 1.5), ("c", 2));
        var order = new List<string>();
        var options = Fixed(0.5);
        options.OnStatusChangedAsync = async (s, ct) =>
        {
            order.Add($"{s.JobId} {s.State} start");
            await Task.Delay(Sec(1), h.Clock, ct); // e.g. posting to a chat, on the client's clock
            order.Add($"{s.JobId} {s.State} end");
        };
        using (h)
        {
            var batch = h.Client.WaitForAllAsync(["a", "b", "c"], options);

            // Waits queued for the callbacks' turn resume on the pool: step the clock only to timers that exist, and
            // wait for one to exist rather than jumping ahead. If a callback blocks this thread, it is lost, not the test's.
            var driver = Task.Run(() =>
            {
                while (!batch.IsCompleted && SpinWait.SpinUntil(() => batch.IsCompleted || h.Clock.NextTimerDue is not null, Generous))
                {
                    if (h.Clock.NextTimerDue is DateTimeOffset next)
                    {
                        h.Clock.AdvanceTo(next);
                    }
                }
            });
            var outcomes = await batch.WaitAsync(Generous);
            await driver.WaitAsync(Generous);

            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.Equal(12, order.Count);
            for (int i = 0; i < order.Count; i += 2)
            {
                Assert.EndsWith("start", order[i], StringComparison.Ordinal);
                Assert.Equal(order[i].Replace("start", "end", StringComparison.Ordinal), order[i + 1]);
            }
        }
    }

    [Fact]
    public async Task A_callback_exception_cancels_the_other_waits_and_propagates_unchanged()
    {
        var h = NewBatch(("first", 1), ("second", 30), ("third", 60));
        var boom = new InvalidOperationException("callback failed");
        using (h)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => h.WaitAll(["first", "second", "third"], Fixed(), new TranslationBatchOptions { OnJobFinished = o => throw boom }));

            Assert.Same(boom, ex);
            Assert.Equal(Sec(1), h.Clock.Elapsed);
            int requests = h.Server.Requests.Count;
            h.Clock.Run(TimeSpan.FromMinutes(5));
            Assert.Equal(requests, h.Server.Requests.Count);
            Assert.Equal(0, h.Server.InFlight);
            Assert.InRange(h.Server["second"].Requests, 1, 2); // its check at 1 s may come before or after the failure
        }
    }

    [Fact]
    public async Task A_status_callback_exception_ends_the_batch_too()
    {
        var h = NewBatch(("a", 5), ("b", 5));
        var boom = new ArithmeticException("status callback failed");
        var options = Fixed();
        options.OnStatusChanged = s =>
        {
            if (s.State == TranslationState.Completed)
            {
                throw boom;
            }
        };
        using (h)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => h.WaitAll(["a", "b"], options));

            Assert.Same(boom, ex);
            int requests = h.Server.Requests.Count;
            h.Clock.Run(TimeSpan.FromMinutes(5));
            Assert.Equal(requests, h.Server.Requests.Count);
        }
    }

    [Fact]
    public async Task A_status_callback_that_throws_a_TranslationException_ends_the_batch_too()
    {
        var h = NewBatch(("a", 2), ("b", 30));
        var boom = new TranslationHttpException(500, "Internal Server Error", "", new Uri("http://elsewhere.test/notify"));
        var options = Fixed();
        options.OnStatusChanged = s =>
        {
            if (s.JobId == "a" && s.IsTerminal)
            {
                throw boom; // e.g. the callback posts a notification through another client, which fails
            }
        };
        using (h)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => h.WaitAll(["a", "b"], options));

            Assert.Same(boom, ex);
            Assert.Equal(Sec(2), h.Clock.Elapsed);
        }
    }

    [Fact]
    public async Task A_single_wait_propagates_a_TranslationException_from_its_callback_unchanged()
    {
        using var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Add("a", Sec(2));
        var boom = new TranslationHttpException(500, "Internal Server Error", "", new Uri("http://elsewhere.test/notify"));
        var options = Fixed();
        options.OnStatusChanged = s =>
        {
            if (s.IsTerminal)
            {
                throw boom;
            }
        };

        var wait = h.Wait(options, "a");

        Assert.Same(boom, await Assert.ThrowsAsync<TranslationHttpException>(() => wait));
    }

    [Fact]
    public async Task A_callback_exception_while_other_requests_are_held_cancels_them()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(1));
        h.Server.Add("b", Sec(100));
        var boom = new InvalidOperationException("stop");
        using (h)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => h.WaitAll(["a", "b"], Exact(new LongPollStrategy()), new TranslationBatchOptions { OnJobFinished = _ => throw boom }));

            Assert.Same(boom, ex);
            Assert.Equal(Sec(1), h.Clock.Elapsed);
            Assert.Equal(0, h.Server.InFlight);
        }
    }

    [Fact]
    public async Task Cancelling_stops_every_wait_and_throws_OperationCanceledException()
    {
        var h = NewBatch(("a", 100), ("b", 200), ("c", 5));
        using var cts = new CancellationTokenSource();
        using (h)
        {
            var batch = h.StartAll(["a", "b", "c"], Fixed(), cancellationToken: cts.Token);
            Assert.True(batch.Run(Sec(10)));
            Assert.Equal(1, batch.Finished);
            Assert.False(batch.Task.IsCompleted);

            cts.Cancel();

            var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.Task);
            Assert.Equal(cts.Token, ex.CancellationToken);
            int requests = h.Server.Requests.Count;
            h.Clock.Run(TimeSpan.FromMinutes(5));
            Assert.Equal(requests, h.Server.Requests.Count);
        }
    }

    [Fact]
    public async Task Cancelling_during_held_requests_cancels_them()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(100));
        h.Server.Add("b", Sec(100));
        using var cts = new CancellationTokenSource();
        using (h)
        {
            var batch = h.StartAll(["a", "b"], Exact(new LongPollStrategy()), cancellationToken: cts.Token);
            Assert.True(batch.Run(Sec(10)));
            Assert.Equal(2, h.Server.InFlight);

            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.Task);
            Assert.Equal(0, h.Server.InFlight);
        }
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        var h = NewBatch(("a", 1));
        using (h)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.WaitAll(["a"], Fixed(), cancellationToken: new CancellationToken(true)));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.WaitAny(["a"], Fixed(), cancellationToken: new CancellationToken(true)));
            Assert.Empty(h.Server.Requests);
        }
    }

    [Fact]
    public async Task WaitForAny_returns_the_first_finished_and_the_others_have_stopped()
    {
        var h = NewBatch(("slow", 50), ("fast", 3), ("mid", 20));
        var finished = new List<string>();
        using (h)
        {
            var first = await h.WaitAny(["slow", "fast", "mid"], Fixed(), new TranslationBatchOptions { OnJobFinished = o => finished.Add(o.JobId!) });

            Assert.Equal("fast", first.JobId);
            Assert.True(first.Succeeded);
            Assert.Equal(Sec(3), h.Clock.Elapsed);
            Assert.Equal(["fast"], finished);
            Assert.Equal(0, h.Server.InFlight);
            int requests = h.Server.Requests.Count;
            h.Clock.Run(TimeSpan.FromMinutes(5));
            Assert.Equal(requests, h.Server.Requests.Count);
            Assert.Equal(4, h.Server["slow"].Requests); // 0, 1, 2, 3 s
        }
    }

    [Fact]
    public async Task WaitForAny_with_held_long_polls_returns_at_the_first_completion_and_cancels_the_holds()
    {
        var h = new Harness();
        h.Server.Add("a", Sec(40));
        h.Server.Add("b", Sec(7));
        h.Server.Add("c", Sec(25));
        using (h)
        {
            var first = await h.WaitAny(["a", "b", "c"], Exact(new LongPollStrategy()));

            Assert.Equal("b", first.JobId);
            Assert.Equal(Sec(7), h.Clock.Elapsed);
            Assert.Equal(0, h.Server.InFlight);
            Assert.Equal(3, h.Server.StatusRequests.Count);
        }
    }

    [Fact]
    public async Task WaitForAny_returns_an_error_outcome_if_that_ends_first()
    {
        var h = NewBatch(("a", 5));
        using (h)
        {
            var first = await h.WaitAny(["a", "missing"], Fixed());

            Assert.Equal("missing", first.JobId);
            Assert.IsType<TranslationHttpException>(first.Error);
            Assert.Equal(TimeSpan.Zero, h.Clock.Elapsed);
        }
    }

    [Fact]
    public async Task WaitForAny_propagates_a_callback_exception()
    {
        var h = NewBatch(("a", 5), ("b", 6));
        var boom = new FormatException("no");
        using (h)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => h.WaitAny(["a", "b"], Fixed(), new TranslationBatchOptions { OnJobFinished = _ => throw boom }));

            Assert.Same(boom, ex);
            Assert.Equal(0, h.Server.InFlight);
        }
    }

    [Fact]
    public async Task A_null_list_is_rejected()
    {
        using var h = new Harness();
        Assert.Equal("jobIds", Assert.Throws<ArgumentNullException>(() => h.Client.WaitForAll(null!)).ParamName);
        Assert.Equal("jobIds", Assert.Throws<ArgumentNullException>(() => h.Client.WaitForAny(null!)).ParamName);
        Assert.Equal("jobIds", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.WaitAll(null!))).ParamName);
        Assert.Equal("jobIds", (await Assert.ThrowsAsync<ArgumentNullException>(() => h.WaitAny(null!))).ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\t")]
    public async Task A_null_or_blank_id_is_rejected_naming_its_index_before_any_request(string? bad)
    {
        using var h = new Harness();
        var all = await Assert.ThrowsAsync<ArgumentException>(() => h.WaitAll(["a", "b", bad!]));
        var any = await Assert.ThrowsAsync<ArgumentException>(() => h.WaitAny(["a", "b", bad!]));

        Assert.Equal("jobIds", all.ParamName);
        Assert.Contains("jobIds[2]", all.Message, StringComparison.Ordinal);
        Assert.Contains("jobIds[2]", any.Message, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task WaitForAny_of_no_job_is_rejected()
    {
        using var h = new Harness();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.WaitAny([]));
        Assert.Equal("jobIds", ex.ParamName);
        Assert.Throws<ArgumentException>(() => h.Client.WaitForAny([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void MaxConcurrency_out_of_range_is_rejected_naming_it(int value)
    {
        var batch = new TranslationBatchOptions();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => batch.MaxConcurrency = value);
        Assert.Equal("MaxConcurrency", ex.ParamName);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Equal(TranslationBatchOptions.DefaultMaxConcurrency, batch.MaxConcurrency);
    }

    [Fact]
    public void MaxConcurrency_accepts_1_to_100000_and_defaults_to_64()
    {
        Assert.Equal(64, new TranslationBatchOptions().MaxConcurrency);
        Assert.Equal(1, new TranslationBatchOptions { MaxConcurrency = 1 }.MaxConcurrency);
        Assert.Equal(100_000, new TranslationBatchOptions { MaxConcurrency = 100_000 }.MaxConcurrency);
    }

    [Fact]
    public async Task A_disposed_client_refuses_batches()
    {
        var h = new Harness();
        h.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.WaitAll(["a"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => h.WaitAny(["a"]));
    }

    [Fact]
    public async Task The_sync_flavours_work_on_the_fake_clock()
    {
        var h = NewBatch(("a", 2), ("b", 4));
        using (h)
        {
            var all = h.StartBatch(2, null, b => Task.Run(() => h.Client.WaitForAll(["a", "b"], Fixed(), b)));
            SpinWait.SpinUntil(() => h.Server.Requests.Count >= 2 || all.Task.IsCompleted, Generous);
            Assert.True(all.Run());
            var outcomes = await all.Task.WaitAsync(Generous);
            Assert.Equal(["a", "b"], outcomes.Select(o => o.JobId));
            Assert.All(outcomes, o => Assert.True(o.Succeeded));

            var start = h.Server.Requests.Count;
            var any = Task.Run(() => h.Client.WaitForAny(["b", "a", "missing-not"], Fixed()));
            var first = await any.WaitAsync(Generous);
            Assert.Equal("b", first.JobId); // both are done; the first wait started answers first
            Assert.True(first.Succeeded);
            Assert.True(h.Server.Requests.Count - start <= 3);
        }
    }

    [Fact]
    public async Task The_sync_flavours_rethrow_a_callback_exception_unchanged()
    {
        var h = NewBatch(("a", 0));
        var boom = new InvalidTimeZoneException("x");
        using (h)
        {
            var ex = await Assert.ThrowsAsync<InvalidTimeZoneException>(() => Task.Run(() => h.Client.WaitForAll(["a"], Fixed(), new TranslationBatchOptions { OnJobFinished = _ => throw boom })));
            Assert.Same(boom, ex);
        }
    }

    [Theory]
    [InlineData(1_000, false)]
    [InlineData(1_000, true)]
    [InlineData(10_000, true)]
    public async Task Thousands_of_waits_on_the_fake_clock_all_complete(int count, bool longPoll)
    {
        var h = new Harness();
        if (!longPoll)
        {
            h.Server.LongPollMaxSeconds = null;
        }

        h.Server.RequestLimit = count * 20;
        var random = new Random(count);
        var ids = new string[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = $"job-{i}";
            h.Server.Add(ids[i], Sec(15 + (15 * random.NextDouble())));
        }

        PollingStrategy strategy = longPoll ? new LongPollStrategy() : new ExponentialStrategy(Sec(1), 1.5, Sec(5));
        var batch = new TranslationBatchOptions { MaxConcurrency = 10_000, MaxHeldChecks = 10_000 };
        int finished = 0;
        batch.OnJobFinished = _ => finished++;
        using (h)
        {
            var outcomes = await h.WaitAll(ids, Exact(strategy), batch);

            Assert.Equal(count, outcomes.Count);
            Assert.All(outcomes, o => Assert.True(o.Succeeded, o.ToString()));
            Assert.Equal(count, finished);
            Assert.True(h.Clock.Elapsed <= Sec(35), $"the batch took {h.Clock.Elapsed}");
            if (longPoll)
            {
                Assert.Equal(count, h.Server.StatusRequests.Count); // one held request per job (the server has no group long-poll)
                Assert.All(h.Server.Jobs, j => Assert.Equal(TimeSpan.Zero, j.Lateness));
            }
            else
            {
                Assert.True(h.Server.Requests.Count <= count * 10, $"{h.Server.Requests.Count} requests");
            }
        }
    }

    [Fact]
    public async Task Hundreds_of_waits_through_a_small_gate_all_complete()
    {
        var h = new Harness();
        h.Server.LongPollMaxSeconds = null;
        h.Server.Latency = Ms(2);
        h.Server.RequestLimit = 100_000;
        var ids = Enumerable.Range(0, 500).Select(i => $"j{i}").ToArray();
        foreach (string id in ids)
        {
            h.Server.Add(id, Sec(10));
        }

        using (h)
        {
            var outcomes = await h.WaitAll(ids, Exact(new ExponentialStrategy(Sec(1), 2, Sec(4))), new TranslationBatchOptions { MaxConcurrency = 16 });

            Assert.All(outcomes, o => Assert.True(o.Succeeded));
            Assert.Equal(16, h.Server.MaxInFlight);
        }
    }

    [Fact]
    public void TranslationJobOutcome_takes_exactly_one_of_result_and_error()
    {
        var status = new TranslationStatus(TranslationState.Completed, "completed", TestClock.T0, FakeServer.BaseUri);
        var result = new TranslationWaitResult(status, 1, TimeSpan.Zero, [status]);
        var error = new TranslationConnectionException("down", FakeServer.BaseUri, false, null);

        using var client = new TranslationClient(FakeServer.BaseUri);
        var a = new TranslationJobTarget(client, "a");
        Assert.Throws<ArgumentException>(() => new TranslationJobOutcome(a, 0, null, null));
        Assert.Throws<ArgumentException>(() => new TranslationJobOutcome(a, 0, result, error));
        Assert.Throws<ArgumentNullException>(() => new TranslationJobOutcome(null!, 0, result, null));
        Assert.True(new TranslationJobOutcome(a, 0, result, null).Succeeded);
        var failed = new TranslationJobOutcome(new TranslationJobTarget(client, "b"), 1, null, error);
        Assert.False(failed.Succeeded);
        Assert.Contains("TranslationConnectionException", failed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TranslationBatchProgress_derives_running_and_fraction()
    {
        var p = new TranslationBatchProgress(10, 3, 2, 1);
        Assert.Equal(4, p.Running);
        Assert.Equal(0.6, p.FractionDone, precision: 10);
        Assert.Equal("6 of 10 done (3 completed, 2 failed, 1 errored)", p.ToString());
        Assert.Equal(1.0, new TranslationBatchProgress(0, 0, 0, 0).FractionDone);
    }
}
