namespace VideoTranslation.Bench;

/// <summary>
/// The polling of HeyGen's official CLI's <c>--wait</c> (heygen-com/heygen-cli; docs/services.md, "Waiting that fits
/// the service"): the first check at once, then delays of 2 s × 2ⁿ capped at 30 s, each with ±25 % jitter, every
/// time multiplied by the benchmark's time scale. It reads no hint (the CLI reads none on a pending answer).
/// </summary>
internal sealed class CliWaitStrategy : PollingStrategy
{
    public const double InitialSeconds = 2;
    public const double CapSeconds = 30;
    public const double Jitter = 0.25;

    private readonly double _scale;
    private readonly Random _random;
    private readonly object _lock = new();

    public CliWaitStrategy(double scale, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        _scale = scale;
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>
    /// The delay after the <paramref name="checks"/>-th check (1 for the first), in seconds at <paramref name="scale"/>,
    /// for a uniform draw <paramref name="u"/> in [0, 1): min(2 · 2^(checks − 1), 30) · (1 + 0.25 · (2u − 1)).
    /// </summary>
    public static double DelaySeconds(int checks, double u, double scale)
    {
        double unjittered = Math.Min(InitialSeconds * Math.Pow(2, Math.Max(0, checks - 1)), CapSeconds);
        return unjittered * (1 + (Jitter * ((2 * u) - 1))) * scale;
    }

    public override TimeSpan GetNextDelay(PollingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        double u;
        lock (_lock)
        {
            u = _random.NextDouble();
        }

        return TimeSpan.FromSeconds(DelaySeconds(context.Attempt, u, _scale));
    }

    public override string ToString() => FormattableString.Invariant($"CliWait({InitialSeconds * _scale:0.###} s ×2 ≤ {CapSeconds * _scale:0.###} s, ±{Jitter:P0})");
}
