using System;
using System.Collections.Generic;
using System.Net.Http;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// The wire format of one kind of server: how to ask for a job's status or create jobs, and how to read the answers
/// and error bodies. The built-in services are <see cref="Simulator"/> (the default), <see cref="HeyGen"/>,
/// <see cref="HeyGenV2"/> and <see cref="HeyGenVideo"/>; any other JSON status API is described with a
/// <see cref="TranslationServiceProfile"/> and <see cref="FromProfile"/>. Set one in <see cref="TranslationClientOptions.Service"/>.
/// </summary>
/// <remarks>
/// Everything else about a request — the timeout, the size cap, headers common to every request, turning HTTP
/// failures into typed errors and deciding what is transient — is the client's, once for all services. The class
/// cannot be derived from outside this library: a profile is the way to describe another service.
/// </remarks>
public abstract class TranslationService
{
    /// <summary>Deadline and polling a service implies when the caller gives none.</summary>
    private protected TranslationService(string name, TimeSpan defaultMaxWait, int defaultMaxConcurrency)
    {
        Name = name;
        DefaultMaxWait = defaultMaxWait;
        DefaultMaxConcurrency = defaultMaxConcurrency;
    }

    /// <summary>The simulator's protocol, a superset of the original <c>GET /status</c> contract: jobs, hints, long-poll (docs/protocol.md).</summary>
    public static TranslationService Simulator => SimulatorService.Instance;

    /// <summary>HeyGen's v3 video translations: <c>POST /v3/video-translations</c>, <c>GET /v3/video-translations/{id}</c> (docs/services.md).</summary>
    public static TranslationService HeyGen => HeyGenServices.V3;

    /// <summary>HeyGen's v2 video translations: <c>POST /v2/video_translate</c>, <c>GET /v2/video_translate/{id}</c> (docs/services.md).</summary>
    public static TranslationService HeyGenV2 => HeyGenServices.V2;

    /// <summary>HeyGen's video status: <c>GET /v1/video_status.get?video_id={id}</c> (docs/services.md). Waits only.</summary>
    public static TranslationService HeyGenVideo => HeyGenServices.Video;

    /// <summary>The service's name: <c>Simulator</c>, <c>HeyGen</c>, <c>HeyGenV2</c>, <c>HeyGenVideo</c>, or a profile's <see cref="TranslationServiceProfile.Name"/>.</summary>
    public string Name { get; }

    /// <summary>
    /// The deadline of a wait that sets no <see cref="TranslationWaitOptions.MaxWait"/>: 10 minutes for the simulator and
    /// profiles, 60 minutes for HeyGen, whose jobs run for many minutes.
    /// </summary>
    public TimeSpan DefaultMaxWait { get; }

    /// <summary>
    /// A batch's requests in flight per server when <see cref="TranslationBatchOptions.MaxConcurrency"/> is not set:
    /// <see cref="TranslationBatchOptions.DefaultMaxConcurrency"/> for the simulator and profiles, fewer for HeyGen.
    /// </summary>
    public int DefaultMaxConcurrency { get; }

    /// <summary>Whether this service creates jobs (<see cref="TranslationClient.CreateJobsAsync"/>).</summary>
    public virtual bool CanCreateJobs => false;

    /// <summary>
    /// The environment variable that holds this service's own API key, besides <c>VIDEOTRANSLATION_API_KEY</c>:
    /// <c>HEYGEN_API_KEY</c> for the HeyGen services, else <see langword="null"/>. The core reads no environment; the
    /// cmdlets do.
    /// </summary>
    public virtual string? ApiKeyVariable => null;

    /// <summary>
    /// The settings of the named strategies when the caller gives none: the simulator's 1 s, ×1.5, capped at 5 s; HeyGen's
    /// 30 s, then every 60 s, as HeyGen advises. A new object each time.
    /// </summary>
    /// <returns>The settings.</returns>
    public virtual PollingStrategyOptions CreatePollingOptions() => new();

    /// <summary>The strategy of a wait that sets none: Auto over <see cref="CreatePollingOptions"/>, made once per service.</summary>
    internal PollingStrategy DefaultStrategy => _defaultStrategy ??= PollingStrategy.Create(PollingStrategyKind.Auto, CreatePollingOptions());

    private PollingStrategy? _defaultStrategy;

