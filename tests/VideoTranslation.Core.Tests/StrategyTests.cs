namespace VideoTranslation.Tests;

public class StrategyTests
{
    private static PollingContext Attempt(int n) => new(n, TimeSpan.Zero, null, 0);

    private static double[] DelaysMs(PollingStrategy strategy, int count) =>
        Enumerable.Range(1, count).Select(n => strategy.GetNextDelay(Attempt(n)).TotalMilliseconds).ToArray();

    [Fact]
    public void Fixed_returns_the_same_interval_every_time()
    {
        Assert.Equal([250, 250, 250, 250], DelaysMs(PollingStrategy.Fixed(TimeSpan.FromMilliseconds(250)), 4));
    }

    [Fact]
    public void Exponential_without_jitter_grows_by_the_factor_and_stops_at_the_cap()
    {
        var strategy = PollingStrategy.Exponential(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));
        Assert.Equal([1000, 2000, 4000, 8000, 10000, 10000], DelaysMs(strategy, 6));
    }

    [Fact]
    public void Exponential_with_fractional_factor_follows_the_formula()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromMilliseconds(100), 1.5, TimeSpan.FromSeconds(1));
        Assert.Equal([100, 150, 225, 337.5, 506.25, 759.375, 1000], DelaysMs(strategy, 7));
    }

    [Fact]
    public void Exponential_factor_one_is_a_fixed_interval()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(2), 1, TimeSpan.FromSeconds(2));
        Assert.Equal([2000, 2000, 2000], DelaysMs(strategy, 3));
    }

    [Fact]
    public void Exponential_does_not_overflow_after_very_many_attempts()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(1), 100, TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), strategy.GetDelay(int.MaxValue));
    }

    [Fact]
    public void Jitter_only_shortens_each_delay_and_never_by_more_than_the_fraction()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(8), jitter: 0.25, random: new Random(7));
        for (int round = 0; round < 200; round++)
        {
            for (int attempt = 1; attempt <= 6; attempt++)
            {
                double full = Math.Min(1000 * Math.Pow(2, attempt - 1), 8000);
                double ms = strategy.GetDelay(attempt).TotalMilliseconds;
                Assert.InRange(ms, full * 0.75, full);
            }
        }
    }

    [Fact]
    public void Jitter_actually_varies_the_delays()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(8), jitter: 0.5, random: new Random(1));
        var delays = Enumerable.Range(0, 50).Select(_ => strategy.GetDelay(3)).Distinct().Count();
        Assert.True(delays > 40, $"only {delays} distinct delays out of 50");
    }

    [Fact]
    public void Jitter_with_the_same_seed_gives_the_same_delays()
    {
        ExponentialStrategy Make() => new(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30), 0.3, new Random(42));
        Assert.Equal(DelaysMs(Make(), 8), DelaysMs(Make(), 8));
    }

    [Fact]
    public void Jitter_uses_the_injected_random_source()
    {
        // Random whose NextDouble is always 1-epsilon: the delay is shortened by (almost) the whole jitter fraction.
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(8), 0.5, new MaxRandom());
        Assert.Equal(500, strategy.GetDelay(1).TotalMilliseconds, precision: 3);
        Assert.Equal(1000, strategy.GetDelay(2).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void One_strategy_is_safe_to_share_between_threads()
    {
        var strategy = new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(8), 0.5);
        var all = new System.Collections.Concurrent.ConcurrentBag<double>();
        Parallel.For(0, 20_000, i => all.Add(strategy.GetDelay((i % 4) + 1).TotalMilliseconds));

        // An unsynchronised System.Random corrupts and then returns 0 forever; a delay of exactly 0 would show it.
        Assert.DoesNotContain(all, ms => ms <= 0);
        Assert.True(all.Distinct().Count() > 1000);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Fixed_rejects_a_non_positive_interval(int ms)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PollingStrategy.Fixed(TimeSpan.FromMilliseconds(ms)));
        Assert.Equal("Interval", ex.ParamName);
        Assert.Contains("Interval must be greater than zero", ex.Message);
        Assert.Contains($"it was {ms} ms", ex.Message);
    }

    [Fact]
    public void Fixed_rejects_an_interval_longer_than_a_day()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FixedStrategy(TimeSpan.FromDays(2)));
        Assert.Contains("at most 1.00:00:00; it was 2.00:00:00", ex.Message);
    }

    public static TheoryData<Func<ExponentialStrategy>, string, string> BadExponentials => new()
    {
        { () => new ExponentialStrategy(TimeSpan.Zero, 2, TimeSpan.FromSeconds(1)), "InitialInterval", "it was 0 ms" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(-1), 2, TimeSpan.FromSeconds(1)), "InitialInterval", "it was -1 s" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), 0.5, TimeSpan.FromSeconds(10)), "Factor", "between 1 and 100; it was 0.5" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), double.NaN, TimeSpan.FromSeconds(10)), "Factor", "it was NaN" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), double.PositiveInfinity, TimeSpan.FromSeconds(10)), "Factor", "it was Infinity" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(1)), "maxInterval", "MaxInterval must be at least InitialInterval (5 s); it was 1 s" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero), "MaxInterval", "it was 0 ms" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(5), -0.1), "Jitter", "between 0 and 1; it was -0.1" },
        { () => new ExponentialStrategy(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(5), 1.5), "Jitter", "between 0 and 1; it was 1.5" },
    };

    [Theory]
    [MemberData(nameof(BadExponentials))]
    public void Exponential_rejects_bad_settings_naming_the_setting_and_value(Func<ExponentialStrategy> make, string param, string text)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(param, ex.ParamName);
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void Strategies_describe_themselves()
    {
        Assert.Equal("Fixed(250 ms)", PollingStrategy.Fixed(TimeSpan.FromMilliseconds(250)).ToString());
        Assert.Equal("Exponential(1 s ×2 ≤ 10 s, jitter 0.1)", PollingStrategy.Exponential(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10), 0.1).ToString());
    }

    private sealed class MaxRandom : Random
    {
        public override double NextDouble() => 1 - 1e-12;
    }
}
