using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.Internal;

/// <summary>
/// Creating jobs: one request per part (HeyGen v2 takes one per language), each with an <c>Idempotency-Key</c> where the
/// service honours one, and then — only then — retried on failures that may heal (no answer, 408, 429, 5xx, and 409
/// <c>request_in_progress</c> while the server still handles the first try), always with the same key, so a retry whose
/// first try did reach the server gets that first answer back instead of a second job.
/// </summary>
internal static class JobCreation
{
    private const string InProgress = "request_in_progress";

    public static async Task<IReadOnlyList<TranslationJob>> CreateAsync(ServerConnection server, TranslationJobRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        using Activity? span = Telemetry.Source.StartActivity(Telemetry.CreateSpan);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(Telemetry.ServerAddress, server.SafeBaseUri.Host);
            span.SetTag(Telemetry.ServerPort, server.SafeBaseUri.Port);
            span.SetTag(Telemetry.Service, server.Service.Name);
        }

        try
        {
            IReadOnlyList<TranslationJob> jobs = await CreateAllAsync(server, request, logger, cancellationToken).ConfigureAwait(false);
            span?.SetTag(Telemetry.CreatedJobs, jobs.Count);
            return jobs;
        }
        catch (Exception ex) when (span is not null)
        {
            Telemetry.SetError(span, ex, server.Options);
            throw;
        }
    }

    private static async Task<IReadOnlyList<TranslationJob>> CreateAllAsync(ServerConnection server, TranslationJobRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        TranslationService service = server.Service;
        int parts = service.CreateRequestsFor(request);
        string? key = service.HonoursIdempotencyKey ? request.IdempotencyKey ?? Guid.NewGuid().ToString("N") : null;
        var jobs = new List<TranslationJob>();
        for (int part = 0; part < parts; part++)
        {
            string? partKey = key is null || parts == 1 ? key : key + "-" + part.ToString(System.Globalization.CultureInfo.InvariantCulture);
            jobs.AddRange(await CreatePartAsync(server, request, part, partKey, logger, cancellationToken).ConfigureAwait(false));
        }

        return jobs;
    }

    private static async Task<IReadOnlyList<TranslationJob>> CreatePartAsync(
        ServerConnection server, TranslationJobRequest request, int part, string? key, ILogger logger, CancellationToken cancellationToken)
    {
        int maxRetries = server.Options.MaxTransportRetries;
        for (int failures = 0; ; failures++)
        {
            await server.Pace.WaitAsync(notAfter: null, cancellationToken).ConfigureAwait(false);
            try
            {
                return await server.CreateJobsAsync(request, part, key, cancellationToken).ConfigureAwait(false);
            }
            catch (TranslationException ex) when (key is not null && MayHeal(ex) && (maxRetries < 0 || failures < maxRetries))
            {
                TimeSpan pause = RetryBackoff.Default.PauseAfter(ex, failures + 1);
                TimeSpan delay = pause < Guard.MaxDuration ? pause : Guard.MaxDuration;

                string retry = maxRetries < 0 ? (failures + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{failures + 1} of {maxRetries}";
                Log.CreateRetrying(logger, server.SafeBaseUri, FailureReason.Of(ex), retry, Guard.Format(delay));
                await server.Time.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool MayHeal(TranslationException error) =>
        (error.IsTransient && error is not TranslationSecureConnectionException) ||
        error is TranslationHttpException { StatusCode: 409, ErrorCode: InProgress };
}
