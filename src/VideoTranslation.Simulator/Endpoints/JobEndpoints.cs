using Microsoft.AspNetCore.Http.HttpResults;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>POST /jobs, GET /jobs/{id}, DELETE /jobs/{id}.</summary>
internal static class JobEndpoints
{
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/jobs")
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<UnavailableFilter>();

        group.MapPost("", CreateJob);
        group.MapGet("/{id}", GetJob);
        group.MapDelete("/{id}", DeleteJob);
        return group;
    }

    /// <summary>POST /jobs: one job, with the delay/outcome overrides of its body; Idempotency-Key and the concurrency limit apply.</summary>
    private static async Task<IResult> CreateJob(
        HttpContext http, CreatePipeline pipeline, ServiceWire wire, TimeProvider time, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return await pipeline.RunAsync(http, text, wire, idempotent: true, () =>
        {
            var (body, error) = SimulatorJson.ParseOptionalBody<CreateJobRequest>(text);
            if (error is not null || !TryReadOverrides(body, out var overrides, out error))
            {
                return Problems.BadRequest(error ?? "");
            }

            if (pipeline.CreateJobs(http.Response, wire, [(overrides, null)], out var refusal) is not [var job])
            {
                return refusal!;
            }

            var result = job.ResultAt(time.GetUtcNow()).ToWire();
            return TypedResults.Created($"/jobs/{job.Id}", new JobStatusResponse(job.Id, result));
        });
    }

    private static Results<Ok<JobDetailsResponse>, ProblemHttpResult> GetJob(string id, JobStore store, TimeProvider time)
    {
        var job = store.Find(id);
        if (job is null)
        {
            return Problems.JobNotFound(id, store.Retention);
        }

        var now = time.GetUtcNow();
        var result = job.ResultAt(now);
        return TypedResults.Ok(new JobDetailsResponse(
            job.Id,
            result.ToWire(),
            job.Plan.DelaySeconds,
            job.Plan.Outcome.ToWire(),
            job.Plan.ErrorProbability,
            job.Plan.DelayOverridden,
            job.Plan.OutcomeOverridden,
            job.CreatedAt,
            job.CompletesAt,
            job.CompletedAt(result),
            job.ResultFirstServedAt,
            store.ExpiresAt(job, now),
            job.StatusRequests,
            job.HeldRequests));
    }

    private static Results<NoContent, ProblemHttpResult> DeleteJob(string id, JobStore store) => store.Remove(id) switch
    {
        RemoveOutcome.Removed => TypedResults.NoContent(),
        RemoveOutcome.Pinned => Problems.Conflict($"Job '{id}' is the startup job behind GET /status; it cannot be deleted."),
        _ => Problems.JobNotFound(id, store.Retention),
    };

    private static bool TryReadOverrides(CreateJobRequest? body, out JobOverrides? overrides, out string error)
    {
        overrides = null;
        error = "";
        if (body is null)
        {
            return true;
        }

        if (body.DelaySeconds is { } delay && !(delay >= 0 && delay <= SimulatorOptionsValidator.MaxDelaySeconds))
        {
            error = $"delaySeconds is {SimulatorOptionsValidator.Format(delay)}; it must be between 0 and {SimulatorOptionsValidator.Format(SimulatorOptionsValidator.MaxDelaySeconds)} seconds.";
            return false;
        }

        JobResult? outcome = body.Outcome switch
        {
            null => null,
            _ when string.Equals(body.Outcome, "completed", StringComparison.OrdinalIgnoreCase) => JobResult.Completed,
            _ when string.Equals(body.Outcome, "error", StringComparison.OrdinalIgnoreCase) => JobResult.Error,
            _ => JobResult.Pending, // marks an unknown value
        };
        if (outcome == JobResult.Pending)
        {
            error = $"outcome is '{body.Outcome}'; it must be \"completed\" or \"error\" (or left out to draw it).";
            return false;
        }

        overrides = new JobOverrides(body.DelaySeconds, outcome);
        return true;
    }
}
