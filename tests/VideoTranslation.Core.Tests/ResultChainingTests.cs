using Microsoft.Extensions.Logging.Testing;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>
/// What statuses and results carry so that PowerShell can chain them (the server's address, without user info) and
/// how they read in logs and CSV files (ToString).
/// </summary>
public class ResultChainingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_status_carries_the_servers_base_address_without_user_info()
    {
        // Arrange
        using var h = new Harness(baseUri: new Uri("http://user:s3cret@jobs.test/api"));
        h.Server.Sequence(() => FakeServer.Status("pending"));

        // Act
        var status = await h.Client.GetStatusAsync("j1");

        // Assert
        Assert.Equal(new Uri("http://jobs.test/api/"), status.Uri);
        Assert.Equal(string.Empty, status.Uri!.UserInfo);
        Assert.Equal("http://jobs.test/api/", status.Uri.OriginalString); // what JSON serializers write
    }

    [Fact]
    public async Task A_result_and_every_status_of_its_history_carry_the_base_address()
    {
        // Arrange
        using var h = new Harness(baseUri: new Uri("http://user:s3cret@jobs.test/"));
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        // Act
        var result = await h.Wait(Fixed(), "j1", runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal(new Uri("http://jobs.test/"), result.Uri);
        Assert.Equal("j1", result.JobId);
        Assert.All(result.History, s => Assert.Equal(new Uri("http://jobs.test/"), s.Uri));
    }

    [Fact]
    public void A_status_made_outside_a_client_has_no_address()
    {
        var status = new TranslationStatus(TranslationState.Pending, "pending", DateTimeOffset.UnixEpoch, new Uri("http://jobs.test/status"));

        Assert.Null(status.Uri);
    }

    [Fact]
    public async Task A_result_reads_one_check_in_the_singular_and_its_duration_in_seconds()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("completed"));

        // Act
        var result = await h.Wait(Fixed(), "j1", runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal("Completed after 1 check in 0 ms", result.ToString());
    }

    [Fact]
    public async Task A_result_reads_more_checks_in_the_plural_and_its_history_as_ASCII_state_names()
    {
        // Arrange
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("pending"), () => FakeServer.Status("completed"));

        // Act
        var result = await h.Wait(Fixed(), "j1", runFor: TimeSpan.FromMinutes(1));

        // Assert
        Assert.Equal("Completed after 3 checks in 6 s", result.ToString());
        Assert.Equal(6.0, result.ElapsedSeconds);
        Assert.Equal("Pending->Completed", result.History.ToString());
        Assert.Equal(2, result.History.Count);
    }

    [Fact]
    public async Task A_single_check_is_logged_at_Information_with_its_url_state_and_duration()
    {
        // Arrange
        var logger = new FakeLogger();
        using var h = new Harness(o => o.Logger = logger, new Uri("http://user:s3cret@jobs.test/"));
        h.Server.Sequence(() => FakeServer.Status("completed"));

        // Act
        await h.Client.GetStatusAsync("j1");

        // Assert
        var record = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id == TranslationLogEvents.StatusAnswered);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, record.Level);
        Assert.Equal("GET http://jobs.test/jobs/j1/status answered Completed in 0 ms", record.Message);
    }

    private static TranslationWaitOptions Fixed() => new()
    {
        Strategy = PollingStrategy.Fixed(Interval),
        MaxWait = TimeSpan.FromMinutes(5),
    };
}
