using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
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
    private const int ErrorExcerptBytes = 1024;
    private const string SingleJobLabel = "(single job)";
    private const string LongPollMaxHeader = "X-Long-Poll-Max";
    private const string ApiKeyHeader = "X-Api-Key";
    private const string LongPollWaitHeader = "X-Long-Poll-Wait";

    // Indexed by TranslationState: log arguments that cost nothing when logging is off.
    private static readonly string[] StateNames = { nameof(TranslationState.Pending), nameof(TranslationState.Completed), nameof(TranslationState.Error) };

    private static readonly MediaTypeWithQualityHeaderValue s_acceptJson = new("application/json");
    private static readonly ProductInfoHeaderValue s_userAgent = new(
        "VideoTranslation.PS",
        typeof(TranslationClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly TranslationClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _disposed;

    /// <summary>Creates a client for the server at <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">The server's absolute http(s) address, e.g. <c>http://localhost:5000/</c>; a path is kept
    /// (<c>http://host/api</c> asks <c>http://host/api/status</c>).</param>
    /// <param name="options">Timeouts, limits, logger and clock; copied now, so later changes have no effect. Default: defaults.</param>
    /// <param name="httpClient">A caller-owned client to send requests with (its handler, proxy and pool are used as they
    /// are; with an API key, make sure its handler does not follow redirects, or the key follows them too);
    /// disposing this <see cref="TranslationClient"/> never disposes it. Default: a private one that follows no redirects.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseUri"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseUri"/> is relative, not http(s), or has a query or fragment; or
    /// an API key would go over plain http to a host that is not loopback without <see cref="TranslationClientOptions.AllowUnencryptedApiKey"/>.</exception>
    public TranslationClient(Uri baseUri, TranslationClientOptions? options = null, HttpClient? httpClient = null)
    {
        BaseUri = ValidateBaseUri(baseUri);
        _options = (options ?? new TranslationClientOptions()).Clone();
        if (_options.ApiKey is not null && BaseUri.Scheme == Uri.UriSchemeHttp && !BaseUri.IsLoopback && !_options.AllowUnencryptedApiKey)
        {
            throw new ArgumentException(
                $"Refusing to send the API key over plain http to {BaseUri.Host}, where anyone on the way can read it. " +
                "Use an https address, or set AllowUnencryptedApiKey (-AllowUnencryptedApiKey in PowerShell) if this network is trusted.",
                nameof(options));
        }

        _logger = _options.Logger ?? NullLogger.Instance;
        _time = _options.TimeProvider;
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
    }

    /// <summary>The server's base address, always ending in <c>/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The URL a status check of <paramref name="jobId"/> asks.</summary>
    /// <param name="jobId">A job id for <c>GET {base}/jobs/{id}/status</c>, or <see langword="null"/> for the original
    /// single-job <c>GET {base}/status</c>.</param>
    /// <returns>The absolute status URL.</returns>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty or white space.</exception>
    public Uri GetStatusUri(string? jobId = null)
    {
        if (jobId is null)
        {
            return new Uri(BaseUri, "status");
        }

        if (string.IsNullOrWhiteSpace(jobId))
        {
            throw new ArgumentException(
                "jobId must not be empty or white space; pass null to use the single-job /status endpoint.",
                nameof(jobId));
        }

        return new Uri(BaseUri, "jobs/" + Uri.EscapeDataString(jobId) + "/status");
    }

    /// <summary>Checks a job's status once. A failure is thrown, not retried.</summary>
    /// <param name="jobId">The job id, or <see langword="null"/> for the original single-job endpoint.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The observed status.</returns>
    /// <exception cref="TranslationHttpException">The server answered a non-2xx status.</exception>
    /// <exception cref="TranslationProtocolException">The answer is not the status contract.</exception>
    /// <exception cref="TranslationConnectionException">No complete answer arrived within the request timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TranslationStatus> GetStatusAsync(string? jobId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        Uri uri = GetStatusUri(jobId);
        return await CheckAsync(uri, jobId, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a job's status once, blocking; safe under any SynchronizationContext.</summary>
    /// <inheritdoc cref="GetStatusAsync(string?, CancellationToken)"/>
    public TranslationStatus GetStatus(string? jobId = null, CancellationToken cancellationToken = default) =>
        SyncBridge.Run(() => GetStatusAsync(jobId, cancellationToken));

    /// <summary>
    /// Creates a job with <c>POST {base}/jobs</c> (the simulator's protocol; see docs/protocol.md). Not retried:
    /// creating is not idempotent, so a failure is thrown for the caller to decide.
    /// </summary>
    /// <param name="request">Optional fixed delay and outcome, for servers that accept them (the simulator does).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The created job, with its id and status URL.</returns>
    /// <exception cref="TranslationHttpException">The server answered a non-2xx status.</exception>
    /// <exception cref="TranslationProtocolException">The answer has no job id.</exception>
    /// <exception cref="TranslationConnectionException">No complete answer arrived within the request timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TranslationJob> CreateJobAsync(TranslationJobRequest? request = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "jobs"))
        {
            Content = new ByteArrayContent(JobRequestBody.Serialize(request)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Answer answer = await SendAsync(message, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        (string id, TranslationState state) = JobRequestBody.ParseCreated(answer.Body.Buffer, answer.Body.Length, answer.SafeUri);
        return new TranslationJob(id, BaseUri, GetStatusUri(id), state, answer.ReceivedAt);
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
    /// <see cref="TranslationWaitOptions.RetryBackoff"/>; anything else ends the wait at once. No sleep passes the
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
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<TranslationWaitResult> WaitForCompletionAsync(
        string? jobId = null,
        TranslationWaitOptions? options = null,
        CancellationToken cancellationToken = default) =>
        WaitCoreAsync(jobId, options ?? new TranslationWaitOptions(), gate: null, cancellationToken);

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

    // The one wait loop: single waits, batches and the sync flavours all come here. `gate`, when set, bounds the
    // requests a batch has in flight; a wait holds it only while its request is out, never while it sleeps.
    private async Task<TranslationWaitResult> WaitCoreAsync(
        string? jobId,
        TranslationWaitOptions options,
        SemaphoreSlim? gate,
        CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        Uri uri = GetStatusUri(jobId);

        // Read once: a caller changing the options object mid-wait does not change this wait.
        PollingStrategy strategy = options.Strategy;
        ExponentialBackoff retryBackoff = options.RetryBackoff;
        TimeSpan maxWait = options.MaxWait;
        bool hasDeadline = maxWait != Timeout.InfiniteTimeSpan;
        Action<TranslationStatus>? onChanged = options.OnStatusChanged;
        Func<TranslationStatus, CancellationToken, Task>? onChangedAsync = options.OnStatusChangedAsync;
        Action<TranslationWaitProgress>? onProgress = options.OnProgress;
        Func<TranslationWaitProgress, CancellationToken, Task>? onProgressAsync = options.OnProgressAsync;

        string job = jobId ?? SingleJobLabel;
        Uri server = UriRedaction.Redact(BaseUri);
        long start = _time.GetTimestamp();
        var history = new List<TranslationStatus>();
        TranslationStatus? last = null;
        TranslationStatus? previous = null;
        TranslationStatus? first = null;
        TimeSpan? lastPendingElapsed = null;
        TimeSpan? lastCheckDuration = null;
        TranslationException? lastError = null;
        int attempts = 0;
        int failures = 0;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // In a batch, wait for a request slot first: the hold is chosen against the deadline as it is when the
            // request can actually go out, not as it was when the wait started queueing.
            if (gate is not null)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            long requestStart;
            TranslationStatus? status = null;
            try
            {
                TimeSpan hold = strategy.GetLongPollWait(
                    new PollingContext(attempts, _time.GetElapsedTime(start), last, failures, previous, first, lastPendingElapsed, server)
                    {
                        LastCheckDuration = lastCheckDuration,
                    });
                if (hasDeadline)
                {
                    TimeSpan left = maxWait - _time.GetElapsedTime(start);
                    hold = left <= TimeSpan.Zero ? TimeSpan.Zero : hold < left ? hold : left; // a held check ends at the deadline at the latest
                }

                attempts++;
                requestStart = _time.GetTimestamp();
                try
                {
                    status = await CheckAsync(uri, jobId, hold, cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    lastError = null;
                }
                catch (TranslationException ex) when (ex.IsTransient)
                {
                    failures++;
                    lastError = ex;
                }
                catch (TranslationException ex)
                {
                    Log.PermanentFailure(_logger, attempts, job, ex.Message);
                    throw;
                }
            }
            finally
            {
                gate?.Release();
            }

            lastCheckDuration = _time.GetElapsedTime(requestStart);
            TimeSpan elapsed = _time.GetElapsedTime(start);
            if (status is not null)
            {
                Log.StatusChecked(_logger, attempts, job, status.RequestUri, status.State);
                if (last is null || last.State != status.State)
                {
                    history.Add(status);
                    Log.StateChanged(_logger, job, status.State, last is null ? "none" : StateNames[(int)last.State], elapsed);
                    onChanged?.Invoke(status);
                    if (onChangedAsync is not null)
                    {
                        await onChangedAsync(status, cancellationToken).ConfigureAwait(false);
                    }
                }

                previous = last;
                last = status;
                first ??= status;
                if (status.IsTerminal)
                {
                    Log.WaitFinished(_logger, job, status.State, attempts, elapsed);
                    strategy.OnWaitCompleted(new PollingContext(attempts, elapsed, last, failures, previous, first, lastPendingElapsed, server)
                    {
                        LastCheckDuration = lastCheckDuration,
                    });
                    return new TranslationWaitResult(status, attempts, elapsed, history.ToArray());
                }

                lastPendingElapsed = elapsed;
            }

            // Callbacks may have taken a while: the deadline and the next sleep go by the clock as it is now.
            elapsed = _time.GetElapsedTime(start);
            if (hasDeadline && elapsed >= maxWait)
            {
                Log.WaitTimedOut(_logger, job, maxWait, attempts);
                throw new TranslationTimeoutException(
                    TimeoutMessage(job, uri, maxWait, last, attempts, elapsed, lastError),
                    UriRedaction.Redact(uri),
                    last,
                    attempts,
                    elapsed,
                    maxWait,
                    lastError);
            }

            var context = new PollingContext(attempts, elapsed, last, failures, previous, first, lastPendingElapsed, server)
            {
                LastCheckDuration = lastCheckDuration,
            };
            TimeSpan delay = NextDelay(strategy, retryBackoff, context, status, lastError, _time.GetElapsedTime(requestStart));
            if (hasDeadline && delay > maxWait - elapsed)
            {
                delay = maxWait - elapsed; // the last check happens exactly at the deadline
            }

            if (lastError is not null)
            {
                Log.RetryingAfterFailure(_logger, attempts, job, lastError.Message, failures, delay);
            }
            else
            {
                Log.NextCheckScheduled(_logger, job, delay);
            }

            var progress = new TranslationWaitProgress(jobId, attempts, elapsed, last, lastError, delay);
            onProgress?.Invoke(progress);
            if (onProgressAsync is not null)
            {
                await onProgressAsync(progress, cancellationToken).ConfigureAwait(false);
            }

            if (delay > TimeSpan.Zero)
            {
                await _time.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan NextDelay(
        PollingStrategy strategy,
        ExponentialBackoff retryBackoff,
        PollingContext context,
        TranslationStatus? status,
        TranslationException? lastError,
        TimeSpan sinceRequestStart)
    {
        TimeSpan delay = strategy.GetNextDelay(context);

        // The floor is between the starts of two checks: a check the server held for a while needs no more pause.
        delay = Max(delay, _options.MinimumPollInterval - sinceRequestStart);

        // A Retry-After on a successful answer binds strategies that do not weigh hints themselves, and never after a
        // held long-poll answer (the server just said, by answering, that now is the time to ask).
        if (status?.RetryAfter is TimeSpan hinted && !strategy.UsesServerHints && status.LongPollHeld is not { Ticks: > 0 })
        {
            delay = Max(delay, hinted);
        }

        if (lastError is not null)
        {
            delay = Max(delay, retryBackoff.GetDelay(context.ConsecutiveFailures));
            if (lastError is TranslationHttpException { RetryAfter: TimeSpan demanded })
            {
                delay = Max(delay, demanded);
            }
        }

        // A strategy or server may ask for absurd delays; no single sleep is longer than the longest option allows.
        return delay > Guard.MaxDuration ? Guard.MaxDuration : delay;
    }

    private async Task<TranslationStatus> CheckAsync(Uri uri, string? jobId, TimeSpan hold, CancellationToken cancellationToken)
    {
        // Whole milliseconds: a hold below one is an ordinary check.
        long holdMs = (long)hold.TotalMilliseconds;
        Uri requestUri = holdMs > 0
            ? new Uri(uri.AbsoluteUri + "?wait=" + (holdMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture))
            : uri;
        TimeSpan timeout = _options.RequestTimeout + TimeSpan.FromMilliseconds(holdMs);
        using var request = new HttpRequestMessage(HttpMethod.Get, requestUri);
        Answer answer = await SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);

        StatusParser.Parsed parsed = StatusParser.Parse(answer.Body.Buffer, answer.Body.Length, answer.SafeUri, answer.ContentType);
        return new TranslationStatus(
            parsed.State,
            parsed.Raw,
            answer.ReceivedAt,
            answer.SafeUri,
            jobId,
            parsed.Progress,
            parsed.Eta,
            answer.RetryAfter,
            answer.LongPollLimit,
            holdMs > 0 ? answer.LongPollHeld : null);
    }

    /// <summary>
    /// Sends one request under the request timeout and reads at most <see cref="TranslationClientOptions.MaxResponseBytes"/>
    /// of a 2xx answer. The one place requests are sent: every failure leaves here as a <see cref="TranslationException"/>
    /// (or <see cref="OperationCanceledException"/> for the caller's token).
    /// </summary>
    private async Task<Answer> SendAsync(HttpRequestMessage request, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string method = request.Method.Method;
        Uri safeUri = UriRedaction.Redact(request.RequestUri!);
        using CancellationTokenSource timeout = _time.CreateCancellationTokenSource(requestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        request.Headers.Accept.Add(s_acceptJson);
        request.Headers.UserAgent.Add(s_userAgent);
        if (_options.ApiKey is { } apiKey)
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }

        try
        {
            using HttpResponseMessage response = await _http
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            DateTimeOffset receivedAt = _time.GetUtcNow();
            TimeSpan? retryAfter = ReadRetryAfter(response.Headers.RetryAfter, receivedAt);
            int code = (int)response.StatusCode;
            if (code < 200 || code > 299)
            {
                ResponseBody errorBody = await ResponseBody.ReadAsync(response.Content, ErrorExcerptBytes, linked.Token).ConfigureAwait(false);
                throw new TranslationHttpException(
                    code,
                    response.ReasonPhrase,
                    BodyExcerpt.From(errorBody.Buffer, errorBody.Length),
                    safeUri,
                    retryAfter,
                    method);
            }

            ResponseBody body = await ResponseBody.ReadAsync(response.Content, _options.MaxResponseBytes, linked.Token).ConfigureAwait(false);
            if (body.Exceeded)
            {
                throw StatusParser.Fail(
                    $"the body is larger than the {_options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)}-byte limit (MaxResponseBytes).",
                    body.Buffer,
                    body.Length,
                    safeUri,
                    method: method);
            }

            return new Answer(
                safeUri,
                receivedAt,
                retryAfter,
                body,
                response.Headers.Location,
                ReadSeconds(response.Headers, LongPollMaxHeader),
                ReadSeconds(response.Headers, LongPollWaitHeader),
                response.Content.Headers.ContentType?.MediaType);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's token: our request timeout, or a caller-owned HttpClient's own Timeout.
            throw new TranslationConnectionException(
                $"{method} {safeUri} got no complete answer within the request timeout of {Guard.Format(requestTimeout)}.",
                safeUri,
                isTimeout: true,
                ex);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new TranslationConnectionException(
                $"{method} {safeUri} failed before a complete answer arrived: {ex.Message}",
                safeUri,
                isTimeout: false,
                ex);
        }
    }

    private readonly struct Answer
    {
        public Answer(
            Uri safeUri,
            DateTimeOffset receivedAt,
            TimeSpan? retryAfter,
            ResponseBody body,
            Uri? location,
            TimeSpan? longPollLimit,
            TimeSpan? longPollHeld,
            string? contentType)
        {
            ContentType = contentType;
            LongPollLimit = longPollLimit;
            LongPollHeld = longPollHeld;
            SafeUri = safeUri;
            ReceivedAt = receivedAt;
            RetryAfter = retryAfter;
            Body = body;
            Location = location;
        }

        public Uri SafeUri { get; }

        public DateTimeOffset ReceivedAt { get; }

        public TimeSpan? RetryAfter { get; }

        public ResponseBody Body { get; }

        public Uri? Location { get; }

        public TimeSpan? LongPollLimit { get; }

        public TimeSpan? LongPollHeld { get; }

        public string? ContentType { get; }
    }

    // The long-poll headers (docs/protocol.md): seconds, fractions allowed. A malformed one means "not offered".
    private static TimeSpan? ReadSeconds(HttpResponseHeaders headers, string name)
    {
        if (!headers.TryGetValues(name, out IEnumerable<string>? values))
        {
            return null;
        }

        foreach (string value in values)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
                seconds >= 0 && seconds <= Guard.MaxDuration.TotalSeconds)
            {
                return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            }

            break;
        }

        return null;
    }

    private static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset receivedAt)
    {
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            return date > receivedAt ? date - receivedAt : TimeSpan.Zero;
        }

        return null;
    }

    private static string TimeoutMessage(
        string job,
        Uri uri,
        TimeSpan maxWait,
        TranslationStatus? last,
        int attempts,
        TimeSpan elapsed,
        TranslationException? lastError)
    {
        string lastState = last is null ? "no check succeeded" : $"last state {last.State}";
        string error = lastError is null ? string.Empty : $" The last check failed: {lastError.Message}";
        return $"Job {job} at {UriRedaction.Redact(uri)} did not finish within {Guard.Format(maxWait)}: {lastState} after " +
               $"{attempts.ToString(CultureInfo.InvariantCulture)} checks in {Guard.Format(elapsed)}.{error}";
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;

    private static Uri ValidateBaseUri(Uri baseUri)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri), "baseUri must be the server's address, like http://localhost:5000/.");
        }

        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException(
                $"baseUri must be an absolute http or https address, like http://localhost:5000/; it was '{baseUri}'.",
                nameof(baseUri));
        }

        if (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException(
                $"baseUri must use http or https; it was '{UriRedaction.Redact(baseUri)}' (scheme '{baseUri.Scheme}').",
                nameof(baseUri));
        }

        if (baseUri.Query.Length > 0 || baseUri.Fragment.Length > 0)
        {
            throw new ArgumentException(
                $"baseUri must not have a query or fragment; it was '{UriRedaction.Redact(baseUri)}'.",
                nameof(baseUri));
        }

        string text = baseUri.AbsoluteUri;
        return text.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(text + "/");
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(TranslationClient));
        }
    }
}
