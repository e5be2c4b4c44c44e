using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>
/// HeyGen v2 video_translate: every answer is <c>{"error":…,"data":…}</c>; an error is <c>{"error":{"code","message"},
/// "data":null}</c> with HeyGen's numeric codes where its error list has one (40001 MISSING_PARAMS, 400175
/// INVALID_PARAMETER, 400112 UNAUTHORIZED, 40031 INVALID_VIDEO_ID), else the v3 code string; the status body is
/// <c>{"video_translate_id","title","status","url","message"}</c> with pending, running, success, failed.
/// </summary>
internal sealed class HeyGenV2Wire : HeyGenWire
{
    public override SimulatedService Service => SimulatedService.HeyGenV2;

    public override string MalformedBody => "{\"error\":null,\"data\":{\"status\":\"pend";

    /// <summary>HeyGen's legacy error codes (docs.heygen.com/reference/errors), where one fits; else v3's code.</summary>
    public static object Code(WireError error) => error switch
    {
        WireError.MissingParameter => 40001,
        WireError.InvalidParameter => 400175,
        WireError.Unauthorized => 400112,
        WireError.NotFound => 40031,
        _ => HeyGenV3Wire.Code(error),
    };

    /// <summary>The legacy envelope has no param field.</summary>
    public override IResult Error(WireError error, string message, string? param = null) =>
        Envelope(error, new { error = new { code = Code(error), message }, data = (object?)null });

    public static string Word(HeyGenPhase phase) => phase switch
    {
        HeyGenPhase.Waiting or HeyGenPhase.Pending => "pending",
        HeyGenPhase.Running => "running",
        HeyGenPhase.Completed => "success",
        _ => "failed",
    };

    public override object StatusBody(HttpRequest request, Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var phase = PhaseOf(job, now);
        return new
        {
            error = (object?)null,
            data = new
            {
                video_translate_id = job.Id,
                title = job.Details.Title,
                status = Word(phase),
                url = phase == HeyGenPhase.Completed ? ResultUrl(request, job, now) : null,
                message = phase == HeyGenPhase.Failed ? FailureMessage(job) : null,
            },
        };
    }

    public override object StatusBodyWithWord(string id, string word) =>
        new { error = (object?)null, data = new { video_translate_id = id, status = word } };
}
