using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;
using VideoTranslation.Simulator.Models;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>The delay and error models' distributions, sampled directly many times with a fixed seed.</summary>
public sealed class ModelTests
{
    private const int N = 20_000;

    private static double[] Delays(DelayOptions options, int seed = 1)
    {
        var model = DelayModel.From(options);
        var random = new Random(seed);
        return Enumerable.Range(0, N).Select(_ => model.SampleSeconds(random)).ToArray();
    }

    private static double[] Probabilities(ErrorOptions options, int seed = 1)
    {
        var model = ErrorModel.From(options);
        var random = new Random(seed);
        return Enumerable.Range(0, N).Select(_ => model.SampleProbability(random)).ToArray();
    }

    private static (double Mean, double StdDev) Moments(double[] samples)
    {
        var mean = samples.Average();
        return (mean, Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Length - 1)));
    }

    [Fact]
    public void Fixed_delay_is_always_the_value()
    {
        Assert.All(Delays(new DelayOptions { Model = "fixed", Seconds = 0.05 }), d => Assert.Equal(0.05, d));
    }

    [Fact]
    public void Default_delay_is_uniform_between_15_and_30_seconds()
    {
        var samples = Delays(new DelayOptions());
        Assert.All(samples, d => Assert.InRange(d, 15, 30));
        var (mean, sd) = Moments(samples);

        // Uniform(15, 30): mean 22.5, standard deviation 15 / sqrt(12) = 4.33; the standard error of the mean is 0.03.
        Assert.InRange(mean, 22.35, 22.65);
        Assert.InRange(sd, 4.2, 4.46);
        Assert.InRange(samples.Count(d => d < 18.75) / (double)N, 0.23, 0.27); // the first quarter of the range
    }

    [Fact]
    public void Gaussian_delay_has_its_mean_and_standard_deviation()
    {
        var samples = Delays(new DelayOptions { Model = "gaussian", Mean = 10, StdDev = 2 });
        var (mean, sd) = Moments(samples);
        Assert.InRange(mean, 9.95, 10.05);
        Assert.InRange(sd, 1.95, 2.05);
        Assert.InRange(samples.Count(d => Math.Abs(d - 10) < 2) / (double)N, 0.66, 0.70); // 68.3% within one sigma
    }

    [Fact]
    public void Gaussian_delay_is_clamped_at_zero()
    {
        var samples = Delays(new DelayOptions { Model = "gaussian", Mean = 0.5, StdDev = 1 });
        Assert.All(samples, d => Assert.True(d >= 0));
        Assert.InRange(samples.Count(d => d == 0) / (double)N, 0.29, 0.33); // P(Z < -0.5) = 0.3085
    }

    [Fact]
    public void Fixed_error_probability_is_always_the_value()
    {
        Assert.All(Probabilities(new ErrorOptions { Model = "fixed", Probability = 0.3 }), p => Assert.Equal(0.3, p));
    }

    [Fact]
    public void Uniform_error_probability_stays_in_its_range()
    {
        var samples = Probabilities(new ErrorOptions { Model = "uniform", Min = 0.2, Max = 0.4 });
        Assert.All(samples, p => Assert.InRange(p, 0.2, 0.4));
        Assert.InRange(samples.Average(), 0.298, 0.302);
    }

    [Fact]
    public void Gaussian_error_probability_is_clamped_to_the_unit_interval()
    {
        var samples = Probabilities(new ErrorOptions { Model = "gaussian", Mean = 0.9, StdDev = 0.2 });
        Assert.All(samples, p => Assert.InRange(p, 0, 1));
        Assert.InRange(samples.Count(p => p == 1) / (double)N, 0.29, 0.33); // P(Z > 0.5) = 0.3085

        var low = Probabilities(new ErrorOptions { Model = "gaussian", Mean = 0.1, StdDev = 0.2 });
        Assert.InRange(low.Count(p => p == 0) / (double)N, 0.29, 0.33);
    }

    [Fact]
    public void Model_names_are_case_insensitive()
    {
        Assert.IsType<GaussianDistribution>(DelayModel.From(new DelayOptions { Model = "Gaussian" }).Distribution);
        Assert.IsType<UniformDistribution>(ErrorModel.From(new ErrorOptions { Model = "UNIFORM" }).Distribution);
    }

    [Fact]
    public void Outcomes_fail_with_the_drawn_probability()
    {
        var planner = Planner(new ErrorOptions { Model = "fixed", Probability = 0.3 }, seed: 5);
        var errors = Enumerable.Range(0, N).Count(_ => planner.Plan().Outcome == JobResult.Error);
        Assert.InRange(errors / (double)N, 0.29, 0.31); // standard error 0.0032
    }

    [Fact]
    public void The_same_seed_gives_the_same_jobs_and_another_seed_other_jobs()
    {
        var options = new ErrorOptions { Model = "uniform", Min = 0, Max = 1 };
        var a = Planner(options, 9);
        var first = Enumerable.Range(0, 100).Select(_ => a.Plan()).ToList();
        var b = Planner(options, 9);
        var second = Enumerable.Range(0, 100).Select(_ => b.Plan()).ToList();
        var c = Planner(options, 10);
        var other = Enumerable.Range(0, 100).Select(_ => c.Plan()).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first.Select(p => p.DelaySeconds), other.Select(p => p.DelaySeconds));
    }

    [Fact]
    public void An_overridden_job_does_not_shift_the_draws_of_the_jobs_after_it()
    {
        var options = new ErrorOptions { Model = "uniform", Min = 0, Max = 1 };
        var plain = Planner(options, 11);
        var overridden = Planner(options, 11);

        plain.Plan();
        var first = overridden.Plan(new JobOverrides(0.01, JobResult.Error));
        Assert.Equal(0.01, first.DelaySeconds);
        Assert.Equal(JobResult.Error, first.Outcome);
        Assert.Null(first.ErrorProbability);
        Assert.Equal(plain.Plan(), overridden.Plan());
    }

    [Fact]
    public async Task A_seeded_server_draws_the_same_jobs_every_run()
    {
        async Task<List<double>> DrawAsync(int seed)
        {
            await using var sim = SimulatorFactory.WithFakeTime($"Seed={seed}", "Error:Model=uniform", "Error:Max=1");
            using var client = sim.CreateClient();
            var delays = new List<double> { (await HttpAssert.JobAsync(client, "default")).GetProperty("delaySeconds").GetDouble() };
            for (var i = 0; i < 5; i++)
            {
                var job = await HttpAssert.JobAsync(client, await HttpAssert.CreateJobAsync(client));
                delays.Add(job.GetProperty("delaySeconds").GetDouble());
                delays.Add(job.GetProperty("errorProbability").GetDouble());
            }

            return delays;
        }

        var first = await DrawAsync(1234);
        Assert.Equal(first, await DrawAsync(1234));
        Assert.NotEqual(first, await DrawAsync(4321));
    }

    private static JobPlanner Planner(ErrorOptions error, int seed) =>
        new(DelayModel.From(new DelayOptions()), ErrorModel.From(error), new SeededRandom(seed));
}
