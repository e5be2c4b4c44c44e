using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Models;

/// <summary>A <see cref="Random"/> that many request threads can share; one lock keeps its sequence intact.</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public T Draw<T>(Func<Random, T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        lock (_gate)
        {
            return draw(_random);
        }
    }

    public double NextDouble() => Draw(static r => r.NextDouble());
}

/// <summary>
/// The random streams of one run. Jobs, faults and hint noise each have their own stream, so that turning
/// faults on does not change which delays and outcomes the jobs draw.
/// </summary>
internal sealed class SimulatorRandom
{
    public SimulatorRandom(IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SeedWasGiven = options.Value.Seed.HasValue;
        Seed = options.Value.Seed ?? Random.Shared.Next();
        Jobs = new SeededRandom(Seed);
        Faults = new SeededRandom(unchecked((Seed * 31) + 1));
        Hints = new SeededRandom(unchecked((Seed * 31) + 2));
    }

    public int Seed { get; }

    public bool SeedWasGiven { get; }

    public SeededRandom Jobs { get; }

    public SeededRandom Faults { get; }

    public SeededRandom Hints { get; }
}
