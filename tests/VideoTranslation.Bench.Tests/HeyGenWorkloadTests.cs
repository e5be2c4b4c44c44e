using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Tests;

/// <summary>The HeyGen section's pure parts: the workload fitted to HeyGen's figures, the scaling, the CLI's delays.</summary>
public sealed class HeyGenWorkloadTests
{
    [Fact]
    public void The_workload_has_HeyGens_shape_5_to_15_minutes_mostly_some_over_30_none_over_60()
    {
        // Unscaled: seconds as HeyGen's jobs take them.
        double[] minutes = Workload.HeyGen(1).SortedSample(200_000, 20261125).Select(s => s / 60).ToArray();

        double Share(Func<double, bool> p) => minutes.Count(p) / (double)minutes.Length;
        Assert.InRange(minutes[minutes.Length / 2], 8.5, 8.85);                 // median √(5·15) = 8.66 min
        Assert.InRange(Share(m => m is >= 5 and <= 15), 0.59, 0.61);           // 5 and 15 min are the 20th and 80th percentiles
        Assert.InRange(Share(m => m > 30), 0.025, 0.031);                     // "some take 30+ min": 2.8 %
        Assert.True(minutes[^1] <= 60, $"a job of {minutes[^1]:0.0} min: past HeyGen's 60-minute hard limit");
        Assert.InRange(minutes.Average(), 10.4, 10.9);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.001)]
    public void Scaling_multiplies_every_duration_of_the_workload(double scale)
    {
        double[] real = Workload.HeyGen(1).SortedSample(1_000, 7);
        double[] scaled = Workload.HeyGen(scale).SortedSample(1_000, 7);

        Assert.All(real.Zip(scaled), p => Assert.Equal(p.First * scale, p.Second, precision: 9));
    }

    [Fact]
    public void The_HeyGen_rows_take_the_cores_HeyGen_polling_with_every_time_scaled()
    {
        PollingStrategyOptions real = TranslationService.HeyGen.CreatePollingOptions();
        PollingStrategyOptions scaled = CoreUse.HeyGenPolling(0.01);

        Assert.Equal(TimeSpan.FromSeconds(30), real.Interval);
        Assert.Equal(TimeSpan.FromSeconds(0.3), scaled.Interval);
        Assert.Equal(TimeSpan.FromSeconds(0.6), scaled.MaxInterval);
        Assert.Equal(real.MaxHold * 0.01, scaled.MaxHold);
        Assert.Equal(real.Factor, scaled.Factor);
        Assert.Equal(real.Jitter, scaled.Jitter);
    }

    [Theory]
    [InlineData(1, 0.5, 2)]
    [InlineData(2, 0.5, 4)]
    [InlineData(4, 0.5, 16)]
    [InlineData(5, 0.5, 30)]
    [InlineData(20, 0.5, 30)]
    [InlineData(1, 0, 1.5)]
    [InlineData(5, 1, 37.5)]
    public void The_CLIs_wait_is_2_s_doubling_to_30_s_with_25_percent_jitter(int checks, double u, double seconds)
    {
        Assert.Equal(seconds, CliWaitStrategy.DelaySeconds(checks, u, 1), precision: 9);
        Assert.Equal(seconds * 0.01, CliWaitStrategy.DelaySeconds(checks, u, 0.01), precision: 9);
    }

    [Fact]
    public void The_section_runs_against_the_HeyGen_simulator_with_its_concurrency_limit_out_of_the_way()
    {
        string[] args = HeyGenBenchmark.Server(1).ToArguments().ToArray();

        Assert.Contains("--service", args);
        Assert.Equal("HeyGen", args[Array.IndexOf(args, "--service") + 1]);
        Assert.Equal("1000000", args[Array.IndexOf(args, "--concurrency-limit") + 1]);
        Assert.Equal("false", args[Array.IndexOf(args, "--hints") + 1]);
        Assert.Equal("false", args[Array.IndexOf(args, "--long-poll") + 1]);
    }
}
