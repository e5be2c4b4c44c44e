using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Faults;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>Answers 401 to requests without the configured X-Api-Key; lets everything through when no key is set.</summary>
internal sealed class ApiKeyFilter(IOptions<SimulatorOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _expected = options.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_expected is null)
        {
            return next(context);
        }

        var provided = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (provided.Length == 0)
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized($"This simulator requires an API key: send it in the {HeaderName} header."));
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(provided), _expected))
        {
            return ValueTask.FromResult<object?>(Problems.Unauthorized($"The {HeaderName} header does not match the simulator's API key."));
        }

        return next(context);
    }
}

/// <summary>Answers 503 with Retry-After while the "unavailable for N seconds" window is open.</summary>
internal sealed class UnavailableFilter(FaultInjector faults, TimeProvider time) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var remaining = faults.UnavailableFor(time.GetUtcNow());
        if (remaining <= TimeSpan.Zero)
        {
            return next(context);
        }

        faults.Count(FaultKind.Unavailable);
        Problems.SetRetryAfter(context.HttpContext.Response, remaining.TotalSeconds);
        return ValueTask.FromResult<object?>(Problems.Unavailable(
            $"The simulator plays unavailable for another {Problems.Seconds(remaining)} s (injected fault: UnavailableForSeconds)."));
    }
}

/// <summary>Injects the per-request faults of the status routes.</summary>
internal sealed class FaultFilter(FaultInjector faults, TimeProvider time) : IEndpointFilter
{
    /// <summary>A body cut off in the middle: JSON parsers must fail on it.</summary>
    public const string MalformedBody = "{\"result\": \"pend";

    /// <summary>A result value outside the contract.</summary>
    public const string UnknownResult = "processing";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        switch (faults.Draw())
        {
            case FaultKind.InternalError:
                return TypedResults.Problem(
                    title: "Internal server error",
                    statusCode: StatusCodes.Status500InternalServerError,
                    detail: "Injected fault: InternalErrorProbability.");
            case FaultKind.ServiceUnavailable:
                return Problems.Unavailable("Injected fault: ServiceUnavailableProbability.");
            case FaultKind.TooManyRequests:
                var settings = faults.Settings;
                if (string.Equals(settings.RetryAfterFormat?.Trim(), "date", StringComparison.OrdinalIgnoreCase))
                {
                    // RFC 9110 HTTP-date; whole seconds, rounded up so a client never comes back too early.
                    var ticks = time.GetUtcNow().AddSeconds(settings.RetryAfterSeconds).UtcTicks;
                    var at = new DateTimeOffset((ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
                    http.Response.Headers.RetryAfter = at.ToString("R", CultureInfo.InvariantCulture);
                }
                else
                {
                    Problems.SetRetryAfter(http.Response, settings.RetryAfterSeconds, minimum: 0);
                }

                return TypedResults.Problem(
                    title: "Too many requests",
                    statusCode: StatusCodes.Status429TooManyRequests,
                    detail: "Injected fault: TooManyRequestsProbability. Retry after the Retry-After header's seconds.");
            case FaultKind.Slow:
                await Task.Delay(TimeSpan.FromSeconds(faults.Settings.SlowSeconds), time, http.RequestAborted);
                return await next(context);
            case FaultKind.MalformedBody:
                return TypedResults.Text(MalformedBody, "application/json", statusCode: StatusCodes.Status200OK);
            case FaultKind.UnknownResult:
                return TypedResults.Ok(new Contracts.StatusResponse(UnknownResult));
            case FaultKind.DropConnection:
                http.Abort();
                return TypedResults.Empty;
            default:
                return await next(context);
        }
    }
}
