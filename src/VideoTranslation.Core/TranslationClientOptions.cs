using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// Settings for a <see cref="TranslationClient"/>. Every setter validates its value and throws an
/// <see cref="ArgumentOutOfRangeException"/> that names the option and the rejected value.
/// The client copies these settings when it is constructed; later changes do not affect it.
/// </summary>
public sealed class TranslationClientOptions
{
    /// <summary>The default <see cref="RequestTimeout"/>: 5 seconds, as the original client.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="MinimumPollInterval"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultMinimumPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="MaxResponseBytes"/>: 64 KiB, far above any status answer.</summary>
    public const int DefaultMaxResponseBytes = 64 * 1024;

    /// <summary>
    /// The default <see cref="MaxTransportRetries"/>: 4 retries, so with the default retry backoff (0.5, 1, 2, 4 s) a
    /// server that does not answer ends a wait after about 8 s, not at its deadline. As the Azure SDKs (3 retries from
    /// 0.8 s): a restart of a few seconds is ridden out, a wrong address or a server that is down is reported soon.
    /// </summary>
    public const int DefaultMaxTransportRetries = 4;

    /// <summary>The <see cref="MaxTransportRetries"/> that retries transport failures until the wait's deadline: -1.</summary>
    public const int UnlimitedTransportRetries = -1;

    private TimeSpan _requestTimeout = DefaultRequestTimeout;
    private int _maxTransportRetries = DefaultMaxTransportRetries;
    private int _statusCheckRetries;
    private string? _bearerToken;
    private string? _userAgent;
    private IReadOnlyDictionary<string, string>? _headers;
    private TimeSpan _minimumPollInterval = DefaultMinimumPollInterval;
    private int _maxResponseBytes = DefaultMaxResponseBytes;
    private TimeProvider _timeProvider = TimeProvider.System;
    private string? _apiKey;
    private TranslationService _service = SimulatorService.Instance;

