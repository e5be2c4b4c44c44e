using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Tests;

/// <summary>
/// The cross-check of the benchmark's lateness with the library's metric: the comparison (counts, each sorted pair
/// within the tolerance, a server that does not say completedAt), and the listener that keeps each case's measurements
/// apart when cases wait side by side in one process.
/// </summary>
[Collection(InProcessWaits.Name)]
public sealed class MetricLatenessTests
{
    [Fact]
    public void The_same_latenesses_in_milliseconds_and_seconds_agree_in_any_order()
    {
        LatenessCrossCheck check = LatenessCrossCheck.Compare([12.5, 0.25, 300], [0.3, 0.0125, 0.00025], serverSaysCompletedAt: true);

        Assert.True(check.Available);
        Assert.True(check.Agrees, check.Verdict);
        Assert.Equal(3, check.BenchJobs);
        Assert.Equal(3, check.MetricMeasurements);
        Assert.Equal(check.BenchMeanMs, check.MetricMeanMs, precision: 9);
        Assert.True(check.MaxDifferenceMs < 1e-9, $"{check.MaxDifferenceMs}");
    }

    [Fact]
    public void One_lateness_off_by_more_than_the_tolerance_disagrees()
    {
        LatenessCrossCheck check = LatenessCrossCheck.Compare([12.5, 40], [0.0125, 0.040 + (2 * LatenessCrossCheck.ToleranceMs / 1000)], serverSaysCompletedAt: true);

        Assert.False(check.Agrees);
        Assert.Equal(2 * LatenessCrossCheck.ToleranceMs, check.MaxDifferenceMs, precision: 9);
        Assert.StartsWith("disagree", check.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_measurement_more_or_less_than_the_measured_jobs_disagrees()
    {
        Assert.False(LatenessCrossCheck.Compare([12.5, 40], [0.0125], serverSaysCompletedAt: true).Agrees);
        Assert.False(LatenessCrossCheck.Compare([12.5], [0.0125, 0.0125], serverSaysCompletedAt: true).Agrees);

        // A server that says when jobs ended, and a metric that recorded nothing: the metric is broken, not absent.
        LatenessCrossCheck none = LatenessCrossCheck.Compare([12.5], [], serverSaysCompletedAt: true);
        Assert.True(none.Available);
        Assert.False(none.Agrees);
    }

    [Fact]
    public void Waits_the_benchmark_did_not_measure_are_named_as_the_reason_the_counts_differ()
    {
        LatenessCrossCheck check = LatenessCrossCheck.Compare([12.5, 40], [0.0125, 0.040, 0.1], serverSaysCompletedAt: true, unmeasured: 1);

        Assert.False(check.Agrees);
        Assert.StartsWith("cannot compare", check.Verdict, StringComparison.Ordinal);
        Assert.Contains("the 1 waits the benchmark did not measure", check.Verdict, StringComparison.Ordinal);
        Assert.StartsWith("disagree", LatenessCrossCheck.Compare([12.5, 40], [0.0125, 0.040, 0.1], serverSaysCompletedAt: true, unmeasured: 2).Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_say_completedAt_has_no_metric_lateness_and_that_is_no_failure()
    {
        LatenessCrossCheck check = LatenessCrossCheck.Compare([12.5, 40], [], serverSaysCompletedAt: false);

        Assert.False(check.Available);
        Assert.True(check.Agrees);
        Assert.Equal(LatenessCrossCheck.NotSaid, check.Verdict);
    }

    [Fact]
    public void A_job_seen_before_its_completedAt_is_zero_for_both_as_the_library_clamps_it()
    {
        LatenessCrossCheck check = LatenessCrossCheck.Compare([-0.5, 10], [0, 0.010], serverSaysCompletedAt: true);

        Assert.True(check.Agrees, check.Verdict);
        Assert.Equal(1, check.BenchBelowZero);
    }

    [Fact]
    public async Task The_listener_gives_each_case_the_latenesses_of_its_own_waits_only()
    {
        using var listener = new LatenessListener();
        var first = new LatenessCollector();
        var second = new LatenessCollector();

        // Two cases side by side, each with its own client and script, and one wait outside both (a warm-up).
        async Task<TranslationWaitResult[]> Case(LatenessCollector? collector, int jobs, double latenessSeconds)
        {
            listener.Collect(collector);
            using var handler = new ScriptedStatusHandler(pendingAnswers: 2, TimeSpan.FromSeconds(latenessSeconds));
            using TranslationClient client = CoreUse.ScriptedClient(handler);
            TranslationWaitOptions options = CoreUse.ScriptedWaitOptions();
            return await Task.WhenAll(Enumerable.Range(0, jobs).Select(i => Task.Run(() => client.WaitForCompletionAsync($"job-{i}", options))));
        }

        TranslationWaitResult[][] results = await Task.WhenAll(Case(first, 3, 0.2), Case(second, 2, 0.05), Case(null, 1, 1));

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(3, r.Attempts));
        Assert.Equal(results[0].Select(r => r.DetectionLateness!.Value.TotalSeconds).Order(), first.Seconds.Order());
        Assert.Equal(results[1].Select(r => r.DetectionLateness!.Value.TotalSeconds).Order(), second.Seconds.Order());
        Assert.All(first.Seconds, s => Assert.InRange(s, 0.2, 0.5));
        Assert.All(first.States.Concat(second.States), s => Assert.Equal("completed", s));
        Assert.True(listener.Unscoped >= 1, $"{listener.Unscoped} measurements outside every case.");
    }
}
