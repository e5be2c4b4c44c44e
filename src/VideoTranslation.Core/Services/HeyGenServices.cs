using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// HeyGen's status APIs as built-in profiles, with job creation where HeyGen has it. Every path, field and word is
/// cited in docs/services.md; this is the one place they are written in code.
/// </summary>
internal static class HeyGenServices
{
    public const string Host = "api.heygen.com";

    /// <summary>HeyGen's jobs take 5–15 minutes, some more than 30: a longer deadline than the simulator's.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(60);

    /// <summary>Status requests in flight per server in a batch.</summary>
    public const int DefaultMaxConcurrency = 10;

    public static readonly TranslationService V3 = new V3Service();
    public static readonly TranslationService V2 = new V2Service();
    public static readonly TranslationService Video = new VideoService();

    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private static TranslationServiceProfile Profile(string name, string statusUrl, string pending, string completed, string videoUrl, string failure, string? language) => new()
    {
        Name = name,
        StatusUrl = statusUrl,
        StatusPath = "data.status",
        PendingValues = pending.Split(','),
        CompletedValues = new[] { completed },
        FailedValues = new[] { "failed" },
        VideoUrlPath = videoUrl,
        FailureMessagePath = failure,
        LanguagePath = language,
    };

    private static HttpRequestMessage Post(Uri uri, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(buffer.ToArray()) };
        message.Content.Headers.ContentType = s_json;
        return message;
    }

    // The simulator's per-job overrides in its HeyGen modes (docs/protocol.md); HeyGen itself ignores unknown headers,
    // and they are only sent when a caller sets Delay or Outcome, which only tests against the simulator do.
    private static HttpRequestMessage WithSimulatorOverrides(HttpRequestMessage message, TranslationJobRequest request)
    {
        if (request.Delay is TimeSpan delay)
        {
            message.Headers.TryAddWithoutValidation("X-Simulator-Delay-Seconds", delay.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (request.Outcome is TranslationState outcome)
        {
            message.Headers.TryAddWithoutValidation("X-Simulator-Outcome", outcome == TranslationState.Error ? "failed" : "completed");
        }

        return message;
    }

    private static void WriteOptional(Utf8JsonWriter json, TranslationJobRequest request)
    {
        if (request.Title is { } title)
        {
            json.WriteString("title", title);
        }

        if (request.CallbackUrl is { } callback)
        {
            json.WriteString("callback_url", callback.AbsoluteUri);
        }

        if (request.CallbackId is { } callbackId)
        {
            json.WriteString("callback_id", callbackId);
        }
    }

    // What HeyGen requires of a create, checked before anything is sent.
    private static void Check(TranslationJobRequest request, string service)
    {
        if (request.VideoUrl is not { IsAbsoluteUri: true } video || (video.Scheme != Uri.UriSchemeHttps && video.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The {service} service translates a video at a public http(s) URL: give VideoUrl.", nameof(request));
        }

        if (request.OutputLanguages is null || request.OutputLanguages.Count == 0 || request.OutputLanguages.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"The {service} service needs at least one output language, none blank, like 'Spanish (Spain)'.", nameof(request));
        }

        if (request.OutputLanguages.Distinct(StringComparer.OrdinalIgnoreCase).Count() != request.OutputLanguages.Count)
        {
            throw new ArgumentException($"The output languages repeat one ({string.Join(", ", request.OutputLanguages)}); each makes a job of its own.", nameof(request));
        }
    }

    private static JsonElement Data(JsonDocument doc, ServerAnswer answer, string what) =>
        doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object
            ? data
            : throw answer.Fail($"the answer to creating a job has no \"data\" object with {what}.");

    private static TranslationJob Job(TranslationService service, Uri baseUri, string id, string? language, ServerAnswer answer) =>
        new(id, baseUri, service.GetStatusUri(baseUri, id), TranslationState.Pending, answer.ReceivedAt) { Language = language, Service = service.Name };

    /// <summary>v3: <c>POST /v3/video-translations</c> makes one job per output language.</summary>
    private sealed class V3Service : ProfileService
    {
        public V3Service()
            : base(Profile("HeyGen", "v3/video-translations/{id}", "pending,running", "completed", "data.video_url", "data.failure_message", "data.output_language"), HeyGenServices.DefaultMaxWait, HeyGenServices.DefaultMaxConcurrency, unknownJobHasCode: true)
        {
        }

        public override bool CanCreateJobs => true;

        public override string? ApiKeyVariable => "HEYGEN_API_KEY";

        internal override bool HonoursIdempotencyKey => true;

        public override PollingStrategyOptions CreatePollingOptions() => HeyGenPolling();

        internal override HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest request, int part)
        {
            Check(request, Name);
            return WithSimulatorOverrides(Post(new Uri(baseUri, "v3/video-translations"), json =>
            {
                json.WriteStartObject("video");
                json.WriteString("type", "url");
                json.WriteString("url", request.VideoUrl!.AbsoluteUri);
                json.WriteEndObject();
                json.WriteStartArray("output_languages");
                foreach (string language in request.OutputLanguages)
                {
                    json.WriteStringValue(language);
                }

                json.WriteEndArray();
                if (request.Mode is { } mode)
                {
                    json.WriteString("mode", mode.ToLowerInvariant());
                }

                WriteOptional(json, request);
            }), request);
        }

        internal override IReadOnlyList<TranslationJob> ReadCreatedJobs(ServerAnswer answer, Uri baseUri, TranslationJobRequest request, int part)
        {
            using JsonDocument doc = StatusParser.ParseJson(answer);
            JsonElement data = Data(doc, answer, "\"video_translation_ids\"");
            if (!data.TryGetProperty("video_translation_ids", out JsonElement ids) || ids.ValueKind != JsonValueKind.Array ||
                ids.EnumerateArray().Any(id => id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString())))
            {
                throw answer.Fail("the answer to creating a job has no \"data.video_translation_ids\" array of ids.");
            }

            if (ids.GetArrayLength() != request.OutputLanguages.Count)
            {
                throw answer.Fail($"the answer has {ids.GetArrayLength()} ids for {request.OutputLanguages.Count} output languages; there should be one per language.");
            }

            return ids.EnumerateArray().Select((id, i) => Job(this, baseUri, id.GetString()!, request.OutputLanguages[i], answer)).ToArray();
        }
    }

    /// <summary>v2: <c>POST /v2/video_translate</c> makes one job for one output language; the client sends one per language.</summary>
    private sealed class V2Service : ProfileService
    {
        public V2Service()
            : base(Profile("HeyGenV2", "v2/video_translate/{id}", "pending,running", "success", "data.url", "data.message", "data.output_language"), HeyGenServices.DefaultMaxWait, HeyGenServices.DefaultMaxConcurrency, unknownJobHasCode: true)
        {
        }

        public override bool CanCreateJobs => true;

        public override string? ApiKeyVariable => "HEYGEN_API_KEY";

        public override PollingStrategyOptions CreatePollingOptions() => HeyGenPolling();

        internal override int CreateRequestsFor(TranslationJobRequest request) => request.OutputLanguages.Count;

        internal override HttpRequestMessage CreateJobRequest(Uri baseUri, TranslationJobRequest request, int part)
        {
            Check(request, Name);
            return WithSimulatorOverrides(Post(new Uri(baseUri, "v2/video_translate"), json =>
            {
                json.WriteString("video_url", request.VideoUrl!.AbsoluteUri);
                json.WriteString("output_language", request.OutputLanguages[part]);
                WriteOptional(json, request);
            }), request);
        }

        internal override IReadOnlyList<TranslationJob> ReadCreatedJobs(ServerAnswer answer, Uri baseUri, TranslationJobRequest request, int part)
        {
            using JsonDocument doc = StatusParser.ParseJson(answer);
            JsonElement data = Data(doc, answer, "\"video_translate_id\"");
            return data.TryGetProperty("video_translate_id", out JsonElement id) && id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString())
                ? new[] { Job(this, baseUri, id.GetString()!, request.OutputLanguages[part], answer) }
                : throw answer.Fail("the answer to creating a job has no string \"data.video_translate_id\".");
        }
    }

    /// <summary>Video status (v1): waits on videos made elsewhere, such as HeyGen's video generation.</summary>
    private sealed class VideoService : ProfileService
    {
        public VideoService()
            : base(Profile("HeyGenVideo", "v1/video_status.get?video_id={id}", "pending,processing,waiting", "completed", "data.video_url", "data.error.message", null), HeyGenServices.DefaultMaxWait, HeyGenServices.DefaultMaxConcurrency, unknownJobHasCode: true)
        {
        }

        public override string? ApiKeyVariable => "HEYGEN_API_KEY";

        public override PollingStrategyOptions CreatePollingOptions() => HeyGenPolling();
    }

    // HeyGen's advice is a check every 30 s at first, then every 60 s: the first after 30 s, the rest 60 s apart.
    private static PollingStrategyOptions HeyGenPolling() => new()
    {
        Interval = TimeSpan.FromSeconds(30),
        Factor = 2,
        MaxInterval = TimeSpan.FromSeconds(60),
        Jitter = 0.1,
    };
}
