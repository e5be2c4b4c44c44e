using System;

namespace VideoTranslation;

/// <summary>What a <see cref="PollingStrategy"/> knows when it chooses how to make the next check.</summary>
/// <remarks>
/// Everything a strategy may need about one wait is here, so that one strategy instance can serve many waits at
/// once without keeping per-wait state in fields. The wait makes these; to test a strategy, make one with the
/// constructor and set the rest with an object initializer.
/// </remarks>
public sealed class PollingContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="attempt">How many checks have been made so far in this wait (0 before the first, 1 after it).</param>
    /// <param name="elapsed">Time since the wait started.</param>
    /// <param name="lastStatus">The most recent successful observation, if any.</param>
    /// <param name="consecutiveFailures">How many checks in a row have failed transiently (0 after a success).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> or <paramref name="consecutiveFailures"/> is negative.</exception>
    public PollingContext(int attempt, TimeSpan elapsed, TranslationStatus? lastStatus = null, int consecutiveFailures = 0)
    {
        if (attempt < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt must be 0 or more.");
        }

        if (consecutiveFailures < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(consecutiveFailures), consecutiveFailures, "consecutiveFailures must be 0 or more.");
        }

        Attempt = attempt;
        Elapsed = elapsed;
        LastStatus = lastStatus;
        ConsecutiveFailures = consecutiveFailures;
    }

    /// <summary>How many checks have been made so far in this wait, failed ones included (0 before the first, 1 after it).</summary>
    public int Attempt { get; }

    /// <summary>Time since the wait started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The most recent successful observation, or <see langword="null"/> if every check so far failed.</summary>
    public TranslationStatus? LastStatus { get; }

    /// <summary>How many checks in a row have failed transiently; 0 after a successful check.</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>The successful observation before <see cref="LastStatus"/>, or <see langword="null"/>.</summary>
    public TranslationStatus? PreviousStatus { get; init; }

    /// <summary>The first successful observation of this wait, or <see langword="null"/>.</summary>
    public TranslationStatus? FirstStatus { get; init; }

    /// <summary>Time from the wait's start to the last observation that said pending; <see langword="null"/> if none did.</summary>
    public TimeSpan? LastPendingElapsed { get; init; }

    /// <summary>The server's base address, without secrets, so learning strategies can keep one history per server.</summary>
    public Uri? ServerUri { get; init; }

    /// <summary>
    /// How long the last check took, from sending to the answer (a held long-poll check: the hold);
    /// <see langword="null"/> before the first check.
    /// </summary>
    public TimeSpan? LastCheckDuration { get; init; }
}
