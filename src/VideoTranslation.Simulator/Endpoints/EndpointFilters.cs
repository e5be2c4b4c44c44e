using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Faults;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>Answers 401 to requests without the configured API key; lets everything through when no key is set.</summary>
internal sealed class ApiKeyFilter(IOptions<SimulatorOptions> options, ServiceWire fallback) : IEndpointFilter
{
    public const string HeaderName = ServiceWire.ApiKeyHeader;

    private readonly byte[]? _expected = options.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_expected is null)
        {
            return next(context);
        }

        var wire = ServiceWire.Of(context.HttpContext, fallback);
        var provided = wire.ProvidedApiKey(context.HttpContext.Request);
        if (provided is null)
        {
            return ValueTask.FromResult<object?>(wire.Error(WireError.Unauthorized, $"This simulator requires an API key: {wire.ApiKeyHelp}."));
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(provided), _expected))
        {
            return ValueTask.FromResult<object?>(wire.Error(WireError.Unauthorized, $"{wire.ApiKeyName} does not match the simulator's API key."));
        }

        return next(context);
    }
}

/// <summary>Answers 503 with Retry-After while the "unavailable for N seconds" window is open.</summary>
internal sealed class UnavailableFilter(FaultInjector faults, TimeProvider time, ServiceWire fallback) : IEndpointFilter
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
        var wire = ServiceWire.Of(context.HttpContext, fallback);
        Problems.SetRetryAfter(context.HttpContext.Response, remaining.TotalSeconds);
        return ValueTask.FromResult<object?>(wire.Error(
            WireError.ServiceUnavailable,
            $"The simulator plays unavailable for another {Problems.Seconds(remaining)} s (injected fault: UnavailableForSeconds)."));
    }
}

/// <summary>Injects the per-request faults of the status routes, in the envelope of the service the simulator speaks.</summary>
internal sealed class FaultFilter(FaultInjector faults, TimeProvider time, ServiceWire fallback) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var wire = ServiceWire.Of(http, fallback);
        switch (faults.Draw())
        {
            case FaultKind.InternalError:
                return wire.Error(WireError.InternalError, "Injected fault: InternalErrorProbability.");
            case FaultKind.ServiceUnavailable:
                return wire.Error(WireError.ServiceUnavailable, "Injected fault: ServiceUnavailableProbability.");
            case FaultKind.TooManyRequests:
                SetRetryAfter(http.Response, faults.Settings);
                return wire.Error(
                    WireError.RateLimitExceeded,
                    "Injected fault: TooManyRequestsProbability. Retry after the Retry-After header's seconds.");
            case FaultKind.Slow:
                await Task.Delay(TimeSpan.FromSeconds(faults.Settings.SlowSeconds), time, http.RequestAborted);
                return await next(context);
            case FaultKind.MalformedBody:
                return TypedResults.Text(wire.MalformedBody, "application/json", statusCode: StatusCodes.Status200OK);
            case FaultKind.UnknownResult:
                return wire.UnknownStatusWord(http.Request.RouteValues["id"] as string ?? http.Request.Query["video_id"].ToString());
            case FaultKind.DropConnection:
                http.Abort();
                return TypedResults.Empty;
            default:
                return await next(context);
        }
    }

    private void SetRetryAfter(HttpResponse response, FaultOptions settings)
    {
        if (string.Equals(settings.RetryAfterFormat?.Trim(), "date", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 HTTP-date; whole seconds, rounded up so a client never comes back too early.
            var ticks = time.GetUtcNow().AddSeconds(settings.RetryAfterSeconds).UtcTicks;
            var at = new DateTimeOffset((ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            response.Headers.RetryAfter = at.ToString("R", CultureInfo.InvariantCulture);
        }
        else
        {
            Problems.SetRetryAfter(response, settings.RetryAfterSeconds, minimum: 0);
        }
    }
}
