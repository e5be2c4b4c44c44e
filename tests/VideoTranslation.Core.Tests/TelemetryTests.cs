using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>Metrics are process-wide: these tests run alone, so every measurement they see is their own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryRunsAlone
{
    public const string Name = "Telemetry (not in parallel: metrics are process-wide)";
}

/// <summary>The spans and instruments of docs/observability.md, for scripted waits on the fake clock.</summary>
[Collection(TelemetryRunsAlone.Name)]
public class TelemetryTests
{
    private static readonly TimeSpan Interval = Sec(3);

    private static TranslationWaitOptions FixedEvery3s(TimeSpan? maxWait = null) => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        RetryBackoff = new RetryBackoff(Interval, 1, Interval),
        MaxWait = maxWait ?? TimeSpan.FromMinutes(5),
    };

    // A job that ends at 8 s and says so; checks at 0, 3, 6, 9 s: found 1 s late.
    private static (Harness Harness, FakeJob Job) JobEndingAt8s(Action<TranslationClientOptions>? configure = null, string outcome = "completed")
    {
        var h = new Harness(configure);
        FakeJob job = h.Server.Add("job-1", Sec(8), outcome);
        job.SaysCompletedAt = true;
        return (h, job);
    }

    [Fact]
    public async Task A_wait_is_one_span_under_the_callers_with_its_server_service_strategy_outcome_checks_elapsed_and_lateness()
    {
        using var spans = new SpanRecorder();
        (Harness h, _) = JobEndingAt8s();
        using (h)
        {
            await h.Wait(FixedEvery3s(), "job-1");
        }

        Activity wait = spans.One(Telemetry.WaitSpan);
        Assert.Equal(spans.Root.SpanId, wait.ParentSpanId);
        Assert.Equal(ActivityKind.Internal, wait.Kind);
        Assert.Equal(TranslationTelemetry.SourceName, wait.Source.Name);
        Assert.Equal(TestClock.T0.UtcDateTime, wait.StartTimeUtc);
        Assert.Equal(Sec(9), wait.Duration);
        Assert.Equal(ActivityStatusCode.Unset, wait.Status);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["server.address"] = "jobs.test",
                ["server.port"] = 80,
                ["video_translation.service"] = "Simulator",
                ["video_translation.strategy"] = "Fixed",
                ["video_translation.job.id"] = "job-1",
                ["video_translation.outcome"] = "completed",
                ["video_translation.checks"] = 4,
                ["video_translation.wait.elapsed"] = 9.0,
                ["video_translation.job.state"] = "completed",
                ["video_translation.detection.lateness"] = 1.0,
            },
            wait.TagObjects.ToDictionary(t => t.Key, t => t.Value));
    }

    [Fact]
    public async Task Each_check_is_a_span_beneath_its_wait_with_its_number_hold_and_answer_and_the_request_goes_out_inside_it()
    {
        using var spans = new SpanRecorder();
        (Harness h, _) = JobEndingAt8s();
        var current = new List<string?>();
        using (h)
        {
            h.Server.Handle = (request, number, token) =>
            {
                current.Add(Activity.Current?.OperationName); // what HttpClient's own span takes as its parent
                return h.Server.Answer(request, number, token);
            };
            await h.Wait(FixedEvery3s(), "job-1");
        }

        Activity wait = spans.One(Telemetry.WaitSpan);
        Activity[] checks = spans.Named(Telemetry.CheckSpan);
        Assert.Equal(4, checks.Length);
        Assert.All(checks, c => Assert.Equal(wait.SpanId, c.ParentSpanId));
        Assert.Equal(new object[] { 1, 2, 3, 4 }, checks.Select(c => c.GetTagItem("video_translation.check.attempt")));
        Assert.Equal(new object[] { "pending", "pending", "pending", "completed" }, checks.Select(c => c.GetTagItem("video_translation.job.state")));
        Assert.All(checks, c => Assert.Equal(false, c.GetTagItem("video_translation.check.held")));
        Assert.All(checks, c => Assert.Equal("job-1", c.GetTagItem("video_translation.job.id")));
        Assert.Equal(new[] { 0.0, 3, 6, 9 }, checks.Select(c => (c.StartTimeUtc - TestClock.T0.UtcDateTime).TotalSeconds));
        Assert.Equal(Enumerable.Repeat(Telemetry.CheckSpan, 4), current);
    }

    [Fact]
    public async Task A_wait_records_its_duration_checks_and_lateness_tagged_by_service_strategy_and_outcome_never_by_job()
    {
        using var duration = new MetricCollector<double>(Telemetry.WaitDuration);
        using var checks = new MetricCollector<long>(Telemetry.WaitChecks);
        using var lateness = new MetricCollector<double>(Telemetry.DetectionLateness);
        using var active = new MetricCollector<long>(Telemetry.ActiveWaits);
        (Harness h, _) = JobEndingAt8s();
        using (h)
        {
            await h.Wait(FixedEvery3s(), "job-1");
        }

        var byOutcome = new Dictionary<string, object?> { ["video_translation.service"] = "Simulator", ["video_translation.strategy"] = "Fixed", ["video_translation.outcome"] = "completed" };
        Assert.Equal(("s", 9.0), (duration.Instrument!.Unit, Assert.Single(duration.GetMeasurementSnapshot()).Value));
        Assert.Equal(byOutcome, duration.LastMeasurement!.Tags);
        Assert.Equal(("{check}", 4L), (checks.Instrument!.Unit, Assert.Single(checks.GetMeasurementSnapshot()).Value));
        Assert.Equal(byOutcome, checks.LastMeasurement!.Tags);
        Assert.Equal(("s", 1.0), (lateness.Instrument!.Unit, Assert.Single(lateness.GetMeasurementSnapshot()).Value));
        Assert.Equal(
            new Dictionary<string, object?> { ["video_translation.service"] = "Simulator", ["video_translation.strategy"] = "Fixed", ["video_translation.job.state"] = "completed" },
            lateness.LastMeasurement!.Tags);
        Assert.Equal("{wait}", active.Instrument!.Unit);
        Assert.Equal(new long[] { 1, -1 }, active.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(2, active.GetMeasurementSnapshot().Count(m => m.Tags.Count == 2 && (string?)m.Tags["video_translation.strategy"] == "Fixed"));
    }

    [Fact]
    public async Task Lateness_is_not_recorded_when_the_server_does_not_say_when_the_job_ended()
    {
        using var lateness = new MetricCollector<double>(Telemetry.DetectionLateness);
        using var spans = new SpanRecorder();
        (Harness h, FakeJob job) = JobEndingAt8s();
        job.SaysCompletedAt = false;
        TranslationWaitResult result;
        using (h)
        {
            result = await h.Wait(FixedEvery3s(), "job-1");
        }

        Assert.Null(result.DetectionLateness);
        Assert.Empty(lateness.GetMeasurementSnapshot());
        Assert.Null(spans.One(Telemetry.WaitSpan).GetTagItem("video_translation.detection.lateness"));
    }

    [Fact]
    public async Task Each_retry_is_counted_by_its_reason_and_its_check_span_says_why_it_failed()
    {
        using var retries = new MetricCollector<long>(Telemetry.Retries);
        using var spans = new SpanRecorder();
        using var h = new Harness(o => o.RequestTimeout = Sec(2));
        h.Server.Sequence(
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Json("slow down", HttpStatusCode.TooManyRequests, retryAfter: Sec(1)),
            () => FakeServer.Status("pending"), // the third request hangs (overridden): a timeout
            () => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (jobs.test:80)", new SocketException((int)SocketError.ConnectionRefused)),
            () => FakeServer.Status("completed"));
        h.Server.Override(3, FakeServer.Hang);

        await h.Wait(FixedEvery3s());

        Assert.Equal("{retry}", retries.Instrument!.Unit);
        Assert.Equal(new[] { "5xx", "429", "timeout", "connection" }, retries.GetMeasurementSnapshot().Select(m => (string?)m.Tags["video_translation.retry.reason"]));
        Assert.All(retries.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.All(retries.GetMeasurementSnapshot(), m => Assert.Equal(new[] { "video_translation.retry.reason", "video_translation.service", "video_translation.strategy" }, m.Tags.Keys.Order()));
        Activity[] checks = spans.Named(Telemetry.CheckSpan);
        Assert.Equal(5, checks.Length);
        Assert.Equal(new object?[] { "5xx", "429", "timeout", "connection", null }, checks.Select(c => c.GetTagItem("video_translation.retry.reason")));
        Assert.Equal(new object?[] { 503, 429, null, null, null }, checks.Select(c => c.GetTagItem("http.response.status_code")));
        Assert.Equal(
            new object?[] { typeof(TranslationHttpException).FullName, typeof(TranslationHttpException).FullName, typeof(TranslationConnectionException).FullName, typeof(TranslationConnectionException).FullName, null },
            checks.Select(c => c.GetTagItem("error.type")));
        Assert.Equal(
            new[] { ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Unset },
            checks.Select(c => c.Status));
        Assert.Equal(ActivityStatusCode.Unset, spans.One(Telemetry.WaitSpan).Status);
    }

    [Fact]
    public async Task A_retried_lone_check_is_counted_by_its_reason_without_a_strategy()
    {
        using var retries = new MetricCollector<long>(Telemetry.Retries);
        using var h = new Harness(o => o.StatusCheckRetries = 1);
        h.Server.Sequence(() => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable), () => FakeServer.Status("pending"));

        var check = h.Client.GetStatusAsync("job-1");
        h.Clock.RunUntilDone(check);
        await check;

        CollectedMeasurement<long> retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(new Dictionary<string, object?> { ["video_translation.service"] = "Simulator", ["video_translation.retry.reason"] = "5xx" }, retry.Tags);
    }

    [Fact]
    public async Task A_held_check_records_how_long_it_was_held_and_its_span_the_hold_it_asked_for()
    {
        using var holds = new MetricCollector<double>(Telemetry.HoldDuration);
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Add("job-1", Sec(25));

        await h.Wait(Exact(new LongPollStrategy(Sec(20))), "job-1");

        // Held for 20 s (the whole hold), then 5 s (the job ended during the second hold).
        Assert.Equal("s", holds.Instrument!.Unit);
        Assert.Equal(new[] { 20.0, 5.0 }, holds.GetMeasurementSnapshot().Select(m => m.Value));
        Activity[] checks = spans.Named(Telemetry.CheckSpan);
        Assert.Equal(new object[] { true, true }, checks.Select(c => c.GetTagItem("video_translation.check.held")));
        Assert.Equal(new object[] { 20.0, 20.0 }, checks.Select(c => c.GetTagItem("video_translation.check.hold")));
        Assert.Equal("LongPoll", spans.One(Telemetry.WaitSpan).GetTagItem("video_translation.strategy"));
    }

    [Fact]
    public async Task A_job_that_failed_is_the_outcome_failed_and_the_wait_span_is_not_an_error()
    {
        using var duration = new MetricCollector<double>(Telemetry.WaitDuration);
        using var lateness = new MetricCollector<double>(Telemetry.DetectionLateness);
        using var spans = new SpanRecorder();
        (Harness h, _) = JobEndingAt8s(outcome: "error");
        using (h)
        {
            await h.Wait(FixedEvery3s(), "job-1");
        }

        Activity wait = spans.One(Telemetry.WaitSpan);
        Assert.Equal(("failed", "error", ActivityStatusCode.Unset), (wait.GetTagItem("video_translation.outcome"), wait.GetTagItem("video_translation.job.state"), wait.Status));
        Assert.Equal("failed", duration.LastMeasurement!.Tags["video_translation.outcome"]);
        Assert.Equal("error", lateness.LastMeasurement!.Tags["video_translation.job.state"]);
    }

    [Fact]
    public async Task A_wait_past_its_deadline_is_the_outcome_timed_out_an_error_span_with_its_error_type()
    {
        using var duration = new MetricCollector<double>(Telemetry.WaitDuration);
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("pending"));

        var wait = h.Start(FixedEvery3s(maxWait: Sec(10)));
        h.Clock.RunUntilDone(wait);
        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);

        Activity span = spans.One(Telemetry.WaitSpan);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Contains("did not finish within 10 s", span.StatusDescription);
        Assert.Equal(typeof(TranslationTimeoutException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(("timed_out", "pending"), (span.GetTagItem("video_translation.outcome"), span.GetTagItem("video_translation.job.state")));
        Assert.Equal(("timed_out", 10.0), ((string?)duration.LastMeasurement!.Tags["video_translation.outcome"], duration.LastMeasurement.Value));
    }

    [Fact]
    public async Task A_permanent_failure_is_the_outcome_error_on_the_wait_and_its_check_with_the_http_status()
    {
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json("""{"detail":"no such job"}""", HttpStatusCode.NotFound));

        await Assert.ThrowsAsync<TranslationHttpException>(() => h.Wait(FixedEvery3s(), "gone"));

        Activity wait = spans.One(Telemetry.WaitSpan);
        Activity check = spans.One(Telemetry.CheckSpan);
        Assert.Equal(("error", ActivityStatusCode.Error), (wait.GetTagItem("video_translation.outcome"), wait.Status));
        Assert.Equal(404, wait.GetTagItem("http.response.status_code"));
        Assert.Equal((404, ActivityStatusCode.Error, typeof(TranslationHttpException).FullName), (check.GetTagItem("http.response.status_code"), check.Status, check.GetTagItem("error.type")));
        Assert.Null(check.GetTagItem("video_translation.retry.reason"));
    }

    [Fact]
    public async Task A_cancelled_wait_is_the_outcome_canceled_and_its_check_in_flight_ends_too()
    {
        using var active = new MetricCollector<long>(Telemetry.ActiveWaits);
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Override(1, FakeServer.Hang);
        using var cancel = new CancellationTokenSource();

        var wait = h.Start(FixedEvery3s(), "job-1", cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);

        Activity span = spans.One(Telemetry.WaitSpan);
        Assert.Equal(("canceled", ActivityStatusCode.Error), (span.GetTagItem("video_translation.outcome"), span.Status));
        Assert.Equal(ActivityStatusCode.Error, spans.One(Telemetry.CheckSpan).Status);
        Assert.Equal(0, active.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task A_batch_is_one_span_with_its_waits_beneath_it_and_its_totals()
    {
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Add("a", Sec(4));
        h.Server.Add("b", Sec(7), "error");
        h.Server.Add("c", Sec(9));

        await h.WaitAll(new[] { "a", "b", "c" }, FixedEvery3s());

        Activity batch = spans.One(Telemetry.BatchSpan);
        Assert.Equal(spans.Root.SpanId, batch.ParentSpanId);
        Activity[] waits = spans.Named(Telemetry.WaitSpan);
        Assert.Equal(new object[] { "a", "b", "c" }, waits.Select(w => w.GetTagItem("video_translation.job.id")).Order());
        Assert.All(waits, w => Assert.Equal(batch.SpanId, w.ParentSpanId));
        Assert.All(spans.Named(Telemetry.CheckSpan), c => Assert.Contains(waits, w => w.SpanId == c.ParentSpanId));
        Assert.Equal(
            (3, 2, 1, 0),
            (batch.GetTagItem("video_translation.batch.jobs"), batch.GetTagItem("video_translation.batch.completed"),
             batch.GetTagItem("video_translation.batch.failed"), batch.GetTagItem("video_translation.batch.errored")));
        Assert.Equal(ActivityStatusCode.Unset, batch.Status);
        Assert.Equal((TestClock.T0.UtcDateTime, Sec(9)), (batch.StartTimeUtc, batch.Duration)); // on the client's clock, as its waits
    }

    [Fact]
    public async Task A_create_is_one_span_with_its_server_service_and_the_number_of_jobs()
    {
        using var spans = new SpanRecorder();
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(FakeServer.Json("""{"id":"new-1","result":"pending"}""", HttpStatusCode.Created));

        await h.Client.CreateJobAsync();

        Activity create = spans.One(Telemetry.CreateSpan);
        Assert.Equal(spans.Root.SpanId, create.ParentSpanId);
        Assert.Equal(("jobs.test", "Simulator", 1), (create.GetTagItem("server.address"), create.GetTagItem("video_translation.service"), create.GetTagItem("video_translation.create.jobs")));
    }

    [Theory]
    [InlineData(PollingStrategyKind.Auto, "Auto")]
    [InlineData(PollingStrategyKind.LongPoll, "LongPoll")]
    [InlineData(PollingStrategyKind.Adaptive, "Adaptive")]
    [InlineData(PollingStrategyKind.Learned, "Learned")]
    [InlineData(PollingStrategyKind.Fixed, "Fixed")]
    [InlineData(PollingStrategyKind.Exponential, "Exponential")]
    public void A_named_strategy_is_tagged_with_its_name(PollingStrategyKind kind, string name) =>
        Assert.Equal(name, PollingStrategy.Create(kind).TelemetryName);

    [Fact]
    public void A_strategy_of_the_callers_own_is_tagged_Custom_so_the_tag_has_few_values()
    {
        Assert.Equal("Custom", new RecordingStrategy(Interval).TelemetryName);
        Assert.Equal("Auto", PollingStrategy.Auto().TelemetryName);
        Assert.Equal("Exponential", ExponentialStrategy.Default.TelemetryName);
    }
}
