using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Models;

/// <summary>A distribution of real numbers that a model draws from.</summary>
internal abstract record Distribution
{
    public abstract double Sample(Random random);

    /// <summary>Builds the distribution named by <paramref name="model"/> (fixed, uniform or gaussian).</summary>
    public static Distribution Create(string model, double value, double min, double max, double mean, double stdDev)
    {
        if (SimulatorOptionsValidator.IsModel(model, "fixed"))
        {
            return new FixedDistribution(value);
        }

        if (SimulatorOptionsValidator.IsModel(model, "uniform"))
        {
            return new UniformDistribution(min, max);
        }

        if (SimulatorOptionsValidator.IsModel(model, "gaussian"))
        {
            return new GaussianDistribution(mean, stdDev);
        }

        throw new ArgumentException($"Unknown model '{model}'.", nameof(model));
    }
}

internal sealed record FixedDistribution(double Value) : Distribution
{
    public override double Sample(Random random) => Value;
}

internal sealed record UniformDistribution(double Min, double Max) : Distribution
{
    public override double Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Min + ((Max - Min) * random.NextDouble());
    }
}

internal sealed record GaussianDistribution(double Mean, double StdDev) : Distribution
{
    public override double Sample(Random random) => Mean + (StdDev * StandardNormal(random));

    /// <summary>Box-Muller: one standard normal draw from two uniform draws.</summary>
    public static double StandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble(); // in (0, 1], so the logarithm is finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>A job's delay in seconds: the distribution clamped at 0.</summary>
internal sealed class DelayModel(Distribution distribution)
{
    public Distribution Distribution { get; } = distribution;

    public static DelayModel From(DelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Distribution.Create(options.Model, options.Seconds, options.Min, options.Max, options.Mean, options.StdDev));
    }

    public double SampleSeconds(Random random) => Math.Max(0, Distribution.Sample(random));
}

/// <summary>A job's error probability: the distribution clamped to [0, 1].</summary>
internal sealed class ErrorModel(Distribution distribution)
{
    public Distribution Distribution { get; } = distribution;

    public static ErrorModel From(ErrorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Distribution.Create(options.Model, options.Probability, options.Min, options.Max, options.Mean, options.StdDev));
    }

    public double SampleProbability(Random random) => Math.Clamp(Distribution.Sample(random), 0, 1);
}