    /// <summary>The service for a name: <c>Simulator</c>, <c>HeyGen</c>, <c>HeyGenV2</c> or <c>HeyGenVideo</c>.</summary>
    /// <param name="kind">Which one.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static TranslationService Get(TranslationServiceKind kind) => kind switch
    {
        TranslationServiceKind.Simulator => Simulator,
        TranslationServiceKind.HeyGen => HeyGen,
        TranslationServiceKind.HeyGenV2 => HeyGenV2,
        TranslationServiceKind.HeyGenVideo => HeyGenVideo,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind must be one of {string.Join(", ", Enum.GetNames(typeof(TranslationServiceKind)))}."),
    };

    /// <summary>
    /// The service a base address implies when none is chosen: <see cref="HeyGen"/> (v3) for <c>api.heygen.com</c>,
    /// else <see cref="Simulator"/>.
    /// </summary>
    /// <param name="baseUri">The server's absolute address.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseUri"/> is null.</exception>
    public static TranslationService ForUri(Uri baseUri)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        return baseUri.IsAbsoluteUri && string.Equals(baseUri.Host, HeyGenServices.Host, StringComparison.OrdinalIgnoreCase) ? HeyGen : Simulator;
    }

    /// <summary>A service described by a profile: where the status word is, which words mean what, where the result is.</summary>
    /// <param name="profile">The profile; checked now and copied, so later changes to it have no effect.</param>
    /// <returns>The service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is null.</exception>
    /// <exception cref="ArgumentException">The profile is wrong (no <c>{id}</c> in its URL, a malformed path, a word in two
    /// lists, …); the message says what.</exception>
    public static TranslationService FromProfile(TranslationServiceProfile profile) =>
        new ProfileService(profile ?? throw new ArgumentNullException(nameof(profile), "profile must describe the service."));

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The status URL of a job, as it appears in results and messages (without a hold).</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for a server's single-job endpoint.</param>
    /// <returns>The absolute URL.</returns>
    internal abstract Uri GetStatusUri(Uri baseUri, string? jobId);

    /// <summary>
    /// A job id as one URL path segment, escaped; <see cref="ArgumentException"/> for <c>.</c> and <c>..</c>, which no
    /// escaping keeps: System.Uri (and servers) unescape <c>%2E</c> and remove dot-segments (RFC 3986 §5.2.4), so
    /// <c>jobs/../status</c> would ask <c>/status</c>, another resource.
    /// </summary>
    /// <param name="jobId">The job id, not blank.</param>
    /// <returns>The escaped segment.</returns>
    internal string PathSegment(string jobId) => jobId is "." or ".."
        ? throw new ArgumentException(
            $"The job id '{jobId}' cannot be sent: '.' and '..' are URL dot-segments, which URL resolution removes (RFC 3986), " +
            $"so the request would ask another resource than the job. No {Name} job has that id.",
            nameof(jobId))
        : Uri.EscapeDataString(jobId);

    /// <summary>
    /// Whether the service has a single-job endpoint, a status check without a job id (the simulator's and the original
    /// <c>GET /status</c>); the others need a job id for every check.
    /// </summary>
    public virtual bool HasSingleJobEndpoint => false;

    /// <summary>The request of one status check.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobId">The job id, or <see langword="null"/> for a server's single-job endpoint.</param>
    /// <param name="hold">How long to ask the server to hold the check until the job finishes; zero for none.</param>
    /// <returns>A new request message.</returns>
    internal virtual HttpRequestMessage CreateStatusRequest(Uri baseUri, string? jobId, TimeSpan hold) =>
        new(HttpMethod.Get, GetStatusUri(baseUri, jobId));

    /// <summary>Reads a 2xx answer to a status check, or throws <see cref="TranslationProtocolException"/> saying what is wrong.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="jobId">The job asked about.</param>
    /// <param name="held">Whether the check asked the server to hold it.</param>
    /// <returns>The observed status.</returns>
    internal abstract TranslationStatus ReadStatus(ServerAnswer answer, string? jobId, bool held);

    /// <summary>The service's own code and message in a non-2xx body (its error envelope), where it has them.</summary>
    /// <param name="body">The start of the body.</param>
    /// <param name="length">How many bytes of <paramref name="body"/> are read.</param>
    /// <returns>The code and message, each <see langword="null"/> when absent.</returns>
    internal virtual (string? Code, string? Message) ReadError(byte[] body, int length) => ErrorEnvelope.Read(body, length, null, null);

    /// <summary>
    /// Whether a 404 to a status check is this service's own answer for an unknown job; when not, the route does not exist
    /// (a wrong base path) and the error says so (<see cref="TranslationHttpException.IsRouteNotFound"/>). Default: every
    /// 404 is the job's, for a service that cannot tell (a profile).
    /// </summary>
    /// <param name="jobId">The job asked about, or <see langword="null"/> for the single-job endpoint.</param>
    /// <param name="body">The start of the 404's body.</param>
    /// <param name="length">How many bytes of <paramref name="body"/> are read.</param>
    /// <returns><see langword="true"/> when the server said "no such job".</returns>
    internal virtual bool IsNoSuchJob(string? jobId, byte[] body, int length) => true;

    /// <summary>Whether a create request carries an <c>Idempotency-Key</c> the server honours, so it may be retried.</summary>
    internal virtual bool HonoursIdempotencyKey => false;

    /// <summary>How many requests creating <paramref name="request"/> takes (HeyGen v2: one per output language). Default 1.</summary>
    /// <param name="request">What to create.</param>
    /// <returns>The number of requests; each is made with <see cref="CreateJobRequest"/>.</returns>
    internal virtual int CreateRequestsFor(TranslationJobRequest request) => 1;

    /// <summary>The request that creates jobs, or throws <see cref="ArgumentException"/> when the request lacks what the service needs.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="request">What to create.</param>
    /// <param name="part">Which of the <see cref="CreateRequestsFor"/> requests, from 0.</param>
    /// <returns>A new request message.</returns>
    internal virtual HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest request, int part) =>
        throw new NotSupportedException($"The {Name} service does not create jobs; create them elsewhere and wait on their ids.");

    /// <summary>Reads a 2xx answer to creating jobs, or throws <see cref="TranslationProtocolException"/>.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="baseUri">The server's base address.</param>
    /// <param name="request">What was asked.</param>
    /// <param name="part">Which of the <see cref="CreateRequestsFor"/> requests, from 0.</param>
    /// <returns>The created jobs, one per output language where the service makes one per language.</returns>
    internal virtual IReadOnlyList<TranslationJob> ReadCreatedJobs(ServerAnswer answer, Uri baseUri, TranslationJobRequest request, int part) =>
        throw new NotSupportedException($"The {Name} service does not create jobs.");

    /// <summary>
    /// The key durations are learned under (<see cref="PollingContext.ServerUri"/>): the server's base address for the
    /// simulator; for other services also the service and, when known, the output language, since a HeyGen Spanish
    /// dub and a German one of the same video need not take alike.
    /// </summary>
    /// <param name="safeBaseUri">The server's base address without secrets.</param>
    /// <param name="language">The job's output language, when known.</param>
    /// <returns>The key.</returns>
    internal virtual Uri DurationKey(Uri safeBaseUri, string? language) =>
        new(safeBaseUri, "#" + Uri.EscapeDataString(Name) + (language is null ? string.Empty : "/" + Uri.EscapeDataString(language)));

    /// <summary>
    /// The request that asks whether the server checks many jobs in one held request (group long-poll), or
    /// <see langword="null"/> when this kind of server never does. Default: never.
    /// </summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <returns>A new request message, or <see langword="null"/>.</returns>
    internal virtual HttpRequestMessage? CreateCapabilitiesRequest(Uri baseUri) => null;

    /// <summary>Reads a 2xx answer to <see cref="CreateCapabilitiesRequest"/>: the group capability, or <see langword="null"/> for none.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <returns>What the server offers, or <see langword="null"/>.</returns>
    internal virtual GroupCapability? ReadCapabilities(ServerAnswer answer) => null;

    /// <summary>The request of one group check: every job in <paramref name="jobIds"/>, held up to <paramref name="hold"/>.</summary>
    /// <param name="baseUri">The server's base address, ending in <c>/</c>.</param>
    /// <param name="jobIds">The job ids, at most the capability's <see cref="GroupCapability.MaxIds"/>, none repeated.</param>
    /// <param name="hold">How long to ask the server to hold the check until one of the jobs finishes; above zero.</param>
    /// <returns>A new request message.</returns>
    internal virtual HttpRequestMessage CreateGroupStatusRequest(Uri baseUri, IReadOnlyList<string> jobIds, TimeSpan hold) =>
        throw new NotSupportedException("This service does not check jobs in groups.");

    /// <summary>Reads a 2xx answer to a group check, or throws <see cref="TranslationProtocolException"/> when it is not one.</summary>
    /// <param name="answer">The answer, read within the size cap.</param>
    /// <param name="jobIds">The job ids asked, in order.</param>
    /// <returns>One item per id asked, in order.</returns>
    internal virtual GroupAnswer ReadGroupStatus(ServerAnswer answer, IReadOnlyList<string> jobIds) =>
        throw new NotSupportedException("This service does not check jobs in groups.");
}
