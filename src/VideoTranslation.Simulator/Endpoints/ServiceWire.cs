using Microsoft.AspNetCore.WebUtilities;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>The errors a route answers, by meaning; each service spells them in its own envelope.</summary>
internal enum WireError
{
    InvalidParameter,
    MissingParameter,
    Unauthorized,
    NotFound,
    RequestInProgress,
    RateLimitExceeded,
    InternalError,
    ServiceUnavailable,
}

/// <summary>
/// What differs between the APIs the simulator speaks where the shared filters answer: the error envelope, where the
/// API key is read from, and the bodies of the malformed/unknown-word faults. One instance per run (the Service setting).
/// </summary>
internal abstract class ServiceWire
{
    public const string ApiKeyHeader = "X-Api-Key";

    public abstract SimulatedService Service { get; }

    /// <summary>A body cut off in the middle: JSON parsers must fail on it.</summary>
    public abstract string MalformedBody { get; }

    /// <summary>The wire of the route that is answering: its own (HeyGen routes carry one as metadata), else <paramref name="fallback"/>.</summary>
    public static ServiceWire Of(HttpContext http, ServiceWire fallback)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.GetEndpoint()?.Metadata.GetMetadata<ServiceWire>() ?? fallback;
    }

    public static int StatusOf(WireError error) => error switch
    {
        WireError.InvalidParameter or WireError.MissingParameter => StatusCodes.Status400BadRequest,
        WireError.Unauthorized => StatusCodes.Status401Unauthorized,
        WireError.NotFound => StatusCodes.Status404NotFound,
        WireError.RequestInProgress => StatusCodes.Status409Conflict,
        WireError.RateLimitExceeded => StatusCodes.Status429TooManyRequests,
        WireError.InternalError => StatusCodes.Status500InternalServerError,
        WireError.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    /// <summary>The error answer in this service's envelope; <paramref name="param"/> names the request field at fault.</summary>
    public abstract IResult Error(WireError error, string message, string? param = null);

    /// <summary>The API key the request carries, or null: X-Api-Key here, and Authorization: Bearer where the API takes it.</summary>
    public virtual string? ProvidedApiKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Headers[ApiKeyHeader].ToString();
        return key.Length > 0 ? key : null;
    }

    /// <summary>What carried the key, for the 401 message of a wrong key.</summary>
    public virtual string ApiKeyName => $"The {ApiKeyHeader} header";

    /// <summary>How to send the key, for the 401 message.</summary>
    public virtual string ApiKeyHelp => $"send it in the {ApiKeyHeader} header";

    /// <summary>A 200 whose status word is outside the contract (the UnknownResult fault) for the job <paramref name="id"/>.</summary>
    public abstract IResult UnknownStatusWord(string? id);
}

/// <summary>The simulator's own protocol: problem+json (RFC 9457) with a code extension.</summary>
internal sealed class SimulatorWire : ServiceWire
{
    /// <summary>A result value outside the contract.</summary>
    public const string UnknownResult = "processing";

    public override SimulatedService Service => SimulatedService.Simulator;

    public override string MalformedBody => "{\"result\": \"pend";

    public override IResult Error(WireError error, string message, string? param = null)
    {
        var status = StatusOf(error);
        var phrase = ReasonPhrases.GetReasonPhrase(status);
        var title = phrase.Length == 0 ? "Error" : phrase[..1] + phrase[1..].ToLowerInvariant();
        var code = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(error.ToString());
        return TypedResults.Problem(title: title, statusCode: status, detail: message, extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    public override IResult UnknownStatusWord(string? id) => TypedResults.Ok(new Contracts.StatusResponse(UnknownResult));
}
