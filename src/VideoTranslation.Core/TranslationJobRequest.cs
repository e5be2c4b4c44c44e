using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Optional settings for <see cref="TranslationClient.CreateJobAsync"/>: servers that support it (the simulator)
/// let a test fix a job's duration and outcome instead of drawing them from their models.
/// </summary>
public sealed class TranslationJobRequest
{
    private TimeSpan? _delay;
    private TranslationState? _outcome;

    /// <summary>How long the job takes; between zero and one day. <see langword="null"/>: the server's delay model decides.</summary>
    public TimeSpan? Delay
    {
        get => _delay;
        set
        {
            if (value is TimeSpan d && (d < TimeSpan.Zero || d > Guard.MaxDuration))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Delay),
                    d,
                    $"{nameof(Delay)} must be between 0 and {Guard.Format(Guard.MaxDuration)}; it was {Guard.Format(d)}.");
            }

            _delay = value;
        }
    }

    /// <summary>
    /// How the job ends: <see cref="TranslationState.Completed"/> or <see cref="TranslationState.Error"/>.
    /// <see langword="null"/>: the server's error model decides.
    /// </summary>
    public TranslationState? Outcome
    {
        get => _outcome;
        set
        {
            if (value == TranslationState.Pending)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Outcome),
                    value,
                    $"{nameof(Outcome)} must be Completed or Error (how the job ends); it was Pending.");
            }

            _outcome = value;
        }
    }
}
