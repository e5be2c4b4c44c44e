using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Models;

namespace VideoTranslation.Simulator.Faults;

/// <summary>The fault injected into one request; at most one per request.</summary>
internal enum FaultKind
{
    None,
    InternalError,
    ServiceUnavailable,
    TooManyRequests,
    Slow,
    MalformedBody,
    UnknownResult,
    DropConnection,

    /// <summary>Not drawn: answered while the "unavailable for N seconds" window is open.</summary>
    Unavailable,

    /// <summary>A create answered SlowSeconds late (drawn by <see cref="FaultInjector.DrawCreate"/>).</summary>
    SlowCreate,

    /// <summary>A create handled, then its connection dropped without an answer (drawn by <see cref="FaultInjector.DrawCreate"/>).</summary>
    DropAfterCreate,
}

/// <summary>
/// Decides per request which fault, if any, to inject, and keeps the "unavailable until" window. Settings
/// can be replaced at run time (PUT /admin/faults); each replacement is one atomic swap.
/// </summary>
internal sealed class FaultInjector
{
    private static readonly FaultKind[] Kinds = Enum.GetValues<FaultKind>();

    private readonly TimeProvider _time;
    private readonly SeededRandom _random;
    private readonly long[] _injected = new long[Kinds.Length];
    private volatile State _state;

    public FaultInjector(IOptions<SimulatorOptions> options, TimeProvider time, SimulatorRandom random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        _time = time;
        _random = random.Faults;
        _state = new State(options.Value.Faults, null);
    }

    public FaultOptions Settings => _state.Settings;

    /// <summary>Until when job and status routes answer 503; null when no window is open or set.</summary>
    public DateTimeOffset? UnavailableUntil => _state.UnavailableUntil;

    /// <summary>Replaces the settings; a positive UnavailableForSeconds opens a window from now.</summary>
    public void Apply(FaultOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        DateTimeOffset? until = settings.UnavailableForSeconds > 0
            ? _time.GetUtcNow() + TimeSpan.FromSeconds(settings.UnavailableForSeconds)
            : null;
        _state = new State(settings, until);
    }

    /// <summary>Opens the start-up window of the configured settings; called as the server starts.</summary>
    public void Start() => Apply(_state.Settings);

    /// <summary>How long the server still plays unavailable; zero or less when it does not.</summary>
    public TimeSpan UnavailableFor(DateTimeOffset now) =>
        _state.UnavailableUntil is { } until ? until - now : TimeSpan.Zero;

    public FaultKind Draw()
    {
        var settings = _state.Settings;
        Span<double> probabilities =
        [
            settings.InternalErrorProbability,
            settings.ServiceUnavailableProbability,
            settings.TooManyRequestsProbability,
            settings.SlowProbability,
            settings.MalformedBodyProbability,
            settings.UnknownResultProbability,
            settings.DropConnectionProbability,
        ];
        var total = 0.0;
        foreach (var p in probabilities)
        {
            total += p;
        }

        if (total <= 0)
        {
            return FaultKind.None; // no draw, so a fault-free run does not use the fault stream at all
        }

        var roll = _random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (roll < cumulative)
            {
                return Count(Kinds[i + 1]);
            }
        }

        return FaultKind.None;
    }

    /// <summary>The fault of one create request: None, SlowCreate or DropAfterCreate; from the same stream as <see cref="Draw"/>.</summary>
    public FaultKind DrawCreate()
    {
        var settings = _state.Settings;
        var slow = settings.SlowCreateProbability;
        var drop = settings.DropAfterCreateProbability;
        if (slow + drop <= 0)
        {
            return FaultKind.None;
        }

        var roll = _random.NextDouble();
        return roll < slow ? Count(FaultKind.SlowCreate)
            : roll < slow + drop ? Count(FaultKind.DropAfterCreate)
            : FaultKind.None;
    }

    /// <summary>Counts a fault the caller injects without a draw (the unavailable window).</summary>
    public FaultKind Count(FaultKind kind)
    {
        Interlocked.Increment(ref _injected[(int)kind]);
        return kind;
    }

    /// <summary>How many faults of each kind were injected since start.</summary>
    public IReadOnlyDictionary<FaultKind, long> Injected =>
        Kinds.Where(k => k != FaultKind.None).ToDictionary(k => k, k => Interlocked.Read(ref _injected[(int)k]));

    private sealed record State(FaultOptions Settings, DateTimeOffset? UnavailableUntil);
}
