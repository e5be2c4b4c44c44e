using System;

namespace VideoTranslation;

/// <summary>One observation of a job's status: what the server said and when.</summary>
public sealed class TranslationStatus
{
    /// <summary>Creates a status observation. Normally produced by <see cref="TranslationClient"/>.</summary>
    /// <param name="state">The parsed state.</param>
    /// <param name="rawResult">The <c>result</c> value exactly as the server sent it.</param>
    /// <param name="observedAt">When the answer was received, from the client's <see cref="TimeProvider"/>.</param>
    /// <param name="requestUri">The status URL that was asked (without secrets).</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for the single-job <c>GET /status</c> form.</param>
    /// <param name="progress">The server's progress hint in [0, 1], if it sent a valid one.</param>
    /// <param name="estimatedTimeRemaining">The server's <c>etaSeconds</c> hint, if it sent a valid one.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c> hint as a delay from <paramref name="observedAt"/>.</param>
    /// <param name="longPollLimit">The longest long-poll hold the server offers (<c>X-Long-Poll-Max</c>), if it offers long-poll.</param>
    /// <param name="longPollHeld">The hold the server granted this request (<c>X-Long-Poll-Wait</c>), if it was a long-poll.</param>
    public TranslationStatus(
        TranslationState state,
        string rawResult,
        DateTimeOffset observedAt,
        Uri requestUri,
        string? jobId = null,
        double? progress = null,
        TimeSpan? estimatedTimeRemaining = null,
        TimeSpan? retryAfter = null,
        TimeSpan? longPollLimit = null,
        TimeSpan? longPollHeld = null)
    {
        State = state;
        RawResult = rawResult ?? throw new ArgumentNullException(nameof(rawResult));
        ObservedAt = observedAt;
        RequestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
        JobId = jobId;
        Progress = progress;
        EstimatedTimeRemaining = estimatedTimeRemaining;
        RetryAfter = retryAfter;
        LongPollLimit = longPollLimit;
        LongPollHeld = longPollHeld;
    }

    /// <summary>The job's state.</summary>
    public TranslationState State { get; }

    /// <summary>The <c>result</c> value exactly as the server sent it.</summary>
    public string RawResult { get; }

    /// <summary>When the client received this answer (from its <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset ObservedAt { get; }

    /// <summary>The status URL that was asked, with user info and secret query values removed.</summary>
    public Uri RequestUri { get; }

    /// <summary>The job id, or <see langword="null"/> for the original single-job <c>GET /status</c>.</summary>
    public string? JobId { get; }

    /// <summary>The server's progress hint in [0, 1]; <see langword="null"/> when it sent none or an invalid one.</summary>
    public double? Progress { get; }

    /// <summary>The server's estimate of the time left (<c>etaSeconds</c>); <see langword="null"/> when absent or invalid.</summary>
    public TimeSpan? EstimatedTimeRemaining { get; }

    /// <summary>The server's <c>Retry-After</c> header as a delay from <see cref="ObservedAt"/>; <see langword="null"/> when absent.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The longest hold the server offers for long-poll checks (its <c>X-Long-Poll-Max</c> header);
    /// <see langword="null"/> when the server does not offer long-poll.
    /// </summary>
    public TimeSpan? LongPollLimit { get; }

    /// <summary>
    /// The hold the server granted this check (its <c>X-Long-Poll-Wait</c> header); <see langword="null"/> when the
    /// check was not a long-poll or the server ignored the request to hold it.
    /// </summary>
    public TimeSpan? LongPollHeld { get; }

    /// <summary>
    /// The base address of the server that answered, without user info (query and fragment a client never takes), so
    /// a status can be piped to commands that take <c>-Uri</c>, and exported to a file without credentials in it.
    /// Set by the <see cref="TranslationClient"/> that made the check; <see langword="null"/> for a status made otherwise.
    /// </summary>
    public Uri? Uri { get; internal set; }

    /// <summary>
    /// The name of the service whose answer this is (<see cref="TranslationService.Name"/>: <c>Simulator</c>, <c>HeyGen</c>, …),
    /// so a status can be piped to commands that take <c>-Service</c>. Set with <see cref="Uri"/>.
    /// </summary>
    public string? Service { get; internal set; }

    /// <summary>The result's URL, when the service gives one (HeyGen's <c>video_url</c>; it expires, and every check returns a fresh one).</summary>
    public Uri? VideoUrl { get; init; }

    /// <summary>The service's message for a failed job, when it gives one (HeyGen's <c>failure_message</c>).</summary>
    public string? FailureMessage { get; init; }

    /// <summary>The job's output language, when the service gives it.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// When the job ended on the server (in UTC), by the server's clock, when its answer says so (the simulator's
    /// <c>completedAt</c>, a profile's <c>CompletedAtPath</c>); <see langword="null"/> while pending and for services that
    /// do not say. <see cref="DetectionLateness"/> is measured from it.
    /// </summary>
    public DateTimeOffset? CompletedAt
    {
        get => _completedAtUtcTicks == 0 ? null : new DateTimeOffset(_completedAtUtcTicks, TimeSpan.Zero);
        init => _completedAtUtcTicks = value?.UtcTicks ?? 0;
    }

    // In UTC ticks, 0 for none: 8 bytes a status rather than a nullable DateTimeOffset's 24 (every check makes a status).
    private readonly long _completedAtUtcTicks;

    /// <summary>
    /// How late the client learned that the job had ended: <see cref="ObservedAt"/> (the client's clock) minus
    /// <see cref="CompletedAt"/> (the server's), never below zero; <see langword="null"/> when the server does not say when
    /// the job ended. Includes the answer's time on the wire, and any difference between the two clocks.
    /// </summary>
    public TimeSpan? DetectionLateness =>
        CompletedAt is DateTimeOffset end ? (ObservedAt > end ? ObservedAt - end : TimeSpan.Zero) : null;

    /// <summary><see langword="true"/> when the job has finished, successfully or not.</summary>
    public bool IsTerminal => State != TranslationState.Pending;

    /// <inheritdoc />
    public override string ToString() =>
        JobId is null ? $"{State} at {ObservedAt:O}" : $"{JobId}: {State} at {ObservedAt:O}";

    // The client stamps the answering server's address on every status its service reads, so no service can forget it.
    internal TranslationStatus From(Uri safeBaseUri, string service)
    {
        Uri = safeBaseUri;
        Service = service;
        return this;
    }
}
