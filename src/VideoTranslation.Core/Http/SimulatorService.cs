using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// The original contract (<c>GET /status</c> → <c>{"result": …}</c>) and the simulator's additions: jobs
/// (<c>POST /jobs</c>, <c>GET /jobs/{id}/status</c>), progress/ETA hints, long-poll (<c>?wait=</c>) and group long-poll
/// (<c>POST /jobs/status</c>, offered in <c>GET /capabilities</c>); docs/protocol.md.
/// </summary>
internal sealed class SimulatorService : TranslationService
{
    public static readonly SimulatorService Instance = new();

    private const string LongPollMaxHeader = "X-Long-Poll-Max";
    private const string LongPollWaitHeader = "X-Long-Poll-Wait";

    // GET /status keeps the original one-field body: it says when the job ended in a header instead.
    private const string CompletedAtHeader = "X-Completed-At";
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private SimulatorService()
        : base("Simulator", TranslationWaitOptions.DefaultMaxWait, TranslationBatchOptions.DefaultMaxConcurrency)
    {
    }

    public override bool CanCreateJobs => true;

    public override bool HasSingleJobEndpoint => true;

    internal override bool HonoursIdempotencyKey => true;

    // The simulator's own protocol keeps learning per server, as before services: its history files stay valid.
    internal override Uri DurationKey(Uri safeBaseUri, string? language) => safeBaseUri;

    internal override Uri GetStatusUri(Uri baseUri, string? jobId) =>
        jobId is null ? new Uri(baseUri, "status") : new Uri(baseUri, "jobs/" + PathSegment(jobId) + "/status");

    internal override HttpRequestMessage CreateStatusRequest(Uri baseUri, string? jobId, TimeSpan hold)
    {
        Uri uri = GetStatusUri(baseUri, jobId);
        if (hold > TimeSpan.Zero)
        {
            uri = new Uri(uri.AbsoluteUri + "?wait=" + hold.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return new HttpRequestMessage(HttpMethod.Get, uri);
    }

    internal override TranslationStatus ReadStatus(ServerAnswer answer, string? jobId, bool held)
    {
        StatusParser.Parsed parsed = StatusParser.Parse(answer);
        return new TranslationStatus(
            parsed.State,
            parsed.Raw,
            answer.ReceivedAt,
            answer.SafeUri,
            jobId,
            parsed.Progress,
            parsed.Eta,
            answer.RetryAfter,
            answer.ReadSeconds(LongPollMaxHeader),
            held ? answer.ReadSeconds(LongPollWaitHeader) : null)
        {
            CompletedAt = parsed.CompletedAt ?? (parsed.State == TranslationState.Pending ? null : answer.ReadTime(CompletedAtHeader)),
        };
    }

    // The simulator's unknown job is problem+json titled "Job not found"; routing's own 404 is titled "Not Found", and the
    // single-job GET /status never answers 404. Read as a stream: a long id can cut the body off before its end.
    internal override bool IsNoSuchJob(string? jobId, byte[] body, int length) =>
        jobId is not null && ProblemTitle(body, length) == "Job not found";

    internal override HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest request, int part)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "jobs"))
        {
            Content = new ByteArrayContent(JobRequestBody.Serialize(request)),
        };
        message.Content.Headers.ContentType = s_json;
        return message;
    }

    internal override IReadOnlyList<TranslationJob> ReadCreatedJobs(ServerAnswer answer, Uri baseUri, TranslationJobRequest request, int part)
    {
        (string id, TranslationState state) = JobRequestBody.ParseCreated(answer);
        return new[] { new TranslationJob(id, baseUri, GetStatusUri(baseUri, id), state, answer.ReceivedAt) { Service = Name } };
    }

    internal override HttpRequestMessage? CreateCapabilitiesRequest(Uri baseUri) => new(HttpMethod.Get, new Uri(baseUri, "capabilities"));

    internal override GroupCapability? ReadCapabilities(ServerAnswer answer) => GroupStatusBody.ParseCapabilities(answer);

    internal override HttpRequestMessage CreateGroupStatusRequest(Uri baseUri, IReadOnlyList<string> jobIds, TimeSpan hold)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "jobs/status"))
        {
            Content = new ByteArrayContent(GroupStatusBody.Serialize(jobIds, hold)),
        };
        message.Content.Headers.ContentType = s_json;
        return message;
    }

    // The top-level "title" of a problem+json body, read up to where the body was cut off; null when there is none.
    private static string? ProblemTitle(byte[] body, int length)
    {
        var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(body, 0, length), isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool title = reader.ValueTextEquals("title"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (title)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                if (!reader.TrySkip())
                {
                    return null;
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // Each job's status is a held answer, as if its own check had been held: the group's long-poll headers are its.
    internal override GroupAnswer ReadGroupStatus(ServerAnswer answer, IReadOnlyList<string> jobIds)
    {
        TimeSpan? limit = answer.ReadSeconds(LongPollMaxHeader);
        TimeSpan? held = answer.ReadSeconds(LongPollWaitHeader);
        GroupItem[] items = GroupStatusBody.Parse(answer, jobIds, (id, parsed) => new TranslationStatus(
            parsed.State,
            parsed.Raw,
            answer.ReceivedAt,
            new Uri(answer.SafeUri, Uri.EscapeDataString(id) + "/status"), // the job's own status URL (…/jobs/status → …/jobs/{id}/status)
            id,
            parsed.Progress,
            parsed.Eta,
            retryAfter: null,
            limit,
            held)
        {
            CompletedAt = parsed.CompletedAt,
        });
        return new GroupAnswer(items, limit);
    }
}
