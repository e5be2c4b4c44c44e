using System.Net;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class LoggingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    // The level each event is documented at (TranslationLogEvents, TranslationClientOptions.Logger).
    private static readonly Dictionary<int, LogLevel> DocumentedLevels = new()
    {
        [TranslationLogEvents.StatusChecked.Id] = LogLevel.Debug,
        [TranslationLogEvents.StateChanged.Id] = LogLevel.Information,
        [TranslationLogEvents.RetryingAfterFailure.Id] = LogLevel.Warning,
        [TranslationLogEvents.WaitFinished.Id] = LogLevel.Information,
        [TranslationLogEvents.WaitTimedOut.Id] = LogLevel.Warning,
        [TranslationLogEvents.PermanentFailure.Id] = LogLevel.Warning,
        [TranslationLogEvents.NextCheckScheduled.Id] = LogLevel.Trace,
        [TranslationLogEvents.StatusAnswered.Id] = LogLevel.Information,
        [TranslationLogEvents.CreateRetrying.Id] = LogLevel.Warning,
        [TranslationLogEvents.BatchLimitedByDescriptors.Id] = LogLevel.Warning,
    };

    [Fact]
    public async Task Each_answered_check_is_logged_at_Debug_as_StatusChecked()
    {
        // Arrange: checks at 0, 3, 6, 9 s; completed from 9 s.
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9));

        // Act
        await h.Wait(FixedOptions(), "job-1", runFor: TimeSpan.FromMinutes(1));

        // Assert
        var checks = Events(logger, TranslationLogEvents.StatusChecked);
        Assert.Equal(4, checks.Length);
        Assert.All(checks, r => Assert.Equal(LogLevel.Debug, r.Level));
        Assert.Equal(new[] { "1", "2", "3", "4" }, checks.Select(r => r.GetStructuredStateValue("Attempt")));
        Assert.Equal(new[] { "Pending", "Pending", "Pending", "Completed" }, checks.Select(r => r.GetStructuredStateValue("State")));
        Assert.All(checks, r => Assert.Equal("job-1", r.GetStructuredStateValue("Job")));
    }

    [Fact]
    public async Task Each_state_change_is_logged_at_Information_as_StateChanged()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9), "error");

        // Act
        await h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert
        var changes = Events(logger, TranslationLogEvents.StateChanged);
        Assert.Equal(2, changes.Length);
        Assert.All(changes, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Equal(new[] { "Pending", "Error" }, changes.Select(r => r.GetStructuredStateValue("State")));
        Assert.Equal("Pending", changes[1].GetStructuredStateValue("PreviousState"));
    }

    [Fact]
    public async Task Transient_failure_is_logged_at_Warning_as_RetryingAfterFailure()
    {
        // Arrange: 503, then pending, then completed.
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.Sequence(
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => FakeServer.Status("pending"),
            () => FakeServer.Status("completed"));

        // Act
        await h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert
        var retry = Assert.Single(Events(logger, TranslationLogEvents.RetryingAfterFailure));
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.Equal("1", retry.GetStructuredStateValue("Attempt"));
        Assert.Equal("1", retry.GetStructuredStateValue("Retry")); // HTTP errors: retry 1, until the deadline
        Assert.Contains("503", retry.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "2", "3" }, Events(logger, TranslationLogEvents.StatusChecked).Select(r => r.GetStructuredStateValue("Attempt")));
    }

    [Fact]
    public async Task Completion_is_logged_at_Information_as_WaitFinished()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(6));

        // Act
        await h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert
        var finished = Assert.Single(Events(logger, TranslationLogEvents.WaitFinished));
        Assert.Equal(LogLevel.Information, finished.Level);
        Assert.Equal("Completed", finished.GetStructuredStateValue("State"));
        Assert.Equal("3", finished.GetStructuredStateValue("Attempts"));
        Assert.Same(finished, logger.Collector.LatestRecord);
    }

    [Fact]
    public async Task Timeout_is_logged_at_Warning_as_WaitTimedOut()
    {
        // Arrange: pending forever; checks at 0, 3, 6, 9 and at the 10 s deadline.
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        var options = FixedOptions();
        options.MaxWait = TimeSpan.FromSeconds(10);

        // Act
        var wait = h.Wait(options, runFor: TimeSpan.FromMinutes(1));

        // Assert
        await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait);
        var timedOut = Assert.Single(Events(logger, TranslationLogEvents.WaitTimedOut));
        Assert.Equal(LogLevel.Warning, timedOut.Level);
        Assert.Equal("5", timedOut.GetStructuredStateValue("Attempts"));
        Assert.Empty(Events(logger, TranslationLogEvents.WaitFinished));
    }

    [Fact]
    public async Task Permanent_failure_is_logged_at_Warning_as_PermanentFailure()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.Sequence(() => FakeServer.Json("""{"error":"no such job"}""", HttpStatusCode.NotFound));

        // Act
        var wait = h.Wait(FixedOptions(), "gone", runFor: TimeSpan.FromMinutes(1));

        // Assert
        await Assert.ThrowsAsync<TranslationHttpException>(() => wait);
        var failure = Assert.Single(Events(logger, TranslationLogEvents.PermanentFailure));
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Equal("gone", failure.GetStructuredStateValue("Job"));
        Assert.Contains("404", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Events(logger, TranslationLogEvents.RetryingAfterFailure));
    }

    [Fact]
    public async Task Clean_run_logs_nothing_at_Warning_or_above()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(9));

        // Act
        await h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert: the run did log (so the logger is wired), just nothing alarming.
        var records = logger.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Level == LogLevel.Information);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Clean_run_logs_its_events_in_order()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger);
        h.Server.JobFinishingAt(TestClock.T0.AddSeconds(6));

        // Act
        await h.Wait(FixedOptions(), runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(
            new[]
            {
                TranslationLogEvents.StatusChecked, TranslationLogEvents.StateChanged, TranslationLogEvents.NextCheckScheduled,
                TranslationLogEvents.StatusChecked, TranslationLogEvents.NextCheckScheduled,
                TranslationLogEvents.StatusChecked, TranslationLogEvents.StateChanged, TranslationLogEvents.WaitFinished,
            }.Select(e => e.Id),
            logger.Collector.GetSnapshot().Select(r => r.Id.Id));
    }

    [Fact]
    public async Task Logged_event_ids_match_TranslationLogEvents_by_id_name_and_level()
    {
        // Arrange: one logger for runs that between them produce every event.
        var logger = new FakeLogger();
        using var clean = new Harness(o => o.Logger = logger);
        clean.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));
        using var flaky = new Harness(o => o.Logger = logger);
        flaky.Server.Sequence(() => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable), () => FakeServer.Status("completed"));
        using var stuck = new Harness(o => o.Logger = logger);
        using var missing = new Harness(o => o.Logger = logger);
        missing.Server.Sequence(() => FakeServer.Json("nope", HttpStatusCode.NotFound));
        var declared = typeof(TranslationLogEvents)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EventId))
            .ToDictionary(f => f.Name, f => (EventId)f.GetValue(null)!);

        // Act
        await RunToEnd(clean, FixedOptions());
        await RunToEnd(flaky, FixedOptions());
        await RunToEnd(stuck, new TranslationWaitOptions { Strategy = PollingStrategy.Fixed(Interval), MaxWait = TimeSpan.FromSeconds(5) });
        await RunToEnd(missing, FixedOptions());
        using var single = new Harness(o => o.Logger = logger);
        single.Server.Sequence(() => FakeServer.Status("completed"));
        await single.Client.GetStatusAsync("j1");
        using var creating = new Harness(o => o.Logger = logger);
        creating.Server.Sequence(() => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable), () => FakeServer.Json("""{"id":"c1"}""", HttpStatusCode.Created));
        var create = creating.Client.CreateJobAsync();
        creating.Clock.RunUntilDone(create);
        await create;

        using var limited = new Harness(o => o.Logger = logger);
        limited.Client.DescriptorHeadroom = () => (10, 256, 118); // a batch of 64 + 1024 requests would need more
        limited.Server.Sequence(() => FakeServer.Status("completed"));
        await limited.WaitAll(["l1"], FixedOptions());

        // Assert: the declared ids are distinct and named after their fields...
        Assert.Equal(10, declared.Count);
        Assert.Equal(declared.Count, declared.Values.Select(e => e.Id).Distinct().Count());
        Assert.All(declared, d => Assert.Equal(d.Key, d.Value.Name));

        // ...every logged event is a declared one, with the same id and name, at its documented level...
        var records = logger.Collector.GetSnapshot();
        Assert.All(records, r =>
        {
            var match = Assert.Single(declared.Values, e => e.Id == r.Id.Id);
            Assert.Equal(match.Name, r.Id.Name);
            Assert.Equal(DocumentedLevels[match.Id], r.Level);
        });

        // ...and every declared event was actually logged.
        Assert.Equal(
            declared.Values.Select(e => e.Id).Order(),
            records.Select(r => r.Id.Id).Distinct().Order());
    }

    // Runs a wait to its end, whatever the end is; the log is what the caller looks at.
    private static async Task RunToEnd(Harness h, TranslationWaitOptions options) =>
        await Task.WhenAny(h.Wait(options, runFor: TimeSpan.FromMinutes(1)));

    private static FakeLogRecord[] Events(FakeLogger logger, EventId id) =>
        logger.Collector.GetSnapshot().Where(r => r.Id.Id == id.Id).ToArray();

    private static TranslationWaitOptions FixedOptions() => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        RetryBackoff = new RetryBackoff(Interval, 1, Interval),
        MaxWait = TimeSpan.FromMinutes(5),
    };
}
