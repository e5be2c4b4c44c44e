using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>No secret reaches telemetry: over every instrument and every span of a run that makes each of them.</summary>
[Collection(TelemetryRunsAlone.Name)]
public class TelemetrySecretsTests
{
    private const string Marker = "SECRET";
    private const string ApiKey = "key-SECRET-1234";
    private const string Token = "tok-SECRET-5678";
    private const string HeaderValue = "hdr-SECRET-9012";

    // What metric tags may be: the service, strategy and closed sets; never a job id, URL or server text.
    private static readonly string[] s_metricTags =
    [
        "video_translation.service", "video_translation.strategy", "video_translation.outcome",
        "video_translation.job.state", "video_translation.retry.reason",
    ];

    [Fact]
    public async Task No_key_token_custom_header_password_or_query_reaches_any_span_or_instrument_even_when_the_server_echoes_them()
    {
        var measurements = new List<(string Instrument, KeyValuePair<string, object?>[] Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == TranslationTelemetry.SourceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, tags.ToArray()));
            }
        }

        meters.SetMeasurementEventCallback<long>(Record);
        meters.SetMeasurementEventCallback<double>(Record);
        meters.Start();
        using var spans = new SpanRecorder();
        using var h = new Harness(
            o =>
            {
                o.ApiKey = ApiKey;
                o.AllowUnencryptedApiKey = true;
                o.BearerToken = Token;
                o.Headers = new Dictionary<string, string> { ["X-Tenant-Token"] = HeaderValue };
                o.RequestTimeout = Sec(5);
            },
            new Uri("http://user:pw-SECRET-3456@jobs.test/"));
        h.Server.Add("a", Sec(30)).SaysCompletedAt = true;
        h.Server.Add("slow", TimeSpan.FromHours(1));
        string echo = $$"""{"detail":"rejected X-Api-Key {{ApiKey}}, Authorization Bearer {{Token}}, X-Tenant-Token {{HeaderValue}}"}""";
        h.Server.Override(1, () => FakeServer.Json("""{"id":"a","result":"pending"}""", HttpStatusCode.Created));
        for (int n = 2; n <= 4; n++)
        {
            h.Server.Override(n, () => FakeServer.Json(echo, HttpStatusCode.InternalServerError));
        }

        h.Server.Override(5, () => FakeServer.Json(echo, HttpStatusCode.TooManyRequests, retryAfter: Sec(1)));

        // A create; a batch of a job (held checks after three 500s and a 429) and an unknown id (404); a wait that times out.
        await h.Client.CreateJobAsync();
        var outcomes = await h.WaitAll(new[] { "a", "missing" }, Exact(new LongPollStrategy(Sec(20)), maxWait: TimeSpan.FromMinutes(5)));
        var slow = h.Start(Exact(PollingStrategy.Fixed(Sec(3)), maxWait: Sec(10)), "slow");
        h.Clock.RunUntilDone(slow);
        await Assert.ThrowsAsync<TranslationTimeoutException>(() => slow);

        // The run made every span and every instrument, and the server's echo reached the errors.
        Assert.Contains(outcomes, o => o.Error is TranslationHttpException { StatusCode: 404 });
        Assert.Equal(
            new[] { Telemetry.BatchSpan, Telemetry.CheckSpan, Telemetry.CreateSpan, Telemetry.WaitSpan },
            spans.Spans.Select(s => s.OperationName).Distinct().Order());
        Assert.Equal(
            new[] { "video_translation.check.hold.duration", "video_translation.check.retries", "video_translation.detection.lateness", "video_translation.wait.active", "video_translation.wait.checks", "video_translation.wait.duration" },
            measurements.Select(m => m.Instrument).Distinct().Order());

        foreach (Activity span in spans.Spans)
        {
            IEnumerable<string?> texts = span.TagObjects.Select(t => t.Key + "=" + t.Value)
                .Concat(span.Events.Select(e => e.Name))
                .Append(span.DisplayName)
                .Append(span.StatusDescription);
            Assert.DoesNotContain(texts, text => text?.Contains(Marker, StringComparison.Ordinal) == true);
        }

        foreach ((string instrument, KeyValuePair<string, object?>[] tags) in measurements)
        {
            Assert.All(tags, tag => Assert.Contains(tag.Key, s_metricTags));
            Assert.DoesNotContain(tags, tag => tag.Value?.ToString()?.Contains(Marker, StringComparison.Ordinal) == true);
        }

        // The errors do quote the server's echo, masked.
        Assert.Contains(spans.Spans, s => s.StatusDescription?.Contains("rejected X-Api-Key ***", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_mask_replaces_each_secret_of_the_client_and_leaves_short_values_alone()
    {
        var options = new TranslationClientOptions
        {
            ApiKey = ApiKey,
            BearerToken = Token,
            Headers = new Dictionary<string, string> { ["X-Tenant-Token"] = HeaderValue, ["X-Flag"] = "on" },
        };

        Assert.Equal(
            "key *** token *** header *** flag on",
            SecretMask.Apply($"key {ApiKey} token {Token} header {HeaderValue} flag on", options));
    }
}
