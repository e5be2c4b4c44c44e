using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Jobs;

namespace VideoTranslation.Simulator.Endpoints;

/// <summary>
/// Answers POST /jobs/status: the status of up to <see cref="GroupStatusRequest.MaxIds"/> jobs in one request, held
/// (like <c>?wait=</c> on one job) until at least one of them has settled — finished, or unknown/removed — or the wait
/// passes, whichever is first. Every listed id is reported, in request order: a known job as GET /jobs/{id}/status
/// reports it, an unknown one with the 404 problem it would get there.
/// </summary>
internal sealed class GroupStatusResponder
{
    private readonly TimeProvider _time;
    private readonly JobStore _store;
    private readonly StatusResponder _single;
    private readonly LongPollOptions _longPoll;

    public GroupStatusResponder(TimeProvider time, JobStore store, StatusResponder single, IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _store = store;
        _single = single;
        _longPoll = options.Value.LongPoll;
    }

    /// <summary>Whether the route is offered: long-poll and its group form both on.</summary>
    public static bool IsOffered(LongPollOptions longPoll)
    {
        ArgumentNullException.ThrowIfNull(longPoll);
        return longPoll.Enabled && longPoll.GroupEnabled;
    }

    public async Task<Results<Ok<GroupStatusResponse>, ProblemHttpResult>> RespondAsync(HttpContext http, string body)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!IsOffered(_longPoll))
        {
            return TypedResults.Problem(
                title: "Not found",
                statusCode: StatusCodes.Status404NotFound,
                detail: "Group long-poll is off (LongPoll:Enabled and LongPoll:GroupEnabled); ask each job at GET /jobs/{id}/status.");
        }

        if (!GroupStatusRequest.TryParse(body, out var request, out var error))
        {
            return Problems.BadRequest(error);
        }

        var jobs = new Job?[request!.Ids.Count];
        for (var i = 0; i < jobs.Length; i++)
        {
            jobs[i] = _store.Find(request.Ids[i]);
        }

        var response = http.Response;
        response.Headers[StatusResponder.LongPollMaxHeader] = StatusResponder.Format(_longPoll.MaxWaitSeconds);
        if (request.WaitSeconds is { } seconds)
        {
            var honoured = Math.Min(seconds, _longPoll.MaxWaitSeconds);
            response.Headers[StatusResponder.LongPollWaitHeader] = StatusResponder.Format(honoured);
            if (honoured > 0 && !AnySettled(jobs, _time.GetUtcNow()))
            {
                await HoldAsync(jobs, TimeSpan.FromSeconds(honoured), http.RequestAborted);
            }
        }

        var now = _time.GetUtcNow();
        var served = !http.RequestAborted.IsCancellationRequested;
        var items = new GroupStatusItem[jobs.Length];
        for (var i = 0; i < jobs.Length; i++)
        {
            items[i] = jobs[i] is { IsRemoved: false } job
                ? Item(_single.Snapshot(job, now, served))
                : NotFound(request.Ids[i]);
        }

        return TypedResults.Ok(new GroupStatusResponse(items));
    }

    private static GroupStatusItem Item(JobStatusResponse status) => new(status.Id, status.Result, status.Progress, status.EtaSeconds, status.CompletedAt);

    private GroupStatusItem NotFound(string id) => new(
        id,
        Error: new GroupItemError(
            StatusCodes.Status404NotFound,
            "Job not found",
            $"There is no job '{id}'. Jobs are removed by DELETE /jobs/{{id}} and {Problems.Seconds(_store.Retention)} s after they finish (Jobs:RetentionSeconds)."));

    // Settled: finished, or nothing to wait for (unknown or removed), so the answer has news at once.
    private static bool AnySettled(Job?[] jobs, DateTimeOffset now)
    {
        foreach (var job in jobs)
        {
            if (job is null || job.IsRemoved || job.IsFinishedAt(now))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits until one job settles or the wait passes, on no thread of its own; each job counts the request as held.</summary>
    private async Task HoldAsync(Job?[] jobs, TimeSpan wait, CancellationToken aborted)
    {
        // The timer first, then the count (as StatusResponder.HoldAsync): a held count means the hold's end is scheduled.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var settled = new Task[jobs.Length + 1];
        settled[^1] = Task.Delay(wait, _time, timeout.Token);
        for (var i = 0; i < jobs.Length; i++)
        {
            jobs[i]!.EnterWait();
            settled[i] = jobs[i]!.Settled;
        }

        try
        {
            await Task.WhenAny(settled);
            await timeout.CancelAsync(); // frees the delay's timer when a job settled first
        }
        finally
        {
            foreach (var job in jobs)
            {
                job!.ExitWait();
            }
        }
    }
}
