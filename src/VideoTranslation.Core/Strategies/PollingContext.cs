using System;

namespace VideoTranslation;

/// <summary>What a <see cref="PollingStrategy"/> knows when it chooses the delay before the next check.</summary>
public sealed class PollingContext
{
    /// <summary>Creates a context. The wait loop creates these; custom strategies only read them.</summary>
    /// <param name="attempt">How many checks have been made so far in this wait (1 after the first).</param>
    /// <param name="elapsed">Time since the wait started.</param>
    /// <param name="lastStatus">The most recent successful observation, if any.</param>
    /// <param name="consecutiveFailures">How many checks in a row have failed transiently (0 after a success).</param>
    public PollingContext(int attempt, TimeSpan elapsed, TranslationStatus? lastStatus, int consecutiveFailures)
    {
        if (attempt < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt must be 1 or more.");
        }

        Attempt = attempt;
        Elapsed = elapsed;
        LastStatus = lastStatus;
        ConsecutiveFailures = consecutiveFailures;
    }

    /// <summary>How many checks have been made so far in this wait, failed ones included (1 after the first).</summary>
    public int Attempt { get; }

    /// <summary>Time since the wait started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The most recent successful observation, or <see langword="null"/> if every check so far failed.</summary>
    public TranslationStatus? LastStatus { get; }

    /// <summary>How many checks in a row have failed transiently; 0 after a successful check.</summary>
    public int ConsecutiveFailures { get; }
}
