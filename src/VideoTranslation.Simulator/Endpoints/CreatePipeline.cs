using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Faults;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>
/// What every create route does around making its jobs: the Idempotency-Key (replay, 409 while in flight, 422 for
/// another body), the concurrency limit's 429, and the create faults (SlowCreate, DropAfterCreate), which strike only
/// after the jobs were made, so a client that never saw the answer can retry with its key and get the same jobs.
/// </summary>
internal sealed partial class CreatePipeline(IdempotencyStore idempotency, JobCreator creator, JobStore store, FaultInjector faults, TimeProvider time, ILogger<CreatePipeline> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set on an answer replayed for a repeated Idempotency-Key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxKeyLength = 255;

    /// <summary>
    /// Runs <paramref name="create"/> once per key: it makes the jobs with <see cref="CreateJobs"/> and returns the answer;
    /// <paramref name="body"/> is the request body as it came, for the key's fingerprint. Without
    /// <paramref name="idempotent"/> (HeyGen v2 documents no Idempotency-Key) the header is ignored.
    /// </summary>
    public async Task<IResult> RunAsync(HttpContext http, string body, ServiceWire wire, bool idempotent, Func<IResult> create)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(create);
        string? key = null;
        if (idempotent && http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            if (values.Count != 1 || !IsValidKey(values.ToString()))
            {
                return wire.Error(WireError.InvalidParameter, $"{IdempotencyKeyHeader} must be one value of 1 to {MaxKeyLength} letters, digits, '_', '-', ':' or '.' (a UUID is a safe choice).", IdempotencyKeyHeader);
            }

            // The scope is the route: the same key on another route or path is another key.
            key = $"{http.Request.Method} {http.Request.Path} {values}";
            var (decision, answer) = idempotency.Begin(key, Fingerprint(body));
            switch (decision)
            {
                case IdempotencyDecision.InProgress:
                    return wire.Error(WireError.RequestInProgress, $"A request with this {IdempotencyKeyHeader} is still being handled; retry once it has been answered.");
                case IdempotencyDecision.Mismatch:
                    // HeyGen replays the first answer even when the body differs, and logs a warning.
                    LogReplayOfOtherBody(logger, values.ToString(), http.Request.Path);
                    http.Response.Headers[ReplayedHeader] = "true";
                    return answer!;
                case IdempotencyDecision.Replay:
                    http.Response.Headers[ReplayedHeader] = "true";
                    return answer!;
            }
        }

        var remembered = false;
        try
        {
            var result = create();
            if (((result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK) is < 200 or >= 300)
            {
                return result; // a refused create is not remembered: the same key may be retried
            }

            var fault = faults.DrawCreate();
            if (fault == FaultKind.SlowCreate)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(faults.Settings.SlowSeconds), time, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client hung up; the jobs exist all the same, and the key remembers them.
                }
            }

            if (key is not null)
            {
                idempotency.Complete(key, result);
                remembered = true;
            }

            if (fault == FaultKind.DropAfterCreate)
            {
                http.Abort();
                return TypedResults.Empty;
            }

            return result;
        }
        finally
        {
            if (key is not null && !remembered)
            {
                idempotency.Abandon(key);
            }
        }
    }

    /// <summary>
    /// Makes the jobs within the concurrency limit, or gives the refusal to answer (429 with Retry-After, or 503 when
    /// the store is full) in <paramref name="refusal"/>.
    /// </summary>
    public IReadOnlyList<Job>? CreateJobs(HttpResponse response, ServiceWire wire, IReadOnlyList<(JobOverrides? Overrides, JobDetails? Details)> jobs, out IResult? refusal)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(jobs);
        var result = creator.Create(jobs);
        refusal = null;
        switch (result.Refusal)
        {
            case CreateRefusal.None:
                return result.Jobs;
            case CreateRefusal.OverConcurrencyLimit:
                Problems.SetRetryAfter(response, result.RetryAfterSeconds);
                refusal = wire.Error(
                    WireError.RateLimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"{result.Unfinished} jobs are still running and the concurrency limit is {result.Limit} (ConcurrencyLimit); this request would start {jobs.Count} more. Retry after the Retry-After header's seconds."));
                return null;
            default:
                refusal = wire.Error(
                    WireError.ServiceUnavailable,
                    $"The simulator holds {store.MaxJobs} jobs, its limit (Jobs:MaxLiveJobs). Finished jobs expire " +
                    $"{Problems.Seconds(store.Retention)} s after they finish (Jobs:RetentionSeconds); DELETE /jobs/{{id}} frees a slot at once.");
                return null;
        }
    }

    private static string Fingerprint(string body) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static bool IsValidKey(string key) =>
        key.Length is >= 1 and <= MaxKeyLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency-Key {Key} on {Path} came again with a different body; replaying the first answer, as HeyGen does")]
    private static partial void LogReplayOfOtherBody(ILogger logger, string key, string path);
}
