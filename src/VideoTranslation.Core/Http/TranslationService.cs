using System;
using System.Collections.Generic;
using System.Net.Http;

namespace VideoTranslation.Internal;

/// <summary>
/// The wire format of one kind of server: how to ask for a job's status or create a job, and how to read the
/// answers. The seam where other services' status APIs plug in; a <see cref="TranslationClient"/> has one.
/// </summary>
/// <remarks>
/// Everything else about a request — the timeout, the size cap, headers common to every request, turning HTTP
/// failures into typed errors and deciding what is transient — is <see cref="ServerConnection"/>'s, once for all services.
/// </remarks>
internal abstract class TranslationService
{
    /// <summary>The status URL of a job, as it appears in results and messages (without a hold).</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for a server's single-job endpoint.</param>
    /// <returns>The absolute URL.</returns>
    public abstract Uri GetStatusUri(Uri baseUri, string? jobId);

    /// <summary>The request of one status check.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for a server's single-job endpoint.</param>
    /// <param name="hold">How long to ask the server to hold the check until the job finishes; zero for none.</param>
    /// <returns>A new request message.</returns>
    public abstract HttpRequestMessage CreateStatusRequest(Uri baseUri, string? jobId, TimeSpan hold);

    /// <summary>Reads a 2xx answer to a status check, or throws <see cref="TranslationProtocolException"/> saying what is wrong.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="jobId">The job asked about.</param>
    /// <param name="held">Whether the check asked the server to hold it.</param>
    /// <returns>The observed status.</returns>
    public abstract TranslationStatus ReadStatus(ServerAnswer answer, string? jobId, bool held);

    /// <summary>The request that creates a job.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="request">Optional delay and outcome for servers that accept them.</param>
    /// <returns>A new request message.</returns>
    public abstract HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest? request);

    /// <summary>Reads a 2xx answer to creating a job, or throws <see cref="TranslationProtocolException"/>.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="baseUri">The server's base address.</param>
    /// <returns>The created job.</returns>
    public abstract TranslationJob ReadCreatedJob(ServerAnswer answer, Uri baseUri);

    /// <summary>
    /// The request that asks whether the server checks many jobs in one held request (group long-poll), or
    /// <see langword="null"/> when this kind of server never does. Default: never.
    /// </summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <returns>A new request message, or <see langword="null"/>.</returns>
    public virtual HttpRequestMessage? CreateCapabilitiesRequest(Uri baseUri) => null;

    /// <summary>Reads a 2xx answer to <see cref="CreateCapabilitiesRequest"/>: the group capability, or <see langword="null"/> for none.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <returns>What the server offers, or <see langword="null"/>.</returns>
    public virtual GroupCapability? ReadCapabilities(ServerAnswer answer) => null;

    /// <summary>The request of one group check: every job in <paramref name="jobIds"/>, held up to <paramref name="hold"/>.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobIds">The job ids, at most the capability's <see cref="GroupCapability.MaxIds"/>, none repeated.</param>
    /// <param name="hold">How long to ask the server to hold the check until one of the jobs finishes; above zero.</param>
    /// <returns>A new request message.</returns>
    public virtual HttpRequestMessage CreateGroupStatusRequest(Uri baseUri, IReadOnlyList<string> jobIds, TimeSpan hold) =>
        throw new NotSupportedException("This service does not check jobs in groups.");

    /// <summary>Reads a 2xx answer to a group check, or throws <see cref="TranslationProtocolException"/> when it is not one.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="jobIds">The job ids asked, in order.</param>
    /// <returns>One item per id asked, in order.</returns>
    public virtual GroupAnswer ReadGroupStatus(ServerAnswer answer, IReadOnlyList<string> jobIds) =>
        throw new NotSupportedException("This service does not check jobs in groups.");
}
