using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>
/// HeyGen's webhook events for a translation that ended, as its webhook page documents them:
/// <c>{"event_type":"video_translate.success","event_data":{"video_translate_id","url","callback_id","output_language"}}</c>
/// and <c>{"event_type":"video_translate.fail","event_data":{"video_translate_id","message","callback_id","output_language"}}</c>
/// (v3 jobs too: video_translate_id carries the v3 id).
/// </summary>
internal static class HeyGenEvents
{
    public const string Success = "video_translate.success";
    public const string Fail = "video_translate.fail";

    public static string EventType(Job job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.ResultAt(now) == JobResult.Completed ? Success : Fail;
    }

    /// <summary>The payload for <paramref name="job"/>; its result URL points at <paramref name="origin"/> (where the create came in).</summary>
    public static Func<Job, DateTimeOffset, object> Translation(string origin) => (job, now) =>
    {
        var d = job.Details;
        return EventType(job, now) == Success
            ? (object)new
            {
                event_type = Success,
                event_data = new { video_translate_id = job.Id, url = HeyGenWire.ResultUrl(origin, job, now), callback_id = d.CallbackId, output_language = d.Language },
            }
            : new
            {
                event_type = Fail,
                event_data = new { video_translate_id = job.Id, message = HeyGenWire.FailureMessage(job), callback_id = d.CallbackId, output_language = d.Language },
            };
    };
}
