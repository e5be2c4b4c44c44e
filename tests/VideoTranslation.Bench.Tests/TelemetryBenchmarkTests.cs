using VideoTranslation.Bench.Reporting;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Tests;

/// <summary>
/// The telemetry section (<c>--only telemetry</c>) on a few waits, so that its code cannot rot: it asserts what its
/// method needs (every wait ran on the measuring thread, the listeners received one span per wait and check and the
/// instruments' measurements) and never a byte figure, which docs/benchmarks.md reports.
/// </summary>
[Collection(InProcessWaits.Name)]
public sealed class TelemetryBenchmarkTests
{
    [Fact]
    public async Task The_telemetry_section_measures_each_listener_setting_on_waits_that_ran_on_its_thread()
    {
        BenchSettings settings = BenchSettings.For(BenchMode.Quick, Path.GetTempPath()) with { TelemetryWaits = 20, TelemetryRounds = 1 };

        TelemetrySection section = await TelemetryBenchmark.RunAsync(settings, TextWriter.Null, CancellationToken.None);

        Assert.True(section.Synchronous, section.Counter);
        Assert.Equal([TelemetryBenchmark.Nobody, TelemetryBenchmark.Others, TelemetryBenchmark.Everything], section.Rows.Select(r => r.Listeners));
        Assert.All(section.Rows, r => Assert.True(r.BytesPerCheck > 0 && r.BytesPerLongWait > r.BytesPerShortWait, $"{r}"));
        TelemetryRow others = section.Rows[1], everything = section.Rows[2];
        Assert.Equal(0, others.SpansPerLongWait);
        Assert.Equal(0, others.MeasurementsPerLongWait);

        // A wait span and a check span per check; waits in flight up and down, duration, checks, lateness.
        Assert.Equal(1 + section.LongChecks, everything.SpansPerLongWait);
        Assert.Equal(5, everything.MeasurementsPerLongWait);
        Assert.Contains("### Telemetry", TelemetryReport.Table(section), StringComparison.Ordinal);
    }
}

/// <summary>Tests whose waits run in this process and whose listeners would hear each other's: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class InProcessWaits
{
    public const string Name = "in-process waits";
}
