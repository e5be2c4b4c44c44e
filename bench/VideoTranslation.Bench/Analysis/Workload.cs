using System.Globalization;

namespace VideoTranslation.Bench.Analysis;

/// <summary>A distribution of job durations the strategy table is measured on, drawn by the benchmark (seeded).</summary>
/// <param name="Key">uniform, lognormal or gaussian (the strategy section), heygen (the HeyGen section): the key in results.json and in comparisons.</param>
/// <param name="Scale">Every duration (and every strategy constant of the rows) is multiplied by this: 1 in full mode.</param>
internal sealed record Workload(string Key, double Scale)
{
    public static IReadOnlyList<string> Keys { get; } = ["uniform", "lognormal", "gaussian"];

    public static IReadOnlyList<Workload> All(double scale) => Keys.Select(k => new Workload(k, scale)).ToArray();

    /// <summary>The HeyGen section's workload: HeyGen's minutes-long jobs, at <paramref name="scale"/>.</summary>
    public static Workload HeyGen(double scale) => new(HeyGenKey, scale);

    public const string HeyGenKey = "heygen";

    /// <summary>
    /// HeyGen's jobs: "Most translations complete in 5–15 min; some … take 30+ min. Hard timeout: 60 min" (HeyGen's
    /// translate skill, cited in docs/services.md). A lognormal with 5 and 15 min as its 20th and 80th percentiles:
    /// median √(5·15) = 8.66 min, σ = ln 3 / (2 · 0.8416) = 0.653; then 60 % of jobs take 5–15 min, 2.8 % more than
    /// 30 min; draws above the 60-minute hard limit (0.15 %) are drawn again (such a job is stuck, not slow).
    /// </summary>
    public const double HeyGenMedianSeconds = 519.6;

    /// <inheritdoc cref="HeyGenMedianSeconds"/>
    public const double HeyGenSigma = 0.653;

    /// <inheritdoc cref="HeyGenMedianSeconds"/>
    public const double HeyGenLimitSeconds = 3600;

    // The seed offset of a workload: its place among every workload (the strategy section's, then HeyGen's).
    private int Salt => Key == HeyGenKey ? Keys.Count : Keys.ToList().IndexOf(Key);

    /// <summary>A seed of this workload's own, from the run's.</summary>
    public int Seed(int seed) => seed + (1000 * Salt);

    /// <summary>What the tables call it.</summary>
    public string Title => Key switch
    {
        "uniform" => F($"uniform {15 * Scale:0.###}–{30 * Scale:0.###} s"),
        "lognormal" => F($"lognormal, median {2 * Scale:0.###} s, σ 1"),
        "gaussian" => F($"Gaussian, mean {3 * Scale:0.###} s, sd {1.5 * Scale:0.###} s, > 0"),
        HeyGenKey => F($"HeyGen-shaped lognormal, median {HeyGenMedianSeconds * Scale:0.###} s (8.66 min × {Scale}), σ {HeyGenSigma}, ≤ {HeyGenLimitSeconds * Scale:0.###} s"),
        _ => Key,
    };

    /// <summary>How a duration is drawn, for the report.</summary>
    public string Drawn => Unscaled + (Scale == 1 ? "" : F($"; every duration × {Scale} in this run"));

    private string Unscaled => Key switch
    {
        "uniform" => "the original server's delays: 15 + 15·u s, u uniform in [0, 1)",
        "lognormal" => "2·e^z s, z standard normal (Box–Muller): median 2 s, mean 3.30 s, p99 20.5 s",
        "gaussian" => "3 + 1.5·z s, drawn again while ≤ 0 (the normal conditioned on > 0, 2.3 % of draws redrawn): mean 3.08 s, sd 1.41 s",
        HeyGenKey => "HeyGen's 5–15 min typical, some 30+ min, 60 min hard limit (docs/services.md): 519.6·e^(0.653·z) s, drawn again while > 3600 s — median 8.66 min, mean 10.7 min, 60 % in 5–15 min, 2.8 % over 30 min",
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
            HeyGenKey => HeyGenDuration(random),
            _ => throw new InvalidOperationException($"Unknown workload '{Key}'."),
        };
        return Math.Max(0.001, seconds * Scale);
    }

    /// <summary>Durations drawn to stand for the distribution (the frontier, the loops' exact figures, the stratified jobs), sorted.</summary>
    public double[] SortedSample(int count, int seed)
    {
        var random = new Random(Seed(seed) + 2);
        double[] sample = Enumerable.Range(0, count).Select(_ => Draw(random)).ToArray();
        Array.Sort(sample);
        return sample;
    }

    private static double HeyGenDuration(Random random)
    {
        while (true)
        {
            double x = HeyGenMedianSeconds * Math.Exp(HeyGenSigma * StandardNormal(random));
            if (x <= HeyGenLimitSeconds)
            {
                return x;
            }
        }
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
