using System.Globalization;

namespace VideoTranslation.Bench.Analysis;

/// <summary>A distribution of job durations the strategy table is measured on, drawn by the benchmark (seeded).</summary>
/// <param name="Key">uniform, lognormal or gaussian: the key in results.json and in comparisons.</param>
/// <param name="Scale">Every duration (and every strategy constant of the rows) is multiplied by this: 1 in full mode.</param>
internal sealed record Workload(string Key, double Scale)
{
    public static IReadOnlyList<string> Keys { get; } = ["uniform", "lognormal", "gaussian"];

    public static IReadOnlyList<Workload> All(double scale) => Keys.Select(k => new Workload(k, scale)).ToArray();

    /// <summary>What the tables call it.</summary>
    public string Title => Key switch
    {
        "uniform" => F($"uniform {15 * Scale:0.###}–{30 * Scale:0.###} s"),
        "lognormal" => F($"lognormal, median {2 * Scale:0.###} s, σ 1"),
        "gaussian" => F($"Gaussian, mean {3 * Scale:0.###} s, sd {1.5 * Scale:0.###} s, > 0"),
        _ => Key,
    };

    /// <summary>How a duration is drawn, for the report.</summary>
    public string Drawn => Unscaled + (Scale == 1 ? "" : F($"; every duration × {Scale} in this run"));

    private string Unscaled => Key switch
    {
        "uniform" => "the original server's delays: 15 + 15·u s, u uniform in [0, 1)",
        "lognormal" => "2·e^z s, z standard normal (Box–Muller): median 2 s, mean 3.30 s, p99 20.5 s",
        "gaussian" => "3 + 1.5·z s, drawn again while ≤ 0 (the normal conditioned on > 0, 2.3 % of draws redrawn): mean 3.08 s, sd 1.41 s",
        _ => Key,
    };

    /// <summary>One duration in seconds (at <see cref="Scale"/>), never below 1 ms.</summary>
    public double Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double seconds = Key switch
        {
            "uniform" => 15 + (15 * random.NextDouble()),
            "lognormal" => 2 * Math.Exp(StandardNormal(random)),
            "gaussian" => PositiveGaussian(random, 3, 1.5),
            _ => throw new InvalidOperationException($"Unknown workload '{Key}'."),
        };
        return Math.Max(0.001, seconds * Scale);
    }

    /// <summary>Durations drawn to stand for the distribution (the frontier, the loops' exact figures, the stratified jobs), sorted.</summary>
    public double[] SortedSample(int count, int seed)
    {
        var random = new Random(seed + 2 + (1000 * Keys.ToList().IndexOf(Key)));
        double[] sample = Enumerable.Range(0, count).Select(_ => Draw(random)).ToArray();
        Array.Sort(sample);
        return sample;
    }

    private static double PositiveGaussian(Random random, double mean, double sd)
    {
        while (true)
        {
            double x = mean + (sd * StandardNormal(random));
            if (x > 0)
            {
                return x;
            }
        }
    }

    // Box–Muller, as the simulator draws its Gaussian delays.
    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
