using System.Text.Json.Serialization;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Contracts;

/// <summary>GET /status: the original contract, exactly one field.</summary>
internal sealed record StatusResponse(string Result);

/// <summary>
/// GET /jobs/{id}/status and the body of a 201 from POST /jobs. <see cref="CompletedAt"/>: when a finished job ended
/// (GET /jobs/{id}'s completedAt), so a client can measure how late it noticed; the 201 leaves it out.
/// </summary>
internal sealed record JobStatusResponse(
    string Id,
    string Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Progress = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EtaSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompletedAt = null);

/// <summary>POST /jobs body; every field is optional.</summary>
internal sealed record CreateJobRequest(double? DelaySeconds, string? Outcome);

/// <summary>GET /jobs/{id}: the job's settings and its server-side times.</summary>
internal sealed record JobDetailsResponse(
    string Id,
    string Result,
    double DelaySeconds,
    string Outcome,
    double? ErrorProbability,
    bool DelayOverridden,
    bool OutcomeOverridden,
    DateTimeOffset CreatedAt,
    DateTimeOffset CompletesAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ResultFirstServedAt,
    DateTimeOffset? ExpiresAt,
    long StatusRequests,
    int HeldRequests);

/// <summary>GET /health: up, and how many jobs the store holds (to watch for growth in a long run).</summary>
internal sealed record HealthResponse(string Status, int Jobs, int MaxJobs);

/// <summary>GET /capabilities: what this server supports, for clients that want to ask instead of probe.</summary>
internal sealed record CapabilitiesResponse(
    bool LongPoll,
    double? MaxWaitSeconds,
    bool Hints,
    bool ApiKeyRequired,
    string StartupJobId,
    GroupLongPollCapability? GroupLongPoll,
    string Service,
    int? ConcurrencyLimit);

/// <summary>GET and PUT /admin/faults.</summary>
internal sealed record FaultStateResponse(
    FaultOptions Faults,
    DateTimeOffset? UnavailableUntil,
    IReadOnlyDictionary<string, long> Injected);
