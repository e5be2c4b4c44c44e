using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Checks and waits on video-translation jobs. One instance per server; thread-safe; every operation comes in an
/// async and a sync flavour that share one implementation.
/// </summary>
/// <example>
/// <code>
/// using var client = new TranslationClient(new Uri("http://localhost:5000/"));
/// TranslationWaitResult result = await client.WaitForCompletionAsync(
///     jobId: null,
///     new TranslationWaitOptions { OnStatusChanged = s => Console.WriteLine(s.State) });
/// </code>
/// </example>
public sealed partial class TranslationClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly TranslationClientOptions _options;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates a client for the server at <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">The server's absolute http(s) address, e.g. <c>http://localhost:5000/</c>; a path is kept
    /// (<c>http://host/api</c> asks <c>http://host/api/status</c>).</param>
    /// <param name="options">Timeouts, limits, logger and clock; copied now, so later changes have no effect. Default: defaults.</param>
    /// <param name="httpClient">A caller-owned client to send requests with (its handler, proxy and pool are used as they
    /// are; with an API key, make sure its handler does not follow redirects, or the key follows them too);
    /// disposing this <see cref="TranslationClient"/> never disposes it. Default: a private one that follows no redirects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseUri"/> is null.</exception>
    /// <exception cref="TranslationAddressException"><paramref name="baseUri"/> is relative, not http(s), or has a query or fragment.</exception>
    /// <exception cref="UnencryptedCredentialException">An API key or bearer token would go over plain http to a host that is not loopback
    /// without <see cref="TranslationClientOptions.AllowUnencryptedApiKey"/>.</exception>
    public TranslationClient(Uri baseUri, TranslationClientOptions? options = null, HttpClient? httpClient = null)
    {
        BaseUri = ValidateBaseUri(baseUri);
        _options = (options ?? new TranslationClientOptions()).Clone();
        if (BaseUri.Scheme == Uri.UriSchemeHttp && !BaseUri.IsLoopback && !_options.AllowUnencryptedApiKey)
        {
            if (_options.ApiKey is not null)
            {
                throw new UnencryptedCredentialException(BaseUri.Host);
            }

            if (_options.BearerToken is not null)
            {
                throw new UnencryptedCredentialException(BaseUri.Host, "bearer token");
            }
        }

        _logger = _options.Logger ?? NullLogger.Instance;
        if (httpClient is null)
        {
            // Our own per-request timeout (on the TimeProvider) governs; HttpClient's would race it. Redirects are
            // not followed: a redirect would carry X-Api-Key to wherever it points; a 3xx is reported instead.
            _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsHttpClient = true;
        }
        else
        {
            _http = httpClient;
        }

        Connection = new ServerConnection(BaseUri, _options.Service, _http, _options);

        // Sockets of this process only through our own handlers; a caller's HttpClient may not open any (a test's fake).
        DescriptorHeadroom = _ownsHttpClient || SharedHttpClients.IsShared(_http) ? DescriptorBudget.Current : static () => null;
    }

    /// <summary>The server's base address, always ending in <c>/</c>.</summary>
    public Uri BaseUri { get; }

    internal ServerConnection Connection { get; }

    /// <summary>The caller's logger (or none), for what a batch says about this client's server.</summary>
    internal ILogger Logger => _logger;

    /// <summary>How many more sockets the process may open (see <see cref="DescriptorBudget"/>); null: no limit known.</summary>
    internal Func<(int Headroom, int Limit, int Open)?> DescriptorHeadroom { get; set; }

    /// <summary>The URL a status check of <paramref name="jobId"/> asks.</summary>
    /// <param name="jobId">A job id for <c>GET {base}/jobs/{id}/status</c>, or <see langword="null"/> for the original
    /// single-job <c>GET {base}/status</c>.</param>
    /// <returns>The absolute status URL.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty or white space, or <c>.</c> or <c>..</c> where the
    /// service puts the id into a path segment (URL resolution would remove it and ask another resource).</exception>
    public Uri GetStatusUri(string? jobId = null) => Connection.GetStatusUri(CheckJobId(jobId, nameof(jobId)));

    /// <summary>
    /// Checks a job's status once. A transient failure (no answer, 408, 429, 5xx) is retried up to
    /// <see cref="TranslationClientOptions.StatusCheckRetries"/> times (default 0: not at all); any other is thrown at once.
    /// </summary>
    /// <param name="jobId">The job id, or <see langword="null"/> for the original single-job endpoint.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The observed status.</returns>
    /// <exception cref="TranslationHttpException">The server answered a non-2xx status.</exception>
    /// <exception cref="TranslationProtocolException">The answer is not the status contract.</exception>
    /// <exception cref="TranslationConnectionException">No complete answer arrived within the request timeout.</exception>
    /// <exception cref="TranslationSecureConnectionException">The TLS handshake failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<TranslationStatus> GetStatusAsync(string? jobId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return CheckOnceAsync(CheckJobId(jobId, nameof(jobId)), cancellationToken);
    }

    /// <summary>Checks a job's status once, blocking; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="GetStatusAsync(string?, CancellationToken)"/>
    public TranslationStatus GetStatus(string? jobId = null, CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => GetStatusAsync(jobId, cancellationToken));

    /// <summary>The service this client speaks (<see cref="TranslationClientOptions.Service"/>).</summary>
    public TranslationService Service => Connection.Service;

    /// <summary>
    /// Creates jobs: one per output language for HeyGen (<c>POST /v3/video-translations</c>), one for the simulator
    /// (<c>POST {base}/jobs</c>). Where the service honours an <c>Idempotency-Key</c> (HeyGen v3, the simulator), the request
    /// carries one and failures that may heal — no answer, 408, 429, 5xx, 409 <c>request_in_progress</c> — are retried up to
    /// <see cref="TranslationClientOptions.MaxTransportRetries"/> times with the same key, so a retry never creates a job
    /// twice; elsewhere a failure is thrown for the caller to decide. A 429's <c>Retry-After</c> holds back every request of
    /// this client.
    /// </summary>
    /// <param name="request">What to create; each service uses the settings it knows.</param>
    /// <param name="cancellationToken">Cancels the requests and the sleeps between retries.</param>
    /// <returns>The created jobs, in the order of <see cref="TranslationJobRequest.OutputLanguages"/> where the service makes one per language.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The request lacks what the service needs (HeyGen: a video URL and an output language).</exception>
    /// <exception cref="NotSupportedException">The service does not create jobs (<see cref="TranslationService.CanCreateJobs"/>).</exception>
    /// <exception cref="TranslationHttpException">The server answered a non-2xx status (its code and message in <see cref="TranslationHttpException.ErrorCode"/>, <see cref="TranslationHttpException.ErrorMessage"/>).</exception>
    /// <exception cref="TranslationProtocolException">The answer has no job ids.</exception>
    /// <exception cref="TranslationConnectionException">No complete answer arrived within the request timeout (after the retries, where there are any).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<IReadOnlyList<TranslationJob>> CreateJobsAsync(TranslationJobRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request), "request must say what to create.");
        }

        if (!Connection.Service.CanCreateJobs)
        {
            throw new NotSupportedException($"The {Connection.Service.Name} service does not create jobs; create them elsewhere and wait on their ids.");
        }

        return JobCreation.CreateAsync(Connection, request, _logger, cancellationToken);
    }

    /// <summary>Creates jobs, blocking; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="CreateJobsAsync(TranslationJobRequest, CancellationToken)"/>
    public IReadOnlyList<TranslationJob> CreateJobs(TranslationJobRequest request, CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => CreateJobsAsync(request, cancellationToken));

    /// <summary>Creates one job (<see cref="CreateJobsAsync"/> with at most one output language).</summary>
    /// <param name="request">Optional fixed delay and outcome for the simulator; a video and one language for HeyGen.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created job, with its id and status URL.</returns>
    /// <exception cref="ArgumentException">The request has more than one output language: use <see cref="CreateJobsAsync"/>.</exception>
    /// <exception cref="NotSupportedException">The service does not create jobs.</exception>
    /// <exception cref="TranslationHttpException">The server answered a non-2xx status.</exception>
    /// <exception cref="TranslationProtocolException">The answer has no job id.</exception>
    /// <exception cref="TranslationConnectionException">No complete answer arrived within the request timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TranslationJob> CreateJobAsync(TranslationJobRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new TranslationJobRequest();
        if (request.OutputLanguages is { Count: > 1 } languages)
        {
            throw new ArgumentException($"The request has {languages.Count} output languages, which make {languages.Count} jobs: use CreateJobsAsync.", nameof(request));
        }

        IReadOnlyList<TranslationJob> jobs = await CreateJobsAsync(request, cancellationToken).ConfigureAwait(false);
        return jobs[0];
    }

    /// <summary>Creates a job, blocking; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="CreateJobAsync(TranslationJobRequest?, CancellationToken)"/>
    public TranslationJob CreateJob(TranslationJobRequest? request = null, CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => CreateJobAsync(request, cancellationToken));

    /// <summary>
    /// Waits until the job is <see cref="TranslationState.Completed"/> or <see cref="TranslationState.Error"/>.
    /// A job that ends in <see cref="TranslationState.Error"/> is a normal result (see <see cref="TranslationWaitResult.Succeeded"/>), not an exception.
    /// </summary>
    /// <remarks>
    /// Transient failures (connection failures, request timeouts, 408, 429, 5xx) are retried inside the deadline with
    /// <see cref="TranslationWaitOptions.RetryBackoff"/>, checks that get no answer at all at most
    /// <see cref="TranslationClientOptions.MaxTransportRetries"/> times in a row; anything else, a TLS failure included,
    /// ends the wait at once. No sleep passes the
    /// deadline: the last check is made at it, and the wait then fails. Status-change callbacks run once per change,
    /// in order; an exception from one ends the wait and propagates unchanged.
    /// </remarks>
    /// <param name="jobId">The job id, or <see langword="null"/> for the original single-job endpoint.</param>
    /// <param name="options">Strategy, deadline, retry backoff and callbacks. Default: defaults.</param>
    /// <param name="cancellationToken">Cancels the wait, including a request in flight and a sleep.</param>
    /// <returns>The final status, the number of checks, the time taken and the history of state changes.</returns>
    /// <exception cref="TranslationTimeoutException">The deadline passed; carries the last status, attempts and elapsed time.</exception>
    /// <exception cref="TranslationHttpException">The server answered a non-transient error status (400, 401, 403, 404, …).</exception>
    /// <exception cref="TranslationProtocolException">The answer is not the status contract.</exception>
    /// <exception cref="TranslationServerUnreachableException">More than <see cref="TranslationClientOptions.MaxTransportRetries"/> checks in a row got no answer.</exception>
    /// <exception cref="TranslationSecureConnectionException">The TLS handshake failed (an untrusted certificate, a server without TLS).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<TranslationWaitResult> WaitForCompletionAsync(
        string? jobId = null,
        TranslationWaitOptions? options = null,
        CancellationToken cancellationToken = default) =>
        WaitAsync(CheckJobId(jobId, nameof(jobId)), WaitSettings.From(options), budget: null, cancellationToken);

    /// <summary>Waits until the job finishes, blocking; safe under any SynchronizationContext.</summary>
    /// <remarks>Callbacks run on the thread that runs the loop, which may be a thread-pool thread.</remarks>
    /// <inheritdoc cref="WaitForCompletionAsync(string?, TranslationWaitOptions?, CancellationToken)"/>
    public TranslationWaitResult WaitForCompletion(
        string? jobId = null,
        TranslationWaitOptions? options = null,
        CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => WaitForCompletionAsync(jobId, options, cancellationToken));

    /// <summary>Releases the private <see cref="HttpClient"/>, if the client made one. A caller-owned one is left alone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>One wait of an already checked job id; <paramref name="budget"/> is a batch's limit on this server, if any.</summary>
    internal Task<TranslationWaitResult> WaitAsync(string? jobId, WaitSettings settings, CheckBudget? budget, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return new WaitLoop(Connection, jobId, settings, _options, _logger, budget).RunAsync(cancellationToken);
    }

    // GetStatus: one check, and up to StatusCheckRetries more after transient failures, with the retry backoff.
    private async Task<TranslationStatus> CheckOnceAsync(string? jobId, CancellationToken cancellationToken)
    {
        int retries = _options.StatusCheckRetries;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await CheckAttemptAsync(jobId, attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (TranslationException ex) when (attempt <= retries && RetryDelay(ex, attempt) is TimeSpan delay)
            {
                Telemetry.CountRetry(Connection.Service.Name, strategy: null, ex);
                Log.RetryingAfterFailure(_logger, attempt, jobId ?? "(single job)", FailureReason.Of(ex), string.Format(CultureInfo.InvariantCulture, "{0} of {1}", attempt, retries), Guard.Format(delay));
                await _options.TimeProvider.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The pause before retrying a failed single check, or null when it is not retried: a permanent failure, or a
    // Retry-After longer than a single check should wait.
    private static TimeSpan? RetryDelay(TranslationException failure, int failures)
    {
        if (!failure.IsTransient)
        {
            return null;
        }

        TimeSpan pause = RetryBackoff.Default.PauseAfter(failure, failures);
        return pause <= MaxStatusRetryAfter ? pause : null;
    }

    private static readonly TimeSpan MaxStatusRetryAfter = TimeSpan.FromSeconds(60);

    // One check of GetStatus, logged (Information) with what was asked, the answer and how long it took; a check span
    // of its own (no wait above it).
    private async Task<TranslationStatus> CheckAttemptAsync(string? jobId, int attempt, CancellationToken cancellationToken)
    {
        long started = _options.TimeProvider.GetTimestamp();
        using Activity? span = Telemetry.StartSingleCheck(Connection, jobId, attempt);
        TranslationStatus status;
        try
        {
            status = await Connection.CheckAsync(jobId, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (span is not null)
        {
            Telemetry.SetError(span, ex, _options);
            throw;
        }

        span?.SetTag(Telemetry.JobState, Telemetry.StateName(status.State));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            string took = Guard.Format(_options.TimeProvider.GetElapsedTime(started));
            Uri asked = status.RequestUri;
            Log.StatusAnswered(_logger, asked, status.State, took);
        }

        return status;
    }

    /// <summary>
    /// A job id as the client takes it: <see langword="null"/> for the single-job endpoint, else a non-blank id that the
    /// service can put into its status URL (not <c>.</c> or <c>..</c> where the id is a path segment).
    /// </summary>
    internal string? CheckJobId(string? jobId, string paramName)
    {
        if (jobId is not null && string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException(
                $"{paramName} must not be empty or white space; pass null to use the single-job /status endpoint.",
                paramName);
        }

        if (jobId is not null)
        {
            _ = Connection.GetStatusUri(jobId); // the service refuses an id its URL cannot carry
        }

        return jobId;
    }

    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(TranslationClient));
        }
    }

    private static Uri ValidateBaseUri(Uri baseUri)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri), "baseUri must be the server's address, like http://localhost:5000/.");
        }

        if (!baseUri.IsAbsoluteUri)
        {
            throw new TranslationAddressException($"must be an absolute http or https address, like http://localhost:5000/; it was '{baseUri}'.", nameof(baseUri));
        }

        if (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new TranslationAddressException($"must use http or https; it was '{UriRedaction.Redact(baseUri)}' (scheme '{baseUri.Scheme}').", nameof(baseUri));
        }

        if (baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0)
        {
            throw new TranslationAddressException($"must not have a query or fragment; it was '{UriRedaction.Redact(baseUri)}'.", nameof(baseUri));
        }

        // Always a new Uri of the normalized text: its OriginalString (what JSON writes of it) ends in '/' too.
        string text = baseUri.AbsoluteUri;
        return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
    }
}
