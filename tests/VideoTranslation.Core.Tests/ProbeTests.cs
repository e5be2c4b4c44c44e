using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

public class ProbeTests
{
    [Fact]
    public async Task Probe()
    {
        var clock = new TestClock();
        var server = new FakeServer(clock);
        server.JobFinishingAt(TestClock.T0.AddSeconds(10));
        using var client = new TranslationClient(FakeServer.BaseUri, new TranslationClientOptions { TimeProvider = clock }, new HttpClient(server));
        var task = client.WaitForCompletionAsync(null, new TranslationWaitOptions { Strategy = PollingStrategy.Fixed(TimeSpan.FromSeconds(3)) });
        clock.Run(TimeSpan.FromSeconds(20));
        Assert.True(task.IsCompleted, "not completed inline: " + string.Join(",", server.RequestOffsetsMs(TestClock.T0)));
        var r = await task;
        Assert.Equal(new double[] { 0, 3000, 6000, 9000, 12000 }, server.RequestOffsetsMs(TestClock.T0));
        Assert.Equal(5, r.Attempts);
    }
}
