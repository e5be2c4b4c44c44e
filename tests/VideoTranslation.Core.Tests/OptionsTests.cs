using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class OptionsTests
{
    [Fact]
    public void Client_defaults_match_the_documented_values()
    {
        var options = new TranslationClientOptions();
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.MinimumPollInterval);
        Assert.Equal(64 * 1024, options.MaxResponseBytes);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.Logger);
    }

    [Fact]
    public void Wait_defaults_match_the_documented_values()
    {
        var options = new TranslationWaitOptions();
        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxWait);
        // Auto: long-poll, else hints, else learned durations (shared history), else exponential 1 s ×1.5 ≤ 5 s, jitter 0.2.
        var longPoll = Assert.IsType<LongPollStrategy>(options.Strategy);
        Assert.Equal(TimeSpan.FromSeconds(30), longPoll.MaxHold);
        var adaptive = Assert.IsType<AdaptiveStrategy>(longPoll.Fallback);
        var learned = Assert.IsType<LearnedStrategy>(adaptive.Fallback);
        Assert.Same(DurationHistory.Shared, learned.History);
        var strategy = Assert.IsType<ExponentialStrategy>(learned.Fallback);
        Assert.Equal((1.0, 1.5, 5.0, 0.2), (strategy.InitialInterval.TotalSeconds, strategy.Factor, strategy.MaxInterval.TotalSeconds, strategy.Jitter));
        Assert.Equal((0.5, 2.0, 30.0), (options.RetryBackoff.InitialInterval.TotalSeconds, options.RetryBackoff.Factor, options.RetryBackoff.MaxInterval.TotalSeconds));
    }

    public static TheoryData<Action, string, string> BadClientOptions => new()
    {
        { () => _ = new TranslationClientOptions { RequestTimeout = TimeSpan.Zero }, "RequestTimeout", "RequestTimeout must be greater than zero and at most 1.00:00:00; it was 0 ms." },
        { () => _ = new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(-3) }, "RequestTimeout", "it was -3 s." },
        { () => _ = new TranslationClientOptions { RequestTimeout = Timeout.InfiniteTimeSpan }, "RequestTimeout", "it was infinite." },
        { () => _ = new TranslationClientOptions { MinimumPollInterval = TimeSpan.Zero }, "MinimumPollInterval", "MinimumPollInterval must be greater than zero" },
        { () => _ = new TranslationClientOptions { MaxResponseBytes = 100 }, "MaxResponseBytes", "MaxResponseBytes must be between 1024 and 16777216; it was 100." },
        { () => _ = new TranslationClientOptions { MaxResponseBytes = int.MaxValue }, "MaxResponseBytes", "it was 2147483647." },
        { () => _ = new TranslationWaitOptions { MaxWait = TimeSpan.Zero }, "MaxWait", "MaxWait must be greater than zero and at most 1.00:00:00; it was 0 ms." },
        { () => _ = new TranslationWaitOptions { MaxWait = TimeSpan.FromMinutes(-1) }, "MaxWait", "it was -00:01:00." },
        { () => _ = new TranslationWaitOptions { MaxWait = TimeSpan.FromDays(3) }, "MaxWait", "it was 3.00:00:00." },
    };

    [Theory]
    [MemberData(nameof(BadClientOptions))]
    public void Bad_option_values_are_rejected_when_set_naming_option_and_value(Action set, string option, string text)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(set);
        Assert.Equal(option, ex.ParamName);
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void Null_values_are_rejected_with_the_option_name()
    {
        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(() => new TranslationClientOptions { TimeProvider = null! }).ParamName);
        Assert.Equal("Strategy", Assert.Throws<ArgumentNullException>(() => new TranslationWaitOptions { Strategy = null! }).ParamName);
        Assert.Equal("RetryBackoff", Assert.Throws<ArgumentNullException>(() => new TranslationWaitOptions { RetryBackoff = null! }).ParamName);
    }

    [Fact]
    public void An_infinite_max_wait_is_allowed()
    {
        var options = new TranslationWaitOptions { MaxWait = Timeout.InfiniteTimeSpan };
        Assert.Equal(Timeout.InfiniteTimeSpan, options.MaxWait);
    }

    [Fact]
    public void A_rejected_value_leaves_the_previous_one_in_place()
    {
        var options = new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(2) };
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
    }

    [Theory]
    [InlineData("status", "must be an absolute http or https address, like http://localhost:5000/; it was 'status'.")]
    [InlineData("/api/", "must be an absolute http or https address")]
    [InlineData("ftp://files.test/", "must use http or https; it was 'ftp://files.test/' (scheme 'ftp').")]
    [InlineData("file:///tmp/x", "scheme 'file'")]
    [InlineData("http://jobs.test/?key=abc", "must not have a query or fragment; it was 'http://jobs.test/?key=***'.")]
    [InlineData("http://jobs.test/#frag", "must not have a query or fragment")]
    public void Bad_base_uris_are_rejected_with_a_clear_message(string uri, string text)
    {
        var ex = Assert.Throws<TranslationAddressException>(() => new TranslationClient(new Uri(uri, UriKind.RelativeOrAbsolute)));
        Assert.Equal("baseUri", ex.ParamName);
        Assert.Contains(text, ex.Message);
        Assert.Contains(text, ex.Problem, StringComparison.Ordinal); // callers say it in their own terms
        Assert.Equal("baseUri " + ex.Problem, ex.Message);
    }

    [Fact]
    public void A_null_base_uri_is_rejected()
    {
        Assert.Equal("baseUri", Assert.Throws<ArgumentNullException>(() => new TranslationClient(null!)).ParamName);
    }

    [Theory]
    [InlineData("http://jobs.test", "http://jobs.test/status", "http://jobs.test/jobs/a%2Fb%20c/status")]
    [InlineData("https://jobs.test:8443/api", "https://jobs.test:8443/api/status", "https://jobs.test:8443/api/jobs/a%2Fb%20c/status")]
    [InlineData("http://jobs.test/api/v1/", "http://jobs.test/api/v1/status", "http://jobs.test/api/v1/jobs/a%2Fb%20c/status")]
    public void Status_urls_keep_the_base_path_and_escape_the_job_id(string baseUri, string singleJob, string job)
    {
        using var client = new TranslationClient(new Uri(baseUri));
        Assert.Equal(singleJob, client.GetStatusUri().AbsoluteUri);
        Assert.Equal(job, client.GetStatusUri("a/b c").AbsoluteUri);
        Assert.EndsWith("/", client.BaseUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_job_id_is_rejected_before_any_request(string jobId)
    {
        using var h = new Harness();

        var ex = Assert.Throws<ArgumentException>(() => h.Client.GetStatusUri(jobId));
        Assert.Contains("jobId must not be empty or white space; pass null to use the single-job /status endpoint.", ex.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Start(jobId: jobId));
        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.GetStatusAsync(jobId));
        Assert.Throws<ArgumentException>(() => h.Client.GetStatus(jobId));
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public void The_client_copies_its_options_so_later_changes_do_not_affect_it()
    {
        using var h = new Harness();
        h.Server.Respond = (_, ct) => FakeServer.Hang(ct);
        var options = new TranslationClientOptions { TimeProvider = h.Clock, RequestTimeout = TimeSpan.FromSeconds(2) };
        using var client = new TranslationClient(FakeServer.BaseUri, options, h.Http);
        options.RequestTimeout = TimeSpan.FromSeconds(30);

        var check = client.GetStatusAsync();
        h.Clock.Run(TimeSpan.FromSeconds(2));

        var ex = Assert.IsType<TranslationConnectionException>(check.Exception?.InnerException);
        Assert.True(ex.IsTimeout);
        Assert.Contains("within the request timeout of 2 s", ex.Message);
    }
}
