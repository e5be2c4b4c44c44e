using System.Globalization;
using System.Text;

namespace VideoTranslation.Simulator.Configuration;

/// <summary>The --help text, built from the switch mappings so it cannot drift from them.</summary>
internal static class Usage
{
    public static string Text { get; } = Build();

    private const string ServiceModes = """
        Services (--service; docs/protocol.md):
          Simulator    the simulator's own protocol (default): GET /status, /jobs/{id}/status, POST /jobs/status.
          HeyGen       HeyGen v3: POST /v3/video-translations -> {"data":{"video_translation_ids":[...]}} (one job per
                       output language), GET /v3/video-translations/{id} -> {"data":{"id","status","video_url",
                       "failure_message",...}}; pending, running, completed, failed. Errors {"error":{"code","message",
                       "param"?,"doc_url"}}: 400 invalid_parameter, 401 unauthorized, 404 not_found,
                       409 request_in_progress, 429 rate_limit_exceeded, 500 internal_error.
          HeyGenV2     POST /v2/video_translate {"video_url","output_language",...} -> {"error":null,"data":
                       {"video_translate_id"}}, GET /v2/video_translate/{id} -> {"error":null,"data":{"video_translate_id",
                       "title","status","url","message"}}; pending, running, success, failed. Errors {"error":{"code",
                       "message"},"data":null} (40001, 400175, 400112, 40031, else the v3 code).
          HeyGenVideo  GET /v1/video_status.get?video_id= -> {"code":100,"data":{...,"status","video_url","error"},
                       "message":"Success"} (waiting, pending, processing, completed, failed; errors {"code","data":null,
                       "message"}) and GET /v3/videos/{id} (v3 envelope; pending, processing, completed, failed).
                       Jobs are made with POST /jobs.
        In the HeyGen modes the simulator's own status routes are not served; /health, /capabilities, /admin/faults,
        /admin/webhooks, POST /jobs and GET/DELETE /jobs/{id} are, in every mode (problem+json, as ever). Phases: waiting
        for the first 10% of a job's delay, pending to 25%, then running. A result URL is signed anew on every status call
        and expires in 7 days; it points at GET /simulated-results/{id}.mp4 here.
        The API key (--api-key) is X-Api-Key on every route but /health and /capabilities.
        Per job (HeyGen creates; HeyGen ignores unknown headers): X-Simulator-Delay-Seconds: N, X-Simulator-Outcome:
          completed|failed (or a comma list, one per output language). POST /jobs takes {"delaySeconds","outcome"}.
        Idempotency-Key (v3 create and POST /jobs; v2 documents none and ignores it): a repeat within 24 h (simulated
          clock) on the same route replays the first successful answer (header Idempotent-Replayed: true), even with
          another body; 409 request_in_progress while the first is being handled; failed creates are not remembered.
        --concurrency-limit N: a create that would leave more than N unfinished jobs answers 429 rate_limit_exceeded with
          Retry-After (when a slot frees). Default 10 in the HeyGen modes, none in Simulator mode.
        Faults: the status faults (--fault-500/503/429/slow/malformed/unknown-result/drop) apply to the HeyGen status
          routes in that API's envelope (429 with Retry-After and rate_limit_exceeded); on creates, --fault-slow-create
          holds the answer --slow-seconds after the jobs were made and --fault-drop-after-create makes the jobs, then
          drops the connection unanswered (retry with the same Idempotency-Key: the same jobs, none more). Both also in
          PUT /admin/faults (slowCreateProbability, dropAfterCreateProbability).
        Webhooks: a translation created with callback_url gets {"event_type":"video_translate.success"|".fail",
          "event_data":{"video_translate_id","url"|"message","callback_id","output_language"}} POSTed when it ends
          (--webhook-timeout s per attempt, --webhook-retries more tries --webhook-retry-delay s apart; failures are
          logged and listed at GET /admin/webhooks).

        """;

    private static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine("VideoTranslation.Simulator: a video-translation backend for testing clients.");
        text.AppendLine();
        text.AppendLine("Usage: VideoTranslation.Simulator [--switch value | --Section:Key value | --Section:Key=value] ...");
        text.AppendLine();
        text.AppendLine("Switches (each maps to a configuration key; docs/protocol.md has defaults and ranges):");
        foreach (var (switchName, key) in SimulatorConfiguration.SwitchMappings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {switchName,-24} {key}");
        }

        text.AppendLine();
        text.Append(ServiceModes);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Every key can also come from an environment variable {SimulatorConfiguration.EnvironmentPrefix}Section__Key");
        text.AppendLine("or from a JSON file given with --config (command line > environment > file).");
        text.AppendLine("On start the server writes one line to stdout: {\"event\":\"listening\",\"url\":\"http://127.0.0.1:PORT\",\"pid\":N}");
        return text.ToString();
    }
}
