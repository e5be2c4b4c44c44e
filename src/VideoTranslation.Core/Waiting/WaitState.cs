using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>
/// Everything one wait has seen: attempts, failures in a row, the first, previous and last status, when the job was
/// last seen pending, how long the last check took, and the history of changes. Produces the strategy's context.
/// </summary>
internal sealed class WaitState
{
    private readonly List<TranslationStatus> _history = new();

    public int Attempts { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    /// <summary>Checks in a row that got no answer at all (<see cref="TranslationConnectionException"/>); any answer resets it.</summary>
    public int ConsecutiveTransportFailures { get; private set; }

    /// <summary>When the first check of the current run of <see cref="ConsecutiveTransportFailures"/> was sent, as a timestamp.</summary>
    public long TransportFailuresStarted { get; private set; }

    public TranslationStatus? First { get; private set; }

    public TranslationStatus? Previous { get; private set; }

    public TranslationStatus? Last { get; private set; }

    /// <summary>The failure of the last check, when it failed transiently; <see langword="null"/> after a success.</summary>
    public TranslationException? LastError { get; private set; }

    public TimeSpan? LastPendingElapsed { get; private set; }

    public TimeSpan? LastCheckDuration { get; private set; }

    /// <summary>Whether the last answer was a change of state (the first answer is one).</summary>
    public bool LastAnswerChangedState { get; private set; }

    /// <summary>Time from the wait's start to the last answer.</summary>
    public TimeSpan LastAnswerElapsed { get; private set; }

    /// <summary>When the last check was sent, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LastCheckStarted { get; private set; }

    public void CheckStarted(long timestamp)
    {
        Attempts++;
        LastCheckStarted = timestamp;
    }

    public void Answered(TranslationStatus status, TimeSpan elapsed, TimeSpan took)
    {
        // A change of the service's own word is a change too (HeyGen's pending -> running), though the state stays Pending.
        LastAnswerChangedState = Last is null || Last.State != status.State ||
                                 !string.Equals(Last.RawResult, status.RawResult, StringComparison.OrdinalIgnoreCase);
        if (LastAnswerChangedState)
        {
            _history.Add(status);
        }

        LastAnswerElapsed = elapsed;
        Previous = Last;
        Last = status;
        First ??= status;
        ConsecutiveFailures = 0;
        ConsecutiveTransportFailures = 0;
        LastError = null;
        LastCheckDuration = took;
        if (!status.IsTerminal)
        {
            LastPendingElapsed = elapsed;
        }
    }

    public void Failed(TranslationException error, TimeSpan took)
    {
        ConsecutiveFailures++;
        if (error is TranslationConnectionException)
        {
            if (ConsecutiveTransportFailures++ == 0)
            {
                TransportFailuresStarted = LastCheckStarted;
            }
        }
        else
        {
            ConsecutiveTransportFailures = 0; // the server answered (408, 429, 5xx): it is reachable
        }

        LastError = error;
        LastCheckDuration = took;
    }

    public PollingContext ToContext(TimeSpan elapsed, Uri server) =>
        new(Attempts, elapsed, Last, ConsecutiveFailures)
        {
            PreviousStatus = Previous,
            FirstStatus = First,
            LastPendingElapsed = LastPendingElapsed,
            ServerUri = server,
            LastCheckDuration = LastCheckDuration,
        };

    /// <summary>The result of a wait whose last answer was terminal.</summary>
    public TranslationWaitResult ToResult() => new(Last!, Attempts, LastAnswerElapsed, _history.ToArray());
}
