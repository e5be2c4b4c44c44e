namespace VideoTranslation;

/// <summary>The named strategies of <see cref="PollingStrategy.Create"/> (and of <c>Wait-TranslationJob -Strategy</c>).</summary>
public enum PollingStrategyKind
{
    /// <summary>Long-poll when the server offers it, else hints, else learned durations, else exponential (<see cref="PollingStrategy.Auto"/>).</summary>
    Auto,

    /// <summary>Ask the server to hold each check until the job ends; else hints, else exponential (<see cref="LongPollStrategy"/>).</summary>
    LongPoll,

    /// <summary>Sleep to the end the server's hints predict, once they prove consistent; else exponential (<see cref="AdaptiveStrategy"/>).</summary>
    Adaptive,

    /// <summary>Check at the least-lateness times for past durations on the same server, in fewer checks than backoff; else exponential (<see cref="LearnedStrategy"/>).</summary>
    Learned,

    /// <summary>The same interval between checks (<see cref="FixedStrategy"/>), at least the server's <c>Retry-After</c>.</summary>
    Fixed,

    /// <summary>Geometrically growing delays (<see cref="ExponentialStrategy"/>), at least the server's <c>Retry-After</c>.</summary>
    Exponential,
}
