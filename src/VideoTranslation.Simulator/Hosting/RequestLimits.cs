using System.Globalization;
using VideoTranslation.Simulator.Endpoints;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>
/// The largest request body the simulator takes, and the answer to a larger one: 413 problem+json with
/// <c>Connection: close</c>, sent before the body is read (a declared length over the limit) or as soon as the
/// limit is passed (chunked), and the connection closed, so the rest of the body is never read.
/// </summary>
internal static class RequestLimits
{
    /// <summary>1 MiB: the largest real body, a group status of 500 ids, is tens of kilobytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Kestrel's own limit (it counts a chunked body as it is read), set to <see cref="MaxBodyBytes"/>.</summary>
    public static void Apply(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel) =>
        kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;

    /// <summary>Answers an over-limit body, and a body Kestrel could not read (bad chunking), with a problem, not a 500.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(context.Request.ContentLength.Value.ToString(CultureInfo.InvariantCulture) + " bytes"));
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await RefuseAsync(
                context,
                ex.StatusCode,
                ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge("more than that") : $"The request body could not be read: {ex.Message}");
        }
    });

    private static string TooLarge(string size) =>
        $"The request body is {size}; the simulator takes at most {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes (1 MiB). The connection is closed without reading the rest.";

    private static async Task RefuseAsync(HttpContext context, int status, string detail)
    {
        // Connection: close tells Kestrel not to read the rest of the body to reuse the connection.
        context.Response.Clear();
        context.Response.Headers.Connection = "close";
        await TypedResults.Problem(title: status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", statusCode: status, detail: detail)
            .ExecuteAsync(context);
    }
}
