using Microsoft.AspNetCore.Http.HttpResults;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>The polled routes: GET /status (original contract) and GET /jobs/{id}/status. Faults apply here.</summary>
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
}
