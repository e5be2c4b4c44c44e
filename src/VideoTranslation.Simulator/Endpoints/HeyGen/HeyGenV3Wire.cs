using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>
/// HeyGen v3: errors <c>{"error":{"code","message","param"?,"doc_url"}}</c> (param only on validation errors), and the
/// status bodies of GET /v3/video-translations/{id} (pending, running, completed, failed) or GET /v3/videos/{id}
/// (pending, processing, completed, failed).
/// </summary>
internal sealed class HeyGenV3Wire(bool videos = false) : HeyGenWire
{
    public const string DocUrl = "https://developers.heygen.com/docs/error-codes";

    public override SimulatedService Service => videos ? SimulatedService.HeyGenVideo : SimulatedService.HeyGen;

    public override string MalformedBody => "{\"data\":{\"status\":\"pend";

    public static string Code(WireError error) => error switch
    {
        WireError.InvalidParameter or WireError.MissingParameter => "invalid_parameter",
        WireError.Unauthorized => "unauthorized",
        WireError.NotFound => "not_found",
        WireError.RequestInProgress => "request_in_progress",
        WireError.RateLimitExceeded => "rate_limit_exceeded",
        WireError.InternalError => "internal_error",
        _ => "service_unavailable",
    };

    public override IResult Error(WireError error, string message, string? param = null)
    {
        var code = Code(error);
        var body = new Dictionary<string, object?> { ["code"] = code, ["message"] = message };
        if (param is not null)
        {
            body["param"] = param;
        }

        body["doc_url"] = $"{DocUrl}#{code.Replace('_', '-')}";
        return Envelope(error, new { error = body });
    }

    public static string Word(HeyGenPhase phase, bool videos) => phase switch
    {
        HeyGenPhase.Waiting or HeyGenPhase.Pending => "pending",
        HeyGenPhase.Running => videos ? "processing" : "running",
        HeyGenPhase.Completed => "completed",
        _ => "failed",
    };

    public override object StatusBody(HttpRequest request, Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var phase = PhaseOf(job, now);
        var d = job.Details;
        var url = phase == HeyGenPhase.Completed ? ResultUrl(request, job, now) : null;
        var failure = phase == HeyGenPhase.Failed ? FailureMessage(job) : null;
        var finished = phase is HeyGenPhase.Completed or HeyGenPhase.Failed;
        if (videos)
        {
            return new
            {
                data = new
                {
                    id = job.Id,
                    status = Word(phase, videos: true),
                    title = d.Title,
                    video_url = url,
                    thumbnail_url = (string?)null,
                    gif_url = (string?)null,
                    captioned_video_url = (string?)null,
                    subtitle_url = (string?)null,
                    duration = (double?)null, // the video's length, which a simulated job does not have
                    created_at = UnixSeconds(job.CreatedAt),
                    completed_at = finished ? UnixSeconds(job.CompletesAt) : null,
                    failure_code = failure is null ? null : "simulated_failure",
                    failure_message = failure,
                    output_language = d.Language,
                },
            };
        }

        return new
        {
            data = new
            {
                id = job.Id,
                status = Word(phase, videos: false),
                output_language = d.Language,
                input_language = (string?)null,
                title = d.Title,
                callback_id = d.CallbackId,
                translate_audio_only = d.Language is null ? (bool?)null : false,
                created_at = UnixSeconds(job.CreatedAt),
                duration = (double?)null,
                video_url = url,
                audio_url = (string?)null,
                failure_message = failure,
            },
        };
    }

    public override object StatusBodyWithWord(string id, string word) => new { data = new { id, status = word } };
}
