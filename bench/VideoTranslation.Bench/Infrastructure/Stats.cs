namespace VideoTranslation.Bench.Infrastructure;

/// <summary>Count, mean, percentiles and extremes of a sample: the one place numbers are summarised.</summary>
public sealed record Stats(int Count, double Mean, double P50, double P99, double Min, double Max)
{
    public static Stats Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The 95th percentile (the HeyGen table's), or NaN when the sample was not kept (<see cref="Of"/> keeps it).</summary>
    public double P95 { get; init; } = double.NaN;

    public static Stats Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return Empty;
        }

        Array.Sort(sorted);
        return new Stats(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 99), sorted[0], sorted[^1]) { P95 = Percentile(sorted, 95) };
    }

    public static double Median(IEnumerable<double> values) => Of(values).P50;

    /// <summary>Linear interpolation between the closest ranks (numpy's default), on an ascending array.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double rank = percent / 100 * (sorted.Length - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
