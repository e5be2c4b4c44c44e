using Microsoft.AspNetCore.Http.HttpResults;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Faults;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>GET and PUT /admin/faults: drive one server through a scenario at run time; GET /admin/webhooks: the webhook deliveries. Never faulted.</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin").AddEndpointFilter<ApiKeyFilter>();
        group.MapGet("/faults", GetFaults);
        group.MapPut("/faults", PutFaults);
        group.MapGet("/webhooks", (Webhooks.WebhookSender webhooks) => TypedResults.Ok(new { deliveries = webhooks.Deliveries }));
        return group;
    }

    private static Ok<FaultStateResponse> GetFaults(FaultInjector faults) => TypedResults.Ok(State(faults));

    private static async Task<Results<Ok<FaultStateResponse>, ProblemHttpResult>> PutFaults(
        HttpRequest request, FaultInjector faults, CancellationToken cancellationToken)
    {
        var (body, error) = await SimulatorJson.ReadOptionalBodyAsync<FaultOptions>(request, cancellationToken);
        if (error is not null)
        {
            return Problems.BadRequest(error);
        }

        // PUT replaces the whole set: fields left out go back to their defaults (no faults).
        body ??= new FaultOptions();
        var errors = new List<string>();
        SimulatorOptionsValidator.ValidateFaults(body, JsonName, errors);
        if (errors.Count > 0)
        {
            return Problems.BadRequest(string.Join(" ", errors));
        }

        faults.Apply(body);
        return TypedResults.Ok(State(faults));
    }

    private static FaultStateResponse State(FaultInjector faults) => new(
        faults.Settings,
        faults.UnavailableUntil,
        faults.Injected.ToDictionary(pair => JsonName(pair.Key.ToString()), pair => pair.Value));

    private static string JsonName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
