using Microsoft.AspNetCore.Http.HttpResults;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>The polled routes: GET /status (original contract), GET /jobs/{id}/status and POST /jobs/status (a group). Faults apply here.</summary>
internal static class StatusEndpoints
{
    public static RouteGroupBuilder MapStatus(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("")
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<UnavailableFilter>()
            .AddEndpointFilter<FaultFilter>();

        group.MapGet("/status", GetStartupStatus);
        group.MapGet("/jobs/{id}/status", GetJobStatus);
        group.MapPost("/jobs/status", GetGroupStatus);
        return group;
    }

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> GetStartupStatus(
        HttpContext http, JobStore store, StatusResponder responder, string? wait)
    {
        var job = store.Find(JobStore.StartupJobId);
        if (job is null)
        {
            return Problems.Unavailable("The startup job does not exist yet; the server is still starting.");
        }

        // The original contract: {"result": ...} and nothing else in the body.
        return await responder.RespondAsync(http, job, wait, status => new StatusResponse(status.Result));
    }

    private static async Task<Results<Ok<JobStatusResponse>, ProblemHttpResult>> GetJobStatus(
        string id, HttpContext http, JobStore store, StatusResponder responder, string? wait)
    {
        var job = store.Find(id);
        if (job is null)
        {
            return Problems.JobNotFound(id, store.Retention);
        }

        return await responder.RespondAsync(http, job, wait, status => status);
    }

    private static async Task<Results<Ok<GroupStatusResponse>, ProblemHttpResult>> GetGroupStatus(
        HttpContext http, GroupStatusResponder responder, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return await responder.RespondAsync(http, body);
    }
}
