using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>Where a job is in HeyGen's terms; each API spells these in its own words.</summary>
internal enum HeyGenPhase
{
    /// <summary>The first tenth of the job's delay (only v1 video status has a word of its own for it: waiting).</summary>
    Waiting,

    /// <summary>Queued: up to a quarter of the job's delay.</summary>
    Pending,

    /// <summary>Rendering: the rest of the delay.</summary>
    Running,

    Completed,

    Failed,
}

/// <summary>
/// What all the HeyGen APIs share: the job's phase, its signed result URL, its failure message, and a body that
/// carries nulls (HeyGen's fields are nullable, not absent). Each subclass is one API's envelope and status body,
/// kept in one file each: <see cref="HeyGenV3Wire"/>, <see cref="HeyGenV2Wire"/>, <see cref="HeyGenV1Wire"/>.
/// </summary>
internal abstract class HeyGenWire : ServiceWire
{
    /// <summary>Per-job override of the delay on a HeyGen create (a simulator extension; HeyGen ignores unknown headers).</summary>
    public const string DelayHeader = "X-Simulator-Delay-Seconds";

    /// <summary>Per-job override of the outcome: completed or failed, or a comma list, one per output language.</summary>
    public const string OutcomeHeader = "X-Simulator-Outcome";

    /// <summary>Where the simulator serves the result files its URLs point at.</summary>
    public const string ResultsPath = "/simulated-results";

    /// <summary>HeyGen's result URLs expire after 7 days.</summary>
    public static readonly TimeSpan ResultUrlLifetime = TimeSpan.FromDays(7);

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);
    private static long s_signatures;

    /// <summary>HeyGen's JSON: snake_case fields written as they are, nulls included.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = null,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // URLs keep their '&' as HeyGen writes them
    };

    public static HeyGenPhase PhaseOf(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        switch (job.ResultAt(now))
        {
            case JobResult.Completed:
                return HeyGenPhase.Completed;
            case JobResult.Error:
                return HeyGenPhase.Failed;
        }

        var delay = job.CompletesAt - job.CreatedAt;
        var elapsed = now - job.CreatedAt;
        return elapsed < delay * 0.1 ? HeyGenPhase.Waiting
            : elapsed < delay * 0.25 ? HeyGenPhase.Pending
            : HeyGenPhase.Running;
    }

    /// <summary>The failure message of a failed job.</summary>
    public static string FailureMessage(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Plan.OutcomeOverridden
            ? $"Simulated failure: the create asked for it ({OutcomeHeader} or outcome)."
            : "Simulated failure: the job's outcome was drawn from the error model (Error:Probability).";
    }

    /// <summary>
    /// A presigned URL of the job's result, signed anew on every call (HeyGen regenerates Expires and the signature on
    /// every status call); it points at this simulator, which serves a few bytes there.
    /// </summary>
    public static string ResultUrl(HttpRequest request, Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ResultUrl(Origin(request), job, now);
    }

    /// <summary>The scheme and host the client reached the simulator at, e.g. http://127.0.0.1:5080.</summary>
    public static string Origin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}";
    }

    public static string ResultUrl(string origin, Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var expires = (now + ResultUrlLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Interlocked.Increment(ref s_signatures).ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{job.Id}|{expires}|{nonce}")));
        return $"{origin}{ResultsPath}/{job.Id}.mp4?Expires={expires}&Key-Pair-Id=SIMULATOR{nonce}&Signature={signature}";
    }

    public static long? UnixSeconds(DateTimeOffset? at) => at?.ToUnixTimeSeconds();

    /// <summary>The body of a 200 status answer for <paramref name="job"/> on this API.</summary>
    public abstract object StatusBody(HttpRequest request, Job job, DateTimeOffset now);

    /// <summary>The body of a 200 status answer whose word is outside the API's contract.</summary>
    public abstract object StatusBodyWithWord(string id, string word);

    public override IResult UnknownStatusWord(string? id) => TypedResults.Json(StatusBodyWithWord(id ?? "", "unknown"), Json);

    protected static IResult Envelope(WireError error, object body) => TypedResults.Json(body, Json, statusCode: StatusOf(error));
}
