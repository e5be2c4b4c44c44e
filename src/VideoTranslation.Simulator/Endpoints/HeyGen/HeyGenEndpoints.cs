using System.Text;
using Microsoft.AspNetCore.Mvc;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Jobs;
using VideoTranslation.Simulator.Webhooks;

namespace VideoTranslation.Simulator.Endpoints.HeyGen;

/// <summary>
/// The routes of the HeyGen mode the simulator runs in (Service): HeyGen v3 translations, v2 video_translate, or video
/// status (v1 and v3; its jobs are made with POST /jobs). Each route group carries its API's <see cref="ServiceWire"/> as
/// metadata, so the shared filters (API key, unavailable window, faults) answer in that API's envelope.
/// </summary>
internal static class HeyGenEndpoints
{
    public static IEndpointRouteBuilder MapHeyGen(this IEndpointRouteBuilder routes, SimulatedService service)
    {
        switch (service)
        {
            case SimulatedService.HeyGen:
                var v3 = Group(routes, "/v3/video-translations", new HeyGenV3Wire());
                v3.MapPost("", CreateV3);
                v3.MapGet("/{id}", GetStatus).AddEndpointFilter<FaultFilter>();
                break;
            case SimulatedService.HeyGenV2:
                var v2 = Group(routes, "/v2/video_translate", new HeyGenV2Wire());
                v2.MapPost("", CreateV2);
                v2.MapGet("/{id}", GetStatus).AddEndpointFilter<FaultFilter>();
                break;
            case SimulatedService.HeyGenVideo:
                Group(routes, "/v1", new HeyGenV1Wire())
                    .MapGet("/video_status.get", (HttpContext http, JobStore store, TimeProvider time, [FromQuery(Name = "video_id")] string? videoId) => Status(http, videoId, store, time))
                    .AddEndpointFilter<FaultFilter>();
                Group(routes, "/v3/videos", new HeyGenV3Wire(videos: true)).MapGet("/{id}", GetStatus).AddEndpointFilter<FaultFilter>();
                break;
            default:
                return routes;
        }

        routes.MapGet(HeyGenWire.ResultsPath + "/{id}.mp4", GetResultFile);
        return routes;
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder routes, string prefix, HeyGenWire wire) =>
        routes.MapGroup(prefix)
            .WithMetadata(wire)
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<UnavailableFilter>();

    private static HeyGenWire WireOf(HttpContext http) => (HeyGenWire)ServiceWire.Of(http, fallback: null!);

    private static IResult GetStatus(HttpContext http, string id, JobStore store, TimeProvider time) => Status(http, id, store, time);

    private static IResult Status(HttpContext http, string? id, JobStore store, TimeProvider time)
    {
        var wire = WireOf(http);
        if (string.IsNullOrWhiteSpace(id))
        {
            return wire.Error(WireError.MissingParameter, "video_id is required.", "video_id");
        }

        if (store.Find(id) is not { } job)
        {
            return wire.Error(WireError.NotFound, $"Video {id} not found (jobs are removed {Problems.Seconds(store.Retention)} s after they finish, Jobs:RetentionSeconds).");
        }

        var now = time.GetUtcNow();
        var body = wire.StatusBody(http.Request, job, now);
        if (!http.RequestAborted.IsCancellationRequested)
        {
            job.RecordStatusAnswer(job.ResultAt(now), now);
        }

        return TypedResults.Json(body, HeyGenWire.Json);
    }

    /// <summary>POST /v3/video-translations: one job per output language; Idempotency-Key honoured.</summary>
    private static async Task<IResult> CreateV3(HttpContext http, CreatePipeline pipeline, WebhookSender webhooks, CancellationToken cancellationToken)
    {
        var wire = WireOf(http);
        var text = await ReadAsync(http, cancellationToken);
        return await pipeline.RunAsync(http, text, wire, idempotent: true, () =>
        {
            if (!HeyGenCreateRequest.TryReadV3(text, out var details, out var error))
            {
                return Invalid(wire, error!);
            }

            if (Create(http, pipeline, webhooks, wire, details, out var refusal) is not { } jobs)
            {
                return refusal!;
            }

            return TypedResults.Json(new { data = new { video_translation_ids = jobs.Select(j => j.Id).ToArray() } }, HeyGenWire.Json, statusCode: StatusCodes.Status200OK);
        });
    }

    /// <summary>POST /v2/video_translate: one job; HeyGen documents no Idempotency-Key on v2, so it is ignored here.</summary>
    private static async Task<IResult> CreateV2(HttpContext http, CreatePipeline pipeline, WebhookSender webhooks, CancellationToken cancellationToken)
    {
        var wire = WireOf(http);
        var text = await ReadAsync(http, cancellationToken);
        return await pipeline.RunAsync(http, text, wire, idempotent: false, () =>
        {
            if (!HeyGenCreateRequest.TryReadV2(text, out var details, out var error))
            {
                return Invalid(wire, error!);
            }

            if (Create(http, pipeline, webhooks, wire, [details!], out var refusal) is not [var job])
            {
                return refusal!;
            }

            return TypedResults.Json(new { error = (object?)null, data = new { video_translate_id = job.Id } }, HeyGenWire.Json, statusCode: StatusCodes.Status200OK);
        });
    }

    private static IReadOnlyList<Job>? Create(HttpContext http, CreatePipeline pipeline, WebhookSender webhooks, HeyGenWire wire, List<JobDetails> details, out IResult? refusal)
    {
        if (!HeyGenCreateRequest.TryReadOverrides(http.Request, details.Count, out var overrides, out var error))
        {
            refusal = Invalid(wire, error!);
            return null;
        }

        var jobs = pipeline.CreateJobs(http.Response, wire, [.. overrides.Zip(details, (o, d) => (o, (JobDetails?)d))], out refusal);
        var payload = HeyGenEvents.Translation(HeyGenWire.Origin(http.Request));
        foreach (var job in jobs ?? [])
        {
            webhooks.Watch(job, payload);
        }

        return jobs;
    }

    private static IResult Invalid(HeyGenWire wire, CreateBodyError error) =>
        wire.Error(error.Missing ? WireError.MissingParameter : WireError.InvalidParameter, error.Message, error.Param);

    private static async Task<string> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>What a result URL points at: a few bytes standing in for the video, once the job has completed.</summary>
    private static IResult GetResultFile(string id, JobStore store, TimeProvider time) =>
        store.Find(id) is { } job && job.ResultAt(time.GetUtcNow()) == JobResult.Completed
            ? TypedResults.Bytes(Encoding.ASCII.GetBytes($"simulated video of job {id}\n"), "video/mp4")
            : TypedResults.NotFound();
}
