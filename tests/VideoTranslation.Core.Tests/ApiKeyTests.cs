using System.Net;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>The API key: sent as X-Api-Key, refused over plain http to other hosts, never shown anywhere.</summary>
public class ApiKeyTests
{
    private const string Key = "k3y-Zq9-VERY-secret";

    [Fact]
    public async Task The_key_is_sent_as_X_Api_Key_on_every_request()
    {
        using var h = new Harness(o => o.ApiKey = Key, new Uri("http://localhost:5000/"));
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        await h.Wait(Harness.Exact(PollingStrategy.Fixed(Harness.Sec(1))), "job-1");

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Contains("X-Api-Key: " + Key, r.Headers, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_key_no_X_Api_Key_header_is_sent()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(FakeServer.Status("completed"));

        await h.Client.GetStatusAsync("job-1");

        Assert.DoesNotContain("X-Api-Key", Assert.Single(h.Server.Requests).Headers, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("http://jobs.example.com/")]
    [InlineData("http://10.1.2.3:5000/")]
    [InlineData("http://[2001:db8::1]/")]
    public void A_key_over_plain_http_to_a_remote_host_is_refused_without_showing_it(string address)
    {
        var ex = Assert.Throws<UnencryptedCredentialException>(() => new TranslationClient(new Uri(address), new TranslationClientOptions { ApiKey = Key }));
        Assert.Equal(new Uri(address).Host, ex.Host);

        Assert.Contains("Refusing to send the API key over plain http", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowUnencryptedApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://jobs.example.com/")]
    public void A_key_to_loopback_or_over_https_is_accepted(string address)
    {
        using var client = new TranslationClient(new Uri(address), new TranslationClientOptions { ApiKey = Key });

        Assert.Equal(new Uri(address), client.BaseUri);
    }

    [Fact]
    public void A_key_over_plain_http_to_a_remote_host_is_sent_when_the_user_opts_in()
    {
        using var client = new TranslationClient(
            new Uri("http://jobs.example.com/"),
            new TranslationClientOptions { ApiKey = Key, AllowUnencryptedApiKey = true });

        Assert.Equal("jobs.example.com", client.BaseUri.Host);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc\r\nX-Injected: 1")]
    [InlineData("tab\there")]
    public void A_blank_key_or_one_with_control_characters_is_rejected_without_echoing_it(string bad)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { ApiKey = bad });

        Assert.Equal("ApiKey", ex.ParamName);
        Assert.Contains("non-blank key without control characters", ex.Message, StringComparison.Ordinal);
        if (bad.Trim().Length > 0)
        {
            Assert.DoesNotContain(bad.Trim(), ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_rejected_key_is_a_clear_401_and_the_key_is_in_no_log_message_or_exception()
    {
        // Arrange: every log level collected, a server that answers 401 problem+json.
        var logger = TestLogger.EveryLevel();
        using var h = new Harness(
            o =>
            {
                o.ApiKey = Key;
                o.Logger = logger;
            },
            new Uri("http://localhost:5000/"));
        h.Server.Respond = (_, _) => Task.FromResult(FakeServer.Json(
            """{"title":"Unauthorized","status":401,"detail":"The X-Api-Key header does not match the simulator's API key."}""",
            HttpStatusCode.Unauthorized));

        // Act
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Wait(Harness.Exact(PollingStrategy.Fixed(Harness.Sec(1))), "job-1"));

        // Assert: a clear, permanent 401 that names the header, not the key.
        Assert.Equal(401, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("X-Api-Key header does not match", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
        var records = logger.Collector.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(Key, r.Message, StringComparison.Ordinal);
            Assert.All(r.StructuredState ?? [], kv => Assert.DoesNotContain(Key, kv.Value ?? string.Empty, StringComparison.Ordinal));
        });
    }
}
