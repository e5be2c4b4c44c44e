using System;
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

    private TimeSpan _requestTimeout = DefaultRequestTimeout;
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
        set
        {
            if (value is not null && (string.IsNullOrWhiteSpace(value) || HasControlCharacter(value)))
            {
                throw new ArgumentException(
                    "ApiKey must be a non-blank key without control characters (line breaks included); the value given is not shown.",
                    nameof(ApiKey));
            }

            _apiKey = value;
        }
    }

    /// <summary>
    /// Send <see cref="ApiKey"/> even over plain http to a host that is not loopback, where anyone on the path can read
    /// it. Default <see langword="false"/>: such a client is refused at construction.
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

    /// <summary>The wire format of the server (how status requests and answers look); the simulator's by default.</summary>
    internal TranslationService Service
    {
        get => _service;
        set => _service = value ?? throw new ArgumentNullException(nameof(Service));
    }

    internal TranslationClientOptions Clone() => (TranslationClientOptions)MemberwiseClone();

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
