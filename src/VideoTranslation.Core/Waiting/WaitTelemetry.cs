using System;
using System.Diagnostics;

namespace VideoTranslation.Internal;

/// <summary>
/// The telemetry of one wait (docs/observability.md): its span, a span per check beneath it, and its measurements. A
/// field of its <see cref="WaitLoop"/>, not an object of its own: while nobody listens it does nothing and allocates
/// nothing — every instrument is asked whether it is <c>Enabled</c>, and no span starts without a listener.
/// </summary>
internal struct WaitTelemetry
{
    private Activity? _span;
    private ServerConnection? _server;
    private PollingStrategy? _strategy;
    private bool _counted;

    private readonly TagList Tags => new() { { Telemetry.Service, _server!.Service.Name }, { Telemetry.Strategy, _strategy!.TelemetryName } };

    private readonly TranslationClientOptions Options => _server!.Options;

    private readonly TimeProvider Time => _server!.Time;

    public void Start(ServerConnection server, string? jobId, PollingStrategy strategy)
    {
        _server = server;
        _strategy = strategy;
        if (Telemetry.ActiveWaits.Enabled)
        {
            Telemetry.ActiveWaits.Add(1, Tags);
            _counted = true;
        }

        // The parent is the caller's current span (a batch's, or the application's), and the span becomes current:
        // the checks, the HttpClient's spans beneath them and the caller's callbacks nest under it.
        _span = Telemetry.Source.StartActivity(Telemetry.WaitSpan, ActivityKind.Internal, parentContext: default, startTime: Time.GetUtcNow());
        if (_span is { IsAllDataRequested: true } span)
        {
            span.SetTag(Telemetry.ServerAddress, server.SafeBaseUri.Host);
            span.SetTag(Telemetry.ServerPort, server.SafeBaseUri.Port);
            span.SetTag(Telemetry.Service, server.Service.Name);
            span.SetTag(Telemetry.Strategy, strategy.TelemetryName);
            span.SetTag(Telemetry.JobId, jobId);
        }
    }

    /// <summary>The span of one check, beneath the wait's; none while nobody records the wait.</summary>
    public readonly Activity? StartCheck(string? jobId, int attempt)
    {
        if (_span is null)
        {
            return null;
        }

        Activity? check = Telemetry.Source.StartActivity(Telemetry.CheckSpan, ActivityKind.Internal, _span.Context, startTime: Time.GetUtcNow());
        if (check is { IsAllDataRequested: true })
        {
            check.SetTag(Telemetry.JobId, jobId);
            check.SetTag(Telemetry.Attempt, attempt);
        }

        return check;
    }

    /// <summary>What the check asked for: a hold (long-poll) or none, alone or in a group request.</summary>
    public static void Asked(Activity? check, TimeSpan hold, bool group)
    {
        if (check is { IsAllDataRequested: true })
        {
            check.SetTag(Telemetry.Held, hold > TimeSpan.Zero);
            if (hold > TimeSpan.Zero)
            {
                check.SetTag(Telemetry.Hold, hold.TotalSeconds);
            }

            if (group)
            {
                check.SetTag(Telemetry.Group, true);
            }
        }
    }

    public readonly void Answered(Activity? check, TranslationStatus status, TimeSpan hold, TimeSpan took)
    {
        if (hold > TimeSpan.Zero && Telemetry.HoldDuration.Enabled)
        {
            Telemetry.HoldDuration.Record(took.TotalSeconds, Tags);
        }

        if (check is not null)
        {
            check.SetTag(Telemetry.JobState, Telemetry.StateName(status.State));
            Stop(check);
        }
    }

    /// <summary>A check that failed in a way that may heal: the wait goes on, and this is a retry.</summary>
    public readonly void Retrying(Activity? check, TranslationException error)
    {
        string reason = Telemetry.CountRetry(_server!.Service.Name, _strategy!.TelemetryName, error);

        if (check is not null)
        {
            check.SetTag(Telemetry.RetryReason, reason);
            Telemetry.SetError(check, error, Options);
            Stop(check);
        }
    }

    /// <summary>A check that ended the wait (a permanent failure, the caller's cancellation).</summary>
    public readonly void Failed(Activity? check, Exception error)
    {
        if (check is not null)
        {
            Telemetry.SetError(check, error, Options);
            Stop(check);
        }
    }

    public void Finished(TranslationWaitResult result, TimeSpan elapsed) =>
        End(result.Succeeded ? "completed" : "failed", result.FinalStatus, result.Attempts, elapsed, error: null);

    public void Failed(Exception error, TranslationStatus? last, int checks, TimeSpan elapsed) =>
        End(Telemetry.OutcomeOf(error), last, checks, elapsed, error);

    private void End(string outcome, TranslationStatus? last, int checks, TimeSpan elapsed, Exception? error)
    {
        if (_counted)
        {
            Telemetry.ActiveWaits.Add(-1, Tags);
            _counted = false;
        }

        TagList tags = Tags;
        tags.Add(Telemetry.Outcome, outcome);
        if (Telemetry.WaitDuration.Enabled)
        {
            Telemetry.WaitDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (Telemetry.WaitChecks.Enabled)
        {
            Telemetry.WaitChecks.Record(checks, tags);
        }

        TimeSpan? lateness = error is null ? last?.DetectionLateness : null;
        if (lateness is TimeSpan late && Telemetry.DetectionLateness.Enabled)
        {
            TagList stateTags = Tags;
            stateTags.Add(Telemetry.JobState, Telemetry.StateName(last!.State));
            Telemetry.DetectionLateness.Record(late.TotalSeconds, stateTags);
        }

        if (_span is not { } span)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            span.SetTag(Telemetry.Outcome, outcome);
            span.SetTag(Telemetry.Checks, checks);
            span.SetTag(Telemetry.WaitElapsed, elapsed.TotalSeconds);
            if (last is not null)
            {
                span.SetTag(Telemetry.JobState, Telemetry.StateName(last.State));
            }

            if (lateness is TimeSpan seconds)
            {
                span.SetTag(Telemetry.Lateness, seconds.TotalSeconds);
            }

            if (error is not null)
            {
                Telemetry.SetError(span, error, Options);
            }
        }

        Stop(span);
        _span = null;
    }

    // By the client's TimeProvider, like the start: a span's duration is the wait's as the wait measured it.
    private readonly void Stop(Activity span)
    {
        span.SetEndTime(Time.GetUtcNow().UtcDateTime);
        span.Stop();
    }
}
