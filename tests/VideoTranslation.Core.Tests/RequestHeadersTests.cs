using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>Headers, a bearer token and a User-Agent of the caller's: sent on every request, checked when set, never shown.</summary>
public class RequestHeadersTests
{
    private const string Token = "t0ken-Zq9-VERY-secret";
    private const string HeaderValue = "hdr-Zq9-VERY-secret";

    [Fact]
    public async Task Headers_the_bearer_token_and_the_user_agent_go_on_every_request()
    {
        using var h = new Harness(o =>
        {
            o.Headers = new Dictionary<string, string> { ["X-Tenant"] = HeaderValue, ["X-Trace"] = "abc" };
            o.BearerToken = Token;
            o.UserAgent = "MyScript/1.0 (ops)";
        }, new Uri("https://jobs.example.com/"));
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        await h.Wait(Harness.Exact(PollingStrategy.Fixed(Harness.Sec(1))), "j");

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r =>
        {
            Assert.Contains("X-Tenant: " + HeaderValue, r.Headers, StringComparison.Ordinal);
            Assert.Contains("X-Trace: abc", r.Headers, StringComparison.Ordinal);
            Assert.Contains("Authorization: Bearer " + Token, r.Headers, StringComparison.Ordinal);
            Assert.Contains("User-Agent: MyScript/1.0 (ops)", r.Headers, StringComparison.Ordinal);
            Assert.DoesNotContain("VideoTranslation.PS", r.Headers, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Without_them_the_client_sends_its_own_user_agent_and_no_authorization()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(FakeServer.Status("completed"));

        await h.Client.GetStatusAsync("j");

        string headers = Assert.Single(h.Server.Requests).Headers;
        Assert.Contains("User-Agent: VideoTranslation.PS/", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("X-Api-Key", "ApiKey (-ApiKey in PowerShell)")]
    [InlineData("x-api-key", "ApiKey (-ApiKey in PowerShell)")]
    [InlineData("Authorization", "BearerToken (-Token in PowerShell)")]
    [InlineData("User-Agent", "UserAgent (-UserAgent in PowerShell)")]
    [InlineData("Accept", "JSON")]
    [InlineData("Content-Type", "JSON")]
    [InlineData("Host", "-Uri")]
    [InlineData("Content-Length", "HTTP itself")]
    public void A_header_the_client_sets_itself_is_refused_with_what_to_use_instead(string name, string instead)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { Headers = new Dictionary<string, string> { [name] = HeaderValue } });

        Assert.StartsWith($"Headers must not set '{name}', which the client sets itself: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(instead, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HeaderValue, ex.Message, StringComparison.Ordinal);
        Assert.Equal("Headers", ex.ParamName);
    }

    [Theory]
    [InlineData("Bad Name", "is not a valid HTTP header name: 'Bad Name'")]
    [InlineData("X-Colon:", "is not a valid HTTP header name: 'X-Colon:'")]
    [InlineData("", "is not a valid HTTP header name: ''")]
    [InlineData("Content-Language", "it describes a request body")]
    public void An_invalid_header_name_is_refused_by_name(string name, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { Headers = new Dictionary<string, string> { [name] = "v" } });

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HeaderValue + "\r\nX-Injected: 1")]
    [InlineData(HeaderValue + "\n")]
    [InlineData(HeaderValue + "\0")]
    public void A_value_with_control_characters_is_refused_without_showing_it(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { Headers = new Dictionary<string, string> { ["X-Tenant"] = value } });

        Assert.Contains("the value of 'X-Tenant' is not allowed: it holds control characters", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HeaderValue, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_given_twice_in_different_case_is_refused()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["X-Tenant"] = "a", ["x-tenant"] = "b" };

        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { Headers = headers });

        Assert.Contains("sets 'x-tenant' twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_headers_are_copied_when_set()
    {
        var headers = new Dictionary<string, string> { ["X-Tenant"] = "a" };
        var options = new TranslationClientOptions { Headers = headers };

        headers["X-Tenant"] = "changed";

        Assert.Equal("a", options.Headers!["x-tenant"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(Token + "\n")]
    public void A_blank_or_broken_token_is_refused_without_showing_it(string token)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TranslationClientOptions { BearerToken = token });

        Assert.StartsWith("BearerToken must be a non-blank token without control characters", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Agent\r\nX-Injected: 1")]
    public void A_blank_or_broken_user_agent_is_refused(string userAgent)
    {
        Assert.Throws<ArgumentException>(() => new TranslationClientOptions { UserAgent = userAgent });
    }

    [Fact]
    public void A_token_over_plain_http_to_a_remote_host_is_refused_without_showing_it()
    {
        var ex = Assert.Throws<UnencryptedCredentialException>(() => new TranslationClient(new Uri("http://jobs.example.com/"), new TranslationClientOptions { BearerToken = Token }));

        Assert.Equal("bearer token", ex.Credential);
        Assert.StartsWith("Refusing to send the bearer token over plain http to jobs.example.com", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/", false)]
    [InlineData("https://jobs.example.com/", false)]
    [InlineData("http://jobs.example.com/", true)]
    public void A_token_goes_over_https_to_loopback_or_when_allowed(string address, bool allow)
    {
        using var client = new TranslationClient(new Uri(address), new TranslationClientOptions { BearerToken = Token, AllowUnencryptedApiKey = allow });
        Assert.NotNull(client);
    }

    [Fact]
    public async Task Neither_the_token_nor_a_header_value_appears_in_logs_or_errors()
    {
        var logger = new FakeLogger();
        using var h = new Harness(o =>
        {
            o.Logger = logger;
            o.AllowUnencryptedApiKey = true; // http://jobs.test/
            o.BearerToken = Token;
            o.Headers = new Dictionary<string, string> { ["X-Tenant"] = HeaderValue };
        });
        h.Server.Sequence(
            () => FakeServer.Json("busy", HttpStatusCode.ServiceUnavailable),
            () => throw new HttpRequestException("Connection refused (jobs.test:80)"),
            () => FakeServer.Json("denied", HttpStatusCode.Unauthorized));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Wait(Harness.Exact(PollingStrategy.Fixed(Harness.Sec(1))), "j"));

        Assert.NotEmpty(logger.Collector.GetSnapshot());
        foreach (string text in logger.Collector.GetSnapshot().Select(r => r.Message).Append(ex.ToString()).Append(h.Client.ToString()!))
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(HeaderValue, text, StringComparison.Ordinal);
        }
    }
}
