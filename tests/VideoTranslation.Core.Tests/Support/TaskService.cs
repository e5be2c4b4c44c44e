using System.Globalization;
using System.Text.Json;
using VideoTranslation.Internal;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// A wire format that is not the simulator's, to show the <see cref="TranslationService"/> seam is the only place a
/// format lives: <c>GET {base}v9/tasks/{id}</c> (<c>v9/task</c> for the single-job form) answering
/// <c>{"state":"RUNNING"|"DONE"|"FAILED"}</c>, holds as <c>?hold_ms=</c> with <c>X-Hold-Max-Ms</c> / <c>X-Held-Ms</c>,
/// and <c>POST {base}v9/tasks</c> answering <c>{"task":"…"}</c>. Counts what it was asked to read.
/// </summary>
internal sealed class TaskService : TranslationService
{
    public const string HoldMaxHeader = "X-Hold-Max-Ms";
    public const string HeldHeader = "X-Held-Ms";

    private int _reads;

    public TaskService()
        : base("Tasks", TranslationWaitOptions.DefaultMaxWait, TranslationBatchOptions.DefaultMaxConcurrency)
    {
    }

    public override bool CanCreateJobs => true;

    public override bool HasSingleJobEndpoint => true;

    /// <summary>Status answers this service read.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The <c>held</c> flag of every status answer read, in order.</summary>
    public List<bool> HeldFlags { get; } = new();

    internal override Uri GetStatusUri(Uri baseUri, string? jobId) =>
        new(baseUri, jobId is null ? "v9/task" : "v9/tasks/" + Uri.EscapeDataString(jobId));

    internal override HttpRequestMessage CreateStatusRequest(Uri baseUri, string? jobId, TimeSpan hold)
    {
        Uri uri = GetStatusUri(baseUri, jobId);
        if (hold > TimeSpan.Zero)
        {
            uri = new Uri(uri + "?hold_ms=" + ((long)hold.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Add("X-Format", "v9");
        return request;
    }

    internal override TranslationStatus ReadStatus(ServerAnswer answer, string? jobId, bool held)
    {
        Interlocked.Increment(ref _reads);
        lock (HeldFlags)
        {
            HeldFlags.Add(held);
        }

        string state = ReadString(answer, "state") ?? throw answer.Fail("the answer has no string \"state\".");
        TranslationState parsed = state switch
        {
            "RUNNING" => TranslationState.Pending,
            "DONE" => TranslationState.Completed,
            "FAILED" => TranslationState.Error,
            _ => throw answer.Fail($"the state '{state}' is none of RUNNING, DONE, FAILED."),
        };
        return new TranslationStatus(
            parsed,
            state,
            answer.ReceivedAt,
            answer.SafeUri,
            jobId,
            retryAfter: answer.RetryAfter,
            longPollLimit: Millis(answer, HoldMaxHeader),
            longPollHeld: held ? Millis(answer, HeldHeader) : null);
    }

    internal override HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest request, int part) =>
        new(HttpMethod.Post, new Uri(baseUri, "v9/tasks")) { Content = new StringContent("{}") };

    internal override IReadOnlyList<TranslationJob> ReadCreatedJobs(ServerAnswer answer, Uri baseUri, TranslationJobRequest request, int part)
    {
        string id = ReadString(answer, "task") ?? throw answer.Fail("the answer has no string \"task\".");
        return new[] { new TranslationJob(id, baseUri, GetStatusUri(baseUri, id), TranslationState.Pending, answer.ReceivedAt) };
    }

    /// <summary>A status answer of this format.</summary>
    public static HttpResponseMessage Answer(string state, double? holdMaxMs = null, double? heldMs = null)
    {
        var response = FakeServer.Json($$"""{"state":"{{state}}"}""");
        if (holdMaxMs is double max)
        {
            response.Headers.Add(HoldMaxHeader, max.ToString(CultureInfo.InvariantCulture));
        }

        if (heldMs is double held)
        {
            response.Headers.Add(HeldHeader, held.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>The job id of a request in this format; null for the single-job form or another path.</summary>
    public static string? JobOf(Uri uri)
    {
        const string segment = "/v9/tasks/";
        string path = uri.AbsolutePath;
        int at = path.IndexOf(segment, StringComparison.Ordinal);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + segment.Length)..]);
    }

    private static string? ReadString(ServerAnswer answer, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(answer.Body.Buffer, 0, answer.Body.Length));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out JsonElement value) &&
                   value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw answer.Fail("the answer is not JSON.", ex);
        }
    }

    private static TimeSpan? Millis(ServerAnswer answer, string header) =>
        answer.Headers.TryGetValues(header, out IEnumerable<string>? values) &&
        double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
}
