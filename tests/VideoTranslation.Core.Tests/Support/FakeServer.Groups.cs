using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.Tests.Support;

/// <content>
/// Group long-poll on the modelled jobs, as the simulator's (docs/protocol.md): <c>GET /capabilities</c> offers it
/// while <see cref="GroupMaxIds"/> is set (else 404, as the original server), and <c>POST /jobs/status</c>
/// <c>{"ids":[…],"wait":s}</c> is held until one of its jobs is done or the (capped) wait passes, then answers every id
/// in order, an unknown one as a 404 item.
/// </content>
public sealed partial class FakeServer
{
    private readonly List<GroupRequest> _groupRequests = new();
    private int _groupMembersInFlight;

    private int _groupsInFlight;

    /// <summary>How many waits the group requests in flight answer for, beyond one per request.</summary>
    public int ExtraGroupMembersInFlight => Volatile.Read(ref _groupMembersInFlight) - Volatile.Read(ref _groupsInFlight);

    private void CountGroup(int members, int sign)
    {
        if (members > 0)
        {
            Interlocked.Add(ref _groupMembersInFlight, sign * members);
            Interlocked.Add(ref _groupsInFlight, sign);
        }
    }

    /// <summary>The most ids of one group request the server offers; null: no group long-poll (the default).</summary>
    public int? GroupMaxIds { get; set; }

    /// <summary>The group requests that arrived, in order.</summary>
    public IReadOnlyList<GroupRequest> GroupRequests
    {
        get
        {
            lock (_lock)
            {
                return _groupRequests.ToArray();
            }
        }
    }

    /// <summary>Every request but the client's <c>GET /capabilities</c> probes.</summary>
    public IReadOnlyList<RecordedRequest> StatusRequests => Requests.Where(r => r.Uri.AbsolutePath != "/capabilities").ToArray();

    /// <summary>The <c>GET /capabilities</c> probes.</summary>
    public int Probes => Requests.Count(r => r.Uri.AbsolutePath == "/capabilities");

    private static bool IsGroup(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/jobs/status";

    // Recorded as it arrives, whatever answers it.
    private int RecordGroup(HttpRequestMessage request, out bool held)
    {
        held = false;
        if (!IsGroup(request))
        {
            return 0;
        }

        (string[] ids, double wait) = ReadGroup(request);
        lock (_lock)
        {
            _groupRequests.Add(new GroupRequest(ids, wait, _clock.GetUtcNow()));
        }

        held = wait > 0;
        return ids.Length;
    }

    private static (string[] Ids, double Wait) ReadGroup(HttpRequestMessage request)
    {
        using var doc = JsonDocument.Parse(request.Content!.ReadAsStringAsync().GetAwaiter().GetResult());
        string[] ids = doc.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        double wait = doc.RootElement.TryGetProperty("wait", out JsonElement w) ? w.GetDouble() : 0;
        return (ids, wait);
    }

    private Task<HttpResponseMessage>? TryAnswerGroups(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.AbsolutePath == "/capabilities")
        {
            return Task.FromResult(GroupMaxIds is int maxIds && LongPollMaxSeconds is double max
                ? Json($$$"""{"longPoll":true,"maxWaitSeconds":{{{N(max)}}},"groupLongPoll":{"maxIds":{{{maxIds}}},"maxWaitSeconds":{{{N(max)}}}}}""")
                : Json("""{"type":"about:blank","title":"Not Found","status":404,"detail":"No route."}""", HttpStatusCode.NotFound));
        }

        if (!IsGroup(request))
        {
            return null;
        }

        if (GroupMaxIds is not int limit || LongPollMaxSeconds is not double maxWait)
        {
            return Task.FromResult(Json("""{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"No group route."}""", HttpStatusCode.MethodNotAllowed));
        }

        (string[] ids, double wait) = ReadGroup(request);
        DateTimeOffset now = _clock.GetUtcNow();
        FakeJob?[] jobs;
        lock (_lock)
        {
            jobs = ids.Select(id => _jobs.TryGetValue(id, out FakeJob? job) ? job : null).ToArray();
        }

        if (ids.Length > limit)
        {
            return Task.FromResult(Json("""{"type":"about:blank","title":"Bad Request","status":400,"detail":"Too many ids."}""", HttpStatusCode.BadRequest));
        }

        foreach (FakeJob? job in jobs)
        {
            if (job is not null)
            {
                Interlocked.Increment(ref job.RequestCount);
            }
        }

        double honoured = Math.Min(wait, maxWait);
        DateTimeOffset answerAt = now;
        if (Holds && honoured > 0 && jobs.All(j => j is not null && !j.IsDone(now)))
        {
            DateTimeOffset holdEnd = now + TimeSpan.FromSeconds(honoured);
            DateTimeOffset firstDone = jobs.Min(j => j!.FinishAt);
            answerAt = holdEnd < firstDone ? holdEnd : firstDone;
        }

        return At(answerAt + Latency, () => GroupAnswer(ids, jobs, wait > 0 ? honoured : null), cancellationToken);
    }

    private HttpResponseMessage GroupAnswer(string[] ids, FakeJob?[] jobs, double? honoured)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        var body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < ids.Length; i++)
        {
            body.Append(i == 0 ? "" : ",");
            body.Append(jobs[i] is { } job
                ? JobBody(job, now, out _, out _)
                : $$$"""{"id":"{{{ids[i]}}}","error":{"status":404,"title":"Job not found","detail":"No job '{{{ids[i]}}}'."}}""");
        }

        var response = Json(body.Append("]}").ToString());
        AddLongPollHeaders(response, honoured);
        return response;
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One group request as the fake server saw it.</summary>
public sealed record GroupRequest(string[] Ids, double Wait, DateTimeOffset At);
