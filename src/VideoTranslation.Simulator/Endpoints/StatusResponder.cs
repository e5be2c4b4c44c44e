using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;
using VideoTranslation.Simulator.Models;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>
/// Answers a status request for one job: holds it while the client asked to wait (long-poll), then reports
/// the result with the configured hints. Shared by GET /status and GET /jobs/{id}/status.
/// </summary>
internal sealed class StatusResponder
{
    /// <summary>Sent on every status answer while long-poll is on: the longest honoured wait, in seconds.</summary>
    public const string LongPollMaxHeader = "X-Long-Poll-Max";

    /// <summary>Sent when a request carried ?wait=: the wait the server honoured (after capping), in seconds.</summary>
    public const string LongPollWaitHeader = "X-Long-Poll-Wait";

    /// <summary>Sent on a completed or error answer: when the job ended (ISO 8601, server clock), as GET /jobs/{id} says.</summary>
    public const string CompletedAtHeader = "X-Completed-At";

    private readonly TimeProvider _time;
    private readonly JobStore _store;
    private readonly SeededRandom _noise;
    private readonly HintOptions _hints;
    private readonly LongPollOptions _longPoll;

    public StatusResponder(TimeProvider time, JobStore store, SimulatorRandom random, IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _store = store;
        _noise = random.Hints;
        _hints = options.Value.Hints;
        _longPoll = options.Value.LongPoll;
    }

    /// <summary>Answers the job's status; <paramref name="shape"/> picks the body (GET /status keeps the original one-field body).</summary>
    public async Task<Results<Ok<T>, ProblemHttpResult>> RespondAsync<T>(HttpContext http, Job job, string? wait, Func<JobStatusResponse, T> shape)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(shape);
        var response = http.Response;

        if (_longPoll.Enabled)
        {
            if (!TryParseWait(wait, out var requested, out var error))
            {
                return Problems.BadRequest(error);
            }

            response.Headers[LongPollMaxHeader] = Format(_longPoll.MaxWaitSeconds);
            if (requested is { } seconds)
            {
                var honoured = Math.Min(seconds, _longPoll.MaxWaitSeconds);
                response.Headers[LongPollWaitHeader] = Format(honoured);
                if (honoured > 0 && !job.IsFinishedAt(_time.GetUtcNow()))
                {
                    await HoldAsync(job, TimeSpan.FromSeconds(honoured), http.RequestAborted);
                }
            }
        }

        // A job deleted or expired while a request was held on it is gone for that request too.
        if (job.IsRemoved)
        {
            return Problems.JobNotFound(job.Id, _store.Retention);
        }

        var status = Snapshot(job, _time.GetUtcNow(), served: !http.RequestAborted.IsCancellationRequested, out var eta);
        if (eta is { } retryAfter)
        {
            Problems.SetRetryAfter(response, retryAfter);
        }

        // GET /status cannot add a body field, so the end of a finished job is a header there (and here, for free).
        if (status.CompletedAt is { } completedAt)
        {
            response.Headers[CompletedAtHeader] = completedAt.ToString("O", CultureInfo.InvariantCulture);
        }

        return TypedResults.Ok(shape(status));
    }

    /// <summary>
    /// The job's status as of <paramref name="now"/> with the configured hints on a pending job; counted as a status
    /// answer when <paramref name="served"/> (a client that hung up was served nothing). Shared with POST /jobs/status.
    /// </summary>
    public JobStatusResponse Snapshot(Job job, DateTimeOffset now, bool served) => Snapshot(job, now, served, out _);

    // eta: the unrounded ETA of a pending job with hints (what Retry-After is made from), else null.
    private JobStatusResponse Snapshot(Job job, DateTimeOffset now, bool served, out double? eta)
    {
        ArgumentNullException.ThrowIfNull(job);
        eta = null;
        var result = job.ResultAt(now);
        if (served)
        {
            job.RecordStatusAnswer(result, now);
        }

        if (result != JobResult.Pending || !_hints.Enabled)
        {
            return new JobStatusResponse(job.Id, result.ToWire(), CompletedAt: job.CompletedAt(result));
        }

        var delay = job.CompletesAt - job.CreatedAt;
        var progress = delay <= TimeSpan.Zero ? 1 : Math.Clamp((now - job.CreatedAt) / delay, 0, 1);
        var noisy = NoisyEta(Math.Max(0, (job.CompletesAt - now).TotalSeconds));
        eta = noisy;
        return new JobStatusResponse(job.Id, result.ToWire(), Math.Round(progress, 4), Math.Round(noisy, 3));
    }

    /// <summary>Waits for the job to settle or the wait to pass, whichever is first, on no thread of its own.</summary>
    /// <remarks>
    /// The hold's timer is made before the wait is counted as held: whoever sees the count (a test advancing a fake
    /// clock, the admin view) may rely on the hold's end being already scheduled from that instant.
    /// </remarks>
    private async Task HoldAsync(Job job, TimeSpan wait, CancellationToken aborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        Task holdEnds = Task.Delay(wait, _time, timeout.Token);
        job.EnterWait();
        try
        {
            await Task.WhenAny(job.Settled, holdEnds);
            await timeout.CancelAsync(); // frees the delay's timer when the job settled first
        }
        finally
        {
            job.ExitWait();
        }
    }

    private double NoisyEta(double eta)
    {
        if (_hints.EtaNoise > 0)
        {
            var z = _noise.Draw(GaussianDistribution.StandardNormal);
            eta *= Math.Max(0, 1 + (_hints.EtaNoise * z));
        }

        return eta * _hints.EtaScale;
    }

    internal static bool TryParseWait(string? text, out double? seconds, out string error)
    {
        seconds = null;
        error = "";
        if (text is null)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            error = $"wait is '{text}'; it must be a number of seconds, 0 or more (fractions allowed, e.g. 0.5).";
            return false;
        }

        seconds = value;
        return true;
    }

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
