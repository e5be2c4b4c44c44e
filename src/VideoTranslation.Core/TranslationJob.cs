using System;

namespace VideoTranslation;

/// <summary>A job created with <see cref="TranslationClient.CreateJobsAsync"/> or <see cref="TranslationClient.CreateJobAsync"/>.</summary>
public sealed class TranslationJob
{
    /// <summary>Creates the job description. Normally produced by <see cref="TranslationClient"/>.</summary>
    /// <param name="id">The job id the server assigned.</param>
    /// <param name="baseUri">The server's base address.</param>
    /// <param name="statusUri">Where the job's status is checked.</param>
    /// <param name="state">The state the server reported at creation.</param>
    /// <param name="createdAt">When the client received the answer.</param>
    public TranslationJob(string id, Uri baseUri, Uri statusUri, TranslationState state, DateTimeOffset createdAt)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Uri = baseUri ?? throw new ArgumentNullException(nameof(baseUri));
        StatusUri = statusUri ?? throw new ArgumentNullException(nameof(statusUri));
        State = state;
        CreatedAt = createdAt;
    }

    /// <summary>The job id the server assigned.</summary>
    public string Id { get; }

    /// <summary>The server's base address (so a job object can be piped to commands that take <c>-Uri</c>).</summary>
    public Uri Uri { get; }

    /// <summary>Where the job's status is checked.</summary>
    public Uri StatusUri { get; }

    /// <summary>The state the server reported at creation (normally <see cref="TranslationState.Pending"/>).</summary>
    public TranslationState State { get; }

    /// <summary>When the client received the server's answer.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The output language the job translates into, for services that make one job per language (HeyGen).</summary>
    public string? Language { get; init; }

    /// <summary>The name of the service that created the job (<see cref="TranslationService.Name"/>), so a job can be piped to commands that take <c>-Service</c>.</summary>
    public string? Service { get; init; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
