namespace VideoTranslation.Tests.Support;

/// <summary>A client wired to a <see cref="FakeServer"/> and a <see cref="TestClock"/>.</summary>
public sealed class Harness : IDisposable
{
    public Harness(Action<TranslationClientOptions>? configure = null, Uri? baseUri = null)
    {
        Server = new FakeServer(Clock);
        var options = new TranslationClientOptions { TimeProvider = Clock };
        configure?.Invoke(options);
        Http = new HttpClient(Server);
        Client = new TranslationClient(baseUri ?? FakeServer.BaseUri, options, Http);
    }

    public TestClock Clock { get; } = new();

    public FakeServer Server { get; }

    public HttpClient Http { get; }

    public TranslationClient Client { get; }

    /// <summary>Request times, in ms since <see cref="TestClock.T0"/>.</summary>
    public double[] RequestTimes => Server.RequestOffsetsMs(TestClock.T0);

    /// <summary>Starts a wait and runs fake time until it ends (at most two days of fake time).</summary>
    public Task<TranslationWaitResult> Wait(TranslationWaitOptions options, string? jobId = null)
    {
        var wait = Client.WaitForCompletionAsync(jobId, options);
        Clock.RunUntilDone(wait);
        Assert.True(wait.IsCompleted, $"the wait did not end within two days of fake time; requests at {string.Join(", ", RequestTimes)} ms");
        return wait;
    }

    /// <summary>Options with no jitter anywhere, so request times are exact.</summary>
    public static TranslationWaitOptions Exact(PollingStrategy strategy, TimeSpan? maxWait = null) => new()
    {
        Strategy = strategy,
        MaxWait = maxWait ?? TimeSpan.FromMinutes(10),
        RetryBackoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(500), 2, TimeSpan.FromSeconds(30)),
    };

    public static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    public static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    public void Dispose()
    {
        Client.Dispose();
        Http.Dispose();
    }
}
