using System.Net;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// A server that echoes the client's API key, bearer token or custom header value in what it says (an error body, a
/// reason phrase, a failure message, a body that breaks the protocol) never gets the secret shown: the client masks
/// its own secrets wherever it quotes a server (issue 14, item 11).
/// </summary>
public sealed class ServerEchoSecretsTests
{
    private const string Marker = "SECRET";
    private const string ApiKey = "key-SECRET-1234";
    private const string Token = "tok-SECRET-5678";
    private const string HeaderValue = "hdr-SECRET-9012";

    // A .NET server writes '+' as \u002B in JSON: the escaped form of a key is masked too.
    private const string PlusKey = "key+SECRET+4321";

    private static readonly string s_echo = $"rejected X-Api-Key {ApiKey}, Authorization: Bearer {Token}, X-Tenant-Token {HeaderValue}";

    private static Harness WithSecrets(FakeLogger logger, TranslationService? service = null, Uri? baseUri = null, string apiKey = ApiKey) =>
        new(
            o =>
            {
                o.ApiKey = apiKey;
                o.AllowUnencryptedApiKey = true;
                o.BearerToken = Token;
                o.Headers = new Dictionary<string, string> { ["X-Tenant-Token"] = HeaderValue };
                o.Logger = logger;
                o.MaxTransportRetries = 0;
                if (service is not null)
                {
                    o.Service = service;
                }
            },
            baseUri);

    private static void AssertNoSecret(Exception ex, FakeLogger logger)
    {
        var texts = new List<string?> { ex.Message, ex.ToString() };
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            texts.Add(e.Message);
            texts.AddRange(e.GetType().GetProperties().Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0).Select(p => (string?)p.GetValue(e)));
        }

        texts.AddRange(logger.Collector.GetSnapshot().Select(r => r.Message + " " + r.Exception));
        Assert.DoesNotContain(texts, t => t?.Contains(Marker, StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task An_error_answer_that_echoes_the_secrets_is_quoted_masked(HttpStatusCode code)
    {
        var logger = new FakeLogger();
        using var h = WithSecrets(logger);
        h.Server.Sequence(() =>
        {
            HttpResponseMessage answer = FakeServer.Json($$"""{"error":"{{s_echo}}","message":"{{s_echo}}","title":"{{s_echo}}","detail":"{{s_echo}}"}""", code);
            answer.ReasonPhrase = "Bad key " + ApiKey;
            return answer;
        });

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("a"));

        Assert.Equal((int)code, ex.StatusCode);
        Assert.Contains("rejected X-Api-Key ***, Authorization: Bearer ***, X-Tenant-Token ***", ex.BodyExcerpt, StringComparison.Ordinal);
        Assert.Contains("rejected X-Api-Key ***", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex, logger);
    }

    [Theory]
    [InlineData("""{"result":"{0}"}""")]
    [InlineData("""<html>{0}</html>""")]
    [InlineData("""{"result":"pending","{0}":""")]
    public async Task A_body_that_breaks_the_protocol_and_echoes_the_secrets_is_quoted_masked(string format)
    {
        var logger = new FakeLogger();
        using var h = WithSecrets(logger);
        h.Server.Sequence(() => FakeServer.Json(format.Replace("{0}", s_echo, StringComparison.Ordinal)));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync("a"));

        Assert.Contains("***", ex.BodyExcerpt, StringComparison.Ordinal);
        AssertNoSecret(ex, logger);
    }

    [Fact]
    public async Task A_failure_message_that_echoes_the_secrets_is_masked_in_the_status_and_the_failure()
    {
        var logger = new FakeLogger();
        using var h = WithSecrets(logger, TranslationService.HeyGen, new Uri("https://api.heygen.test/"));
        h.Server.Sequence(() => FakeServer.Json($$$"""{"data":{"id":"t1","status":"failed","failure_message":"{{{s_echo}}}"}}"""));

        TranslationStatus status = await h.Client.GetStatusAsync("t1");
        var wait = h.Start(Exact(PollingStrategy.Fixed(Sec(1))), "t1");
        h.Clock.RunUntilDone(wait);
        var ex = Assert.Throws<TranslationJobFailedException>(() => wait.Result.EnsureSucceeded());

        Assert.Equal("rejected X-Api-Key ***, Authorization: Bearer ***, X-Tenant-Token ***", status.FailureMessage);
        Assert.DoesNotContain(Marker, status.ToString(), StringComparison.Ordinal);
        AssertNoSecret(ex, logger);
    }

    [Fact]
    public async Task A_group_answers_item_error_that_echoes_the_secrets_is_quoted_masked()
    {
        var logger = new FakeLogger();
        using var h = WithSecrets(logger);
        string echo = System.Text.Json.JsonSerializer.Serialize(s_echo);
        h.Server.Handle = (request, _, _) => Task.FromResult(request.RequestUri!.AbsolutePath switch
        {
            "/capabilities" => FakeServer.Json("""{"longPoll":true,"maxWaitSeconds":60,"groupLongPoll":{"maxIds":100,"maxWaitSeconds":60}}"""),
            "/jobs/status" => FakeServer.Json($$$"""{"jobs":[{"id":"a","error":{"status":404,"title":{{{echo}}},"detail":{{{echo}}}}}]}"""),
            _ => FakeServer.Status("pending"),
        });

        IReadOnlyList<TranslationJobOutcome> outcomes = await h.WaitAll(new[] { "a" }, Harness.Exact(new LongPollStrategy(Harness.Sec(20))));

        Assert.Contains("/jobs/status", string.Join(" ", h.Server.Requests.Select(r => r.Uri.AbsolutePath)), StringComparison.Ordinal);
        TranslationException error = Assert.IsAssignableFrom<TranslationException>(Assert.Single(outcomes).Error);
        Assert.Contains("rejected X-Api-Key ***", error.Message + " " + (error as TranslationHttpException)?.BodyExcerpt, StringComparison.Ordinal);
        AssertNoSecret(error, logger);
    }

    [Fact]
    public async Task A_good_answer_is_read_as_sent_even_where_a_header_value_appears_in_it()
    {
        // Custom headers need not be secret (a tenant name): one that is also in a URL or an id must not break it.
        var logger = new FakeLogger();
        using var h = WithSecrets(logger, TranslationService.HeyGen, new Uri("https://api.heygen.test/"));
        h.Server.Sequence(() => FakeServer.Json($$$"""{"data":{"id":"t1","status":"completed","video_url":"https://files.test/{{{HeaderValue}}}.mp4"}}"""));

        TranslationStatus status = await h.Client.GetStatusAsync("t1");

        Assert.Equal(TranslationState.Completed, status.State);
        Assert.Equal($"https://files.test/{HeaderValue}.mp4", status.VideoUrl?.AbsoluteUri);
    }

    [Fact]
    public async Task A_key_echoed_JSON_escaped_is_masked_too()
    {
        var logger = new FakeLogger();
        using var h = WithSecrets(logger, apiKey: PlusKey);
        h.Server.Sequence(() => FakeServer.Json("""{"error":"bad key key\u002BSECRET\u002B4321"}""", HttpStatusCode.Unauthorized));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("a"));

        Assert.Contains("bad key ***", ex.BodyExcerpt, StringComparison.Ordinal);
        AssertNoSecret(ex, logger);
    }
}
