using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14, item 1: every job id reaches the server as one opaque path segment, or is refused before any request.
/// Against a real socket: the request line is what went over the wire, after System.Uri's and HttpClient's handling.
/// </summary>
public class JobIdOnTheWireTests
{
    // '.' and '..' are dot-segments: URL resolution removes them (RFC 3986 §5.2.4), '/jobs/../status' is '/status'.
    public static TheoryData<string> DotSegments => new() { ".", ".." };

    public static TheoryData<string> OpaqueIds => new() { "...", ".a", "a..", "a/b", "../x", "%2F", "%2E%2E", "a?b", "a#b", "a\\b", "a b", "é", "日本", "a:b", "+" };

    private static TranslationServiceProfile Renders(string statusUrl) => new()
    {
        Name = "Renders",
        StatusUrl = statusUrl,
        StatusPath = "state",
        PendingValues = ["QUEUED"],
        CompletedValues = ["DONE"],
        FailedValues = ["BROKEN"],
    };

    private static string Segment(string target, string prefix, string suffix)
    {
        Assert.StartsWith(prefix, target, StringComparison.Ordinal);
        Assert.EndsWith(suffix, target, StringComparison.Ordinal);
        return target.Substring(prefix.Length, target.Length - prefix.Length - suffix.Length);
    }

    // One segment: only unreserved characters and escapes, and exactly the id once unescaped.
    private static void AssertOpaque(string segment, string id)
    {
        Assert.Matches("^([A-Za-z0-9._~-]|%[0-9A-F]{2})+$", segment);
        Assert.NotEqual(".", segment);
        Assert.NotEqual("..", segment);
        Assert.Equal(id, Uri.UnescapeDataString(segment));
    }

    [Theory]
    [MemberData(nameof(OpaqueIds))]
    public async Task A_simulator_job_id_is_one_opaque_path_segment_on_the_wire(string id)
    {
        using var server = new RawSocketServer("""{"result":"completed"}""");
        using var client = new TranslationClient(new Uri(server.BaseUri, "api/"));

        TranslationStatus status = await client.GetStatusAsync(id);

        AssertOpaque(Segment(Assert.Single(server.Targets), "/api/jobs/", "/status"), id);
        Assert.Equal(id, status.JobId);
    }

    [Theory]
    [MemberData(nameof(DotSegments))]
    public async Task A_simulator_job_id_that_is_a_dot_segment_is_refused_before_any_request(string id)
    {
        using var server = new RawSocketServer("""{"result":"completed"}""");
        using var client = new TranslationClient(server.BaseUri);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetStatusAsync(id));
        var wait = Assert.Throws<ArgumentException>(() => client.WaitForCompletion(id));
        Assert.Throws<ArgumentException>(() => new TranslationJobTarget(client, id));

        Assert.Equal("jobId", ex.ParamName);
        Assert.StartsWith($"The job id '{id}' cannot be sent: '.' and '..' are URL dot-segments", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, wait.Message);
        Assert.Empty(server.RequestLines);
    }

    [Theory]
    [MemberData(nameof(OpaqueIds))]
    public async Task A_profile_job_id_in_the_path_is_one_opaque_segment_on_the_wire(string id)
    {
        using var server = new RawSocketServer("""{"state":"DONE"}""");
        using var client = new TranslationClient(server.BaseUri, new TranslationClientOptions { Service = TranslationService.FromProfile(Renders("v1/renders/{id}/state")) });

        await client.GetStatusAsync(id);

        AssertOpaque(Segment(Assert.Single(server.Targets), "/v1/renders/", "/state"), id);
    }

    [Theory]
    [MemberData(nameof(DotSegments))]
    public async Task A_profile_job_id_in_the_path_that_is_a_dot_segment_is_refused(string id)
    {
        using var server = new RawSocketServer("""{"state":"DONE"}""");
        using var client = new TranslationClient(server.BaseUri, new TranslationClientOptions { Service = TranslationService.FromProfile(Renders("v1/renders/{id}")) });

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetStatusAsync(id));

        Assert.Empty(server.RequestLines);
    }

    [Theory]
    [InlineData("v1/renders?id={id}", "/v1/renders?id=")] // in the query a dot is only a dot
    [InlineData("v1/renders/r-{id}", "/v1/renders/r-")] // part of a segment: never a dot-segment
    public async Task A_profile_job_id_outside_a_whole_path_segment_may_be_dots(string statusUrl, string prefix)
    {
        using var server = new RawSocketServer("""{"state":"DONE"}""");
        using var client = new TranslationClient(server.BaseUri, new TranslationClientOptions { Service = TranslationService.FromProfile(Renders(statusUrl)) });

        await client.GetStatusAsync("..");
        await client.GetStatusAsync("a/b?c#d");

        Assert.Equal([prefix + "..", prefix + "a%2Fb%3Fc%23d"], server.Targets);
    }

    [Theory]
    [InlineData("HeyGen", "/v3/video-translations/")]
    [InlineData("HeyGenV2", "/v2/video_translate/")]
    public void A_HeyGen_job_id_that_is_a_dot_segment_is_refused(string service, string prefix)
    {
        using var client = new TranslationClient(new Uri("https://api.heygen.test/"), new TranslationClientOptions { Service = TranslationService.Get(Enum.Parse<TranslationServiceKind>(service)) });

        Assert.Throws<ArgumentException>(() => client.GetStatusUri(".."));
        Assert.Equal(prefix + "a%2F..", client.GetStatusUri("a/..").AbsolutePath);
    }

    [Fact]
    public void HeyGen_video_status_takes_the_id_in_its_query_where_dots_are_dots()
    {
        using var client = new TranslationClient(new Uri("https://api.heygen.test/"), new TranslationClientOptions { Service = TranslationService.HeyGenVideo });

        Assert.Equal("?video_id=..", client.GetStatusUri("..").Query);
    }
}
