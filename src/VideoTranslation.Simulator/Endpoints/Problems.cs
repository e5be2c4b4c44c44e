using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>The problem+json answers (RFC 9457) of the simulator, each with a detail a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult JobNotFound(string id, TimeSpan retention) => TypedResults.Problem(
        title: "Job not found",
        statusCode: StatusCodes.Status404NotFound,
        detail: $"There is no job '{id}'. Jobs are removed by DELETE /jobs/{{id}} and {Seconds(retention)} s after they finish (Jobs:RetentionSeconds).");

    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(
        title: "Bad request",
        statusCode: StatusCodes.Status400BadRequest,
        detail: detail);

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(
        title: "Unauthorized",
        statusCode: StatusCodes.Status401Unauthorized,
        detail: detail);

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(
        title: "Conflict",
        statusCode: StatusCodes.Status409Conflict,
        detail: detail);

    public static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(
        title: "Service unavailable",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        detail: detail);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>RFC 9110 Retry-After: whole seconds, rounded up so a client never comes back too early.</summary>
    public static void SetRetryAfter(HttpResponse response, double seconds, int minimum = 1)
    {
        ArgumentNullException.ThrowIfNull(response);
        var whole = double.IsFinite(seconds) ? Math.Max(minimum, (long)Math.Ceiling(seconds)) : minimum;
        response.Headers.RetryAfter = whole.ToString(CultureInfo.InvariantCulture);
    }
}
