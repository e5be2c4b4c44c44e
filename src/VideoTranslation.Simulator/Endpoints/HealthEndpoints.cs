using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>GET /health and GET /capabilities: no API key, no faults, so a launcher can always tell the server is up.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", (JobStore store) => TypedResults.Ok(new HealthResponse("healthy", store.Count, store.MaxJobs)));
        routes.MapGet("/capabilities", GetCapabilities);
        return routes;
    }

    private static Ok<CapabilitiesResponse> GetCapabilities(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        return TypedResults.Ok(new CapabilitiesResponse(
            o.LongPoll.Enabled,
            o.LongPoll.Enabled ? o.LongPoll.MaxWaitSeconds : null,
            o.Hints.Enabled,
            !string.IsNullOrEmpty(o.ApiKey),
            JobStore.StartupJobId,
            GroupStatusResponder.IsOffered(o.LongPoll) ? new GroupLongPollCapability(GroupStatusRequest.MaxIds, o.LongPoll.MaxWaitSeconds) : null,
            o.Service().ToString(),
            o.EffectiveConcurrencyLimit()));
    }
}
