using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>
/// HeyGen v1 video status (GET /v1/video_status.get?video_id=): <c>{"code":100,"data":{…},"message":"Success"}</c>; an
/// error is <c>{"code":&lt;number&gt;,"data":null,"message":"…"}</c> (codes as <see cref="HeyGenV2Wire.Code"/>). Words:
/// waiting, pending, processing, completed, failed; a failed job's data.error is <c>{"code","detail","message"}</c>.
/// </summary>
internal sealed class HeyGenV1Wire : HeyGenWire
{
    /// <summary>The top-level code of a successful v1 answer.</summary>
    public const int SuccessCode = 100;

    /// <summary>data.error.code of a simulated failure (HeyGen's own codes each name a real cause).</summary>
    public const int SimulatedFailureCode = 99999;

    public override SimulatedService Service => SimulatedService.HeyGenVideo;

    public override string MalformedBody => "{\"code\":100,\"data\":{\"status\":\"pend";

    public override IResult Error(WireError error, string message, string? param = null) =>
        Envelope(error, new { code = HeyGenV2Wire.Code(error), data = (object?)null, message });

    public static string Word(HeyGenPhase phase) => phase switch
    {
        HeyGenPhase.Waiting => "waiting",
        HeyGenPhase.Pending => "pending",
        HeyGenPhase.Running => "processing",
        HeyGenPhase.Completed => "completed",
        _ => "failed",
    };

    public override object StatusBody(HttpRequest request, Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var phase = PhaseOf(job, now);
        var failure = phase == HeyGenPhase.Failed ? FailureMessage(job) : null;
        return new
        {
            code = SuccessCode,
            data = new
            {
                callback_id = job.Details.CallbackId,
                caption_url = (string?)null,
                created_at = UnixSeconds(job.CreatedAt),
                duration = (double?)null,
                error = failure is null ? null : new { code = SimulatedFailureCode, detail = failure, message = failure },
                gif_url = (string?)null,
                id = job.Id,
                status = Word(phase),
                thumbnail_url = (string?)null,
                video_url = phase == HeyGenPhase.Completed ? ResultUrl(request, job, now) : null,
                video_url_caption = (string?)null,
            },
            message = "Success",
        };
    }

    public override object StatusBodyWithWord(string id, string word) =>
        new { code = SuccessCode, data = new { id, status = word }, message = "Success" };
}
