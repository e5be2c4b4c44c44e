using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Endpoints.HeyGen;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Webhooks;

/// <summary>One webhook delivery, for GET /admin/webhooks: where, what, how many attempts, and how it ended.</summary>
internal sealed record WebhookDelivery(string JobId, Uri Url, string EventType, int Attempts, int? StatusCode, bool Delivered, string? Error, DateTimeOffset At);

/// <summary>
/// POSTs HeyGen's webhook event to a job's callback_url when the job ends: a bounded timeout per attempt and a few
/// retries (Webhooks:*). A receiver that fails, hangs or is not there is logged and never reaches a request of the
/// simulator. The last <see cref="MaxKept"/> deliveries are kept for GET /admin/webhooks.
/// </summary>
internal sealed partial class WebhookSender : IDisposable
{
    public const int MaxKept = 200;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookSender> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();

    public WebhookSender(TimeProvider time, IOptions<SimulatorOptions> options, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _options = options.Value.Webhooks;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IReadOnlyList<WebhookDelivery> Deliveries => [.. _deliveries];

    /// <summary>Sends the job's end event to its callback_url once it ends (nothing when it has none, or is removed first).</summary>
    public void Watch(Job job, Func<Job, DateTimeOffset, object> payload)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(payload);
        if (job.Details.CallbackUrl is not { } url)
        {
            return;
        }

        _ = job.Settled.ContinueWith(
            _ => DeliverAsync(job, url, payload),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    private async Task DeliverAsync(Job job, Uri url, Func<Job, DateTimeOffset, object> payload)
    {
        var now = _time.GetUtcNow();
        if (job.IsRemoved || !job.IsFinishedAt(now) || _stopping.IsCancellationRequested)
        {
            return; // removed, or the server is stopping: nothing ended
        }

        var body = payload(job, now);
        var eventType = HeyGenEvents.EventType(job, now);
        int? status = null;
        string? error = null;
        var attempts = 0;
        for (var attempt = 0; attempt <= _options.Retries && !_stopping.IsCancellationRequested; attempt++)
        {
            if (attempt > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(_options.RetryDelaySeconds), _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            attempts++;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            try
            {
                using var response = await _http.PostAsJsonAsync(url, body, HeyGenWire.Json, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    Keep(new WebhookDelivery(job.Id, url, eventType, attempts, status, true, null, _time.GetUtcNow()));
                    return;
                }

                error = $"HTTP {status}";
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                status = null;
                error = ex is OperationCanceledException ? $"no answer within {_options.TimeoutSeconds} s" : ex.Message;
            }

            LogAttemptFailed(_logger, eventType, job.Id, url, attempts, error);
        }

        Keep(new WebhookDelivery(job.Id, url, eventType, attempts, status, false, error, _time.GetUtcNow()));
        LogGaveUp(_logger, eventType, job.Id, url, attempts);
    }

    private void Keep(WebhookDelivery delivery)
    {
        _deliveries.Enqueue(delivery);
        while (_deliveries.Count > MaxKept && _deliveries.TryDequeue(out _))
        {
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _http.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventType} for job {JobId} to {Url}: attempt {Attempt} failed ({Error})")]
    private static partial void LogAttemptFailed(ILogger logger, string eventType, string jobId, Uri url, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventType} for job {JobId} to {Url}: gave up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventType, string jobId, Uri url, int attempts);
}
