using System.Net;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>When the server says a job ended (the detection lateness is measured from it), and when it does not.</summary>
public class CompletedAtTests
{
    private static readonly DateTimeOffset Ended = TestClock.T0.AddSeconds(-2.5);

    private static async Task<TranslationStatus> StatusOf(HttpResponseMessage answer, string? jobId = "j", Action<TranslationClientOptions>? configure = null)
    {
        using var h = new Harness(configure);
        h.Server.Respond = (_, _) => Task.FromResult(answer);
        return await h.Client.GetStatusAsync(jobId);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("error")]
    public async Task A_finished_answers_completedAt_is_when_the_job_ended_and_the_lateness_is_measured_from_it(string result)
    {
        TranslationStatus status = await StatusOf(FakeServer.Json($$"""{"id":"j","result":"{{result}}","completedAt":"{{Ended:O}}"}"""));

        Assert.Equal(Ended, status.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(2.5), status.DetectionLateness);
    }

    [Fact]
    public async Task A_pending_answers_completedAt_is_not_taken()
    {
        TranslationStatus status = await StatusOf(FakeServer.Json($$"""{"result":"pending","completedAt":"{{Ended:O}}"}"""));

        Assert.Null(status.CompletedAt);
        Assert.Null(status.DetectionLateness);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("true")]
    [InlineData("-5")]
    [InlineData("{}")]
    public async Task A_completedAt_that_is_no_time_is_dropped_like_a_hint_and_the_status_still_reads(string value)
    {
        TranslationStatus status = await StatusOf(FakeServer.Json($$"""{"result":"completed","completedAt":{{value}}}"""));

        Assert.Equal((TranslationState.Completed, (DateTimeOffset?)null), (status.State, status.CompletedAt));
    }

    [Fact]
    public async Task The_original_status_route_says_it_in_a_header_and_its_body_keeps_one_field()
    {
        HttpResponseMessage answer = FakeServer.Status("completed");
        answer.Headers.Add("X-Completed-At", Ended.ToString("O"));

        TranslationStatus status = await StatusOf(answer, jobId: null);

        Assert.Equal(Ended, status.CompletedAt);
    }

    [Fact]
    public async Task A_server_clock_ahead_of_the_clients_is_no_negative_lateness()
    {
        DateTimeOffset ahead = TestClock.T0.AddSeconds(3);

        TranslationStatus status = await StatusOf(FakeServer.Json($$"""{"result":"completed","completedAt":"{{ahead:O}}"}"""));

        Assert.Equal((ahead, TimeSpan.Zero), (status.CompletedAt, status.DetectionLateness));
    }

    [Theory]
    [InlineData("\"2026-01-01T11:59:57.5Z\"")]
    [InlineData("1767268797.5")] // unix seconds
    public async Task A_profiles_CompletedAtPath_reads_an_ISO_time_or_unix_seconds(string value)
    {
        var profile = new TranslationServiceProfile
        {
            StatusUrl = "renders/{id}", StatusPath = "render.state", PendingValues = ["QUEUED"], CompletedValues = ["DONE"], FailedValues = ["BROKEN"],
            CompletedAtPath = "render.finished",
        };
        TranslationService service = TranslationService.FromProfile(profile);

        TranslationStatus status = await StatusOf(
            FakeServer.Json($$$"""{"render":{"state":"DONE","finished":{{{value}}}}}"""),
            configure: o => o.Service = service);

        Assert.Equal(Ended, status.CompletedAt);
    }

    [Fact]
    public void A_profiles_CompletedAtPath_that_is_no_path_is_refused_up_front()
    {
        var profile = new TranslationServiceProfile
        {
            StatusUrl = "renders/{id}", StatusPath = "render.state", PendingValues = ["QUEUED"], CompletedValues = ["DONE"], FailedValues = ["BROKEN"],
            CompletedAtPath = "render..finished",
        };

        Assert.Contains("CompletedAtPath", Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(profile)).Message);
    }
}
