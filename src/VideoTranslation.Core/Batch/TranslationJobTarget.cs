using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>A job to wait on in a batch: the client of its server, and its id (none for a server's single-job endpoint).</summary>
public sealed class TranslationJobTarget
{
    /// <summary>Creates the target.</summary>
    /// <param name="client">The client of the job's server.</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for the original single-job <c>GET /status</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty or white space, or one the service's status URL
    /// cannot carry (<see cref="TranslationClient.GetStatusUri"/>).</exception>
    public TranslationJobTarget(TranslationClient client, string? jobId = null)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client), "client must be the TranslationClient of the job's server.");
        JobId = Client.CheckJobId(jobId, nameof(jobId));
    }

    /// <summary>The client of the job's server.</summary>
    public TranslationClient Client { get; }

    /// <summary>The job id, or <see langword="null"/> for the single-job endpoint.</summary>
    public string? JobId { get; }

    /// <summary>The job id, or for the single-job endpoint its status URL without secrets.</summary>
    /// <returns>What names the job in messages.</returns>
    public override string ToString() => JobId ?? UriRedaction.Redact(Client.GetStatusUri()).ToString();
}
