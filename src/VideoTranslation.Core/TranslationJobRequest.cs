using System;
using System.Collections.Generic;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// What to create with <see cref="TranslationClient.CreateJobsAsync"/>. For HeyGen: the video, its output languages
/// (one job each), and optionally the mode, title and callback. For the simulator: optionally a fixed duration and
/// outcome instead of drawing them from its models. Each service uses the settings it knows and ignores the others.
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

    /// <summary>The public URL of the video to translate (HeyGen: required).</summary>
    public Uri? VideoUrl { get; set; }

    /// <summary>The languages to translate into, as the service names them (HeyGen: <c>Spanish (Spain)</c>); one job each. HeyGen: at least one.</summary>
    public IList<string> OutputLanguages { get; set; } = new List<string>();

    /// <summary>The service's translation mode (HeyGen v3: <c>speed</c> or <c>precision</c>); <see langword="null"/> for the service's default.</summary>
    public string? Mode { get; set; }

    /// <summary>A title for the job, where the service keeps one.</summary>
    public string? Title { get; set; }

    /// <summary>Where the service posts its webhook event when the job ends (HeyGen's <c>callback_url</c>).</summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary>An id of the caller's that the service echoes in its webhook event (HeyGen's <c>callback_id</c>).</summary>
    public string? CallbackId { get; set; }

    /// <summary>
    /// The <c>Idempotency-Key</c> of the create request, for services that honour one; <see langword="null"/>: a new
    /// random key per call. The client sends the same key on every retry of the call, so a retried create never
    /// starts the job twice; give your own to make a create safe across calls (a script run twice, say).
    /// </summary>
    public string? IdempotencyKey { get; set; }
}