    /// <summary>
    /// How long one status request may take, headers and body together, before it counts as a transient
    /// failure. Positive, at most one day. Default 5 seconds.
    /// </summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        set => _requestTimeout = Guard.PositiveDuration(value, nameof(RequestTimeout));
    }

    /// <summary>
    /// The floor under every delay between two checks of one job, whatever the strategy says, so that no
    /// configuration can hammer the server. Positive, at most one day. Default 100 milliseconds.
    /// The one exception is the final check made exactly at the wait's deadline.
    /// </summary>
    public TimeSpan MinimumPollInterval
    {
        get => _minimumPollInterval;
        set => _minimumPollInterval = Guard.PositiveDuration(value, nameof(MinimumPollInterval));
    }

    /// <summary>
    /// The largest response body the client reads; a larger one is a protocol error and is not read further.
    /// Between 1 KiB and 16 MiB. Default 64 KiB.
    /// </summary>
    public int MaxResponseBytes
    {
        get => _maxResponseBytes;
        set => _maxResponseBytes = Guard.InRange(value, nameof(MaxResponseBytes), 1024, 16 * 1024 * 1024);
    }

    /// <summary>
    /// The API key sent as the <c>X-Api-Key</c> header of every request, or <see langword="null"/> for none (default).
    /// It never appears in a log, exception message or result. The client refuses to send it over plain http to a host
    /// other than loopback unless <see cref="AllowUnencryptedApiKey"/> is set, as <c>Invoke-RestMethod</c> refuses
    /// credentials over http. A key that is empty, white space, or holds control characters is rejected (without
    /// echoing it).
    /// </summary>
    public string? ApiKey
    {
        get => _apiKey;
        set => _apiKey = CheckSecret(value, nameof(ApiKey), "key");
    }

    /// <summary>
    /// How many checks in a row that get no answer at all — connection refused or reset, name not resolved, request
    /// timed out — a wait retries (with <see cref="TranslationWaitOptions.RetryBackoff"/>) before it gives up with
    /// <see cref="TranslationServerUnreachableException"/>. Any answer, an HTTP error included, starts the count again;
    /// HTTP 408, 429 and 5xx are the server answering and are retried until the deadline, as before. A TLS failure is
    /// never retried. 0 to 1000, or <see cref="UnlimitedTransportRetries"/> (-1) to retry until the deadline.
    /// Default <see cref="DefaultMaxTransportRetries"/> (4). Single checks (<see cref="TranslationClient.GetStatusAsync"/>) retry by <see cref="StatusCheckRetries"/> instead.
    /// </summary>
    public int MaxTransportRetries
    {
        get => _maxTransportRetries;
        set => _maxTransportRetries = value == UnlimitedTransportRetries ? value : Guard.InRange(value, nameof(MaxTransportRetries), 0, 1000);
    }

    /// <summary>
    /// How many times a single check (<see cref="TranslationClient.GetStatusAsync"/>) is retried after a transient failure —
    /// no answer (refused, reset, dropped, timed out), 408, 429 or 5xx — with <see cref="VideoTranslation.RetryBackoff.Default"/>
    /// (0.5, 1, 2, 4 s …) or a longer <c>Retry-After</c> (up to 60 s; a longer one is thrown at once). Other failures are
    /// never retried. 0 to 1000; default 0: one check, its failure thrown (as Invoke-RestMethod's -MaximumRetryCount). A
    /// check is one request as HttpClient sends it, which itself re-sends a GET the server closed without a byte of an
    /// answer up to 3 times at once (.NET's SocketsHttpHandler).
    /// </summary>
    public int StatusCheckRetries
    {
        get => _statusCheckRetries;
        set => _statusCheckRetries = Guard.InRange(value, nameof(StatusCheckRetries), 0, 1000);
    }

    /// <summary>
    /// A bearer token sent as <c>Authorization: Bearer …</c> on every request, or <see langword="null"/> for none (default).
    /// Under the same rules as <see cref="ApiKey"/>: never in a log, exception message or result; refused over plain http
    /// to a host other than loopback unless <see cref="AllowUnencryptedApiKey"/> is set; blank or with control characters
    /// rejected (without echoing it). Sent along with <see cref="ApiKey"/> when both are set.
    /// </summary>
    public string? BearerToken
    {
        get => _bearerToken;
        set => _bearerToken = CheckSecret(value, nameof(BearerToken), "token");
    }

    /// <summary>
    /// The <c>User-Agent</c> of every request, or <see langword="null"/> for the client's own (<c>VideoTranslation.PS/x.y.z</c>,
    /// the default). Sent as given; blank or with control characters is rejected.
    /// </summary>
    public string? UserAgent
    {
        get => _userAgent;
        set
        {
            if (value is not null && (string.IsNullOrWhiteSpace(value) || RequestHeaders.HasControlCharacter(value)))
            {
                throw new ArgumentException("UserAgent must be non-blank and without control characters (line breaks included).", nameof(UserAgent));
            }

            _userAgent = value;
        }
    }

    /// <summary>
    /// Extra headers sent on every request (a gateway's tenant id, a tracing header), or <see langword="null"/> for none
    /// (default). Checked and copied when set: a name must be a valid HTTP header name, set once (names ignore case); a
    /// value must not hold control characters; and none may be a header the client sets itself — <c>X-Api-Key</c>
    /// (use <see cref="ApiKey"/>), <c>Authorization</c> (use <see cref="BearerToken"/>), <c>User-Agent</c> (use
    /// <see cref="UserAgent"/>), <c>Accept</c>, <c>Content-Type</c>, <c>Host</c>, <c>Content-Length</c>,
    /// <c>Transfer-Encoding</c>, <c>Connection</c>. Values never appear in a log or an exception message.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Headers
    {
        get => _headers;
        set => _headers = value is null ? null : RequestHeaders.Check(value, nameof(Headers));
    }

    /// <summary>
    /// Send <see cref="ApiKey"/> and <see cref="BearerToken"/> even over plain http to a host that is not loopback,
    /// where anyone on the path can read them. Default <see langword="false"/>: such a client is refused at construction.
    /// </summary>
    public bool AllowUnencryptedApiKey { get; set; }

    /// <summary>Where the client logs (attempts at Debug, state changes at Information, retries at Warning). Default: nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The clock for delays, deadlines and timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(TimeProvider), "TimeProvider must not be null.");
    }

    /// <summary>
    /// The server's wire format: how status requests, answers and error bodies look, and how jobs are created.
    /// <see cref="TranslationService.Simulator"/> (the default), <see cref="TranslationService.HeyGen"/>, another built-in,
    /// or <see cref="TranslationService.FromProfile"/> for any JSON status API. <see cref="TranslationService.ForUri"/>
    /// picks one from an address.
    /// </summary>
    public TranslationService Service
    {
        get => _service;
        set => _service = value ?? throw new ArgumentNullException(nameof(Service), "Service must not be null; the default is TranslationService.Simulator.");
    }

    internal TranslationClientOptions Clone() => (TranslationClientOptions)MemberwiseClone();

    private static string? CheckSecret(string? value, string name, string what)
    {
        if (value is not null && (string.IsNullOrWhiteSpace(value) || HasControlCharacter(value)))
        {
            throw new ArgumentException(
                $"{name} must be a non-blank {what} without control characters (line breaks included); the value given is not shown.",
                name);
        }

        return value;
    }

    private static bool HasControlCharacter(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
