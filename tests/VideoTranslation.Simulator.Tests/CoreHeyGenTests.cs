using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Faults;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// The client core against the real simulator on Kestrel in each HeyGen mode: creates (one job per language), the
/// service's status words, result URLs and failure messages, its error envelopes and API key, a create over the
/// concurrency limit that waits out the 429's Retry-After, and a create whose answer is dropped, retried with the same
/// Idempotency-Key: one set of jobs, not two. Jobs take a few hundred milliseconds; nothing here waits on time.
/// </summary>
public sealed class CoreHeyGenTests
{
    private static readonly Uri Video = new("https://videos.example/in.mp4");

    private static readonly Dictionary<string, string[]> Words = new()
    {
        ["HeyGen"] = new[] { "pending", "running", "completed", "failed" },
        ["HeyGenV2"] = new[] { "pending", "running", "success", "failed" },
        ["HeyGenVideo"] = new[] { "waiting", "pending", "processing", "completed", "failed" },
    };

    private static TranslationClient Client(KestrelSimulator sim, TranslationService service, Action<TranslationClientOptions>? more = null)
    {
        var options = new TranslationClientOptions { Service = service, RequestTimeout = TimeSpan.FromSeconds(5) };
        more?.Invoke(options);
        return new TranslationClient(sim.Url, options);
    }

    private static TranslationWaitOptions Quick() => new() { Strategy = PollingStrategy.Fixed(TimeSpan.FromMilliseconds(50)), MaxWait = TimeSpan.FromSeconds(20) };

    // HeyGenVideo creates no jobs: its videos are made with the simulator's own POST /jobs, as docs/protocol.md says.
    private static async Task<IReadOnlyList<TranslationJob>> CreateAsync(KestrelSimulator sim, TranslationService service, TranslationState outcome, params string[] languages)
    {
        var request = new TranslationJobRequest { VideoUrl = Video, OutputLanguages = languages, Delay = TimeSpan.FromMilliseconds(400), Outcome = outcome };
        if (service.CanCreateJobs)
        {
            using var client = Client(sim, service);
            return await client.CreateJobsAsync(request);
        }

        using var simulator = Client(sim, TranslationService.Simulator);
        return new[] { await simulator.CreateJobAsync(new TranslationJobRequest { Delay = request.Delay, Outcome = outcome }) };
    }

    [Theory]
    [InlineData("HeyGen")]
    [InlineData("HeyGenV2")]
    [InlineData("HeyGenVideo")]
    public async Task Each_HeyGen_mode_is_waited_on_to_a_fresh_result_url_in_its_own_words(string name)
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", name]);
        TranslationService service = TranslationService.Get(Enum.Parse<TranslationServiceKind>(name));
        string[] languages = name == "HeyGen" ? ["Spanish (Spain)", "German (Germany)"] : ["Spanish (Spain)"];
        IReadOnlyList<TranslationJob> jobs = await CreateAsync(sim, service, TranslationState.Completed, languages);
        using var client = Client(sim, service);

        IReadOnlyList<TranslationJobOutcome> outcomes = await client.WaitForAllAsync(jobs.Select(j => j.Id), Quick());

        Assert.Equal(languages.Length, outcomes.Count);
        foreach (TranslationJobOutcome outcome in outcomes)
        {
            TranslationWaitResult result = Assert.IsType<TranslationWaitResult>(outcome.Result);
            Assert.Equal(TranslationState.Completed, result.State);
            Assert.Equal(name, result.Service);
            Assert.Equal(new Uri(sim.Url, $"simulated-results/{result.JobId}.mp4").AbsolutePath, result.VideoUrl!.AbsolutePath);
            Assert.Contains("Signature=", result.VideoUrl.Query, StringComparison.Ordinal);
            Assert.All(result.History, s => Assert.Contains(s.RawResult, Words[name]));
            Assert.Equal(TranslationState.Pending, result.History[0].State);
        }

        // Every status call signs the URL anew, as HeyGen's expire.
        TranslationStatus again = await client.GetStatusAsync(jobs[0].Id);
        Assert.NotEqual(outcomes[0].Result!.VideoUrl, again.VideoUrl);
    }

    [Theory]
    [InlineData("HeyGen")]
    [InlineData("HeyGenV2")]
    [InlineData("HeyGenVideo")]
    public async Task A_failed_job_in_each_mode_carries_the_service_failure_message(string name)
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", name]);
        TranslationService service = TranslationService.Get(Enum.Parse<TranslationServiceKind>(name));
        TranslationJob job = (await CreateAsync(sim, service, TranslationState.Error, "French"))[0];
        using var client = Client(sim, service);

        TranslationWaitResult result = await client.WaitForCompletionAsync(job.Id, Quick());

        Assert.Equal(TranslationState.Error, result.State);
        Assert.Equal("failed", result.FinalStatus.RawResult);
        Assert.False(string.IsNullOrWhiteSpace(result.FailureMessage));
        Assert.EndsWith(": " + result.FailureMessage, Assert.Throws<TranslationJobFailedException>(() => result.EnsureSucceeded()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HeyGen", "not_found")]
    [InlineData("HeyGenV2", "40031")]
    [InlineData("HeyGenVideo", "40031")]
    public async Task An_unknown_id_is_a_404_with_the_service_code_and_message(string name, string code)
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", name]);
        using var client = Client(sim, TranslationService.Get(Enum.Parse<TranslationServiceKind>(name)));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => client.GetStatusAsync("no-such-job"));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains("no-such-job", ex.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"the server says: {code}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_goes_as_X_Api_Key_and_a_missing_one_is_unauthorized()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGen", "--api-key", "hg-secret"]);
        using var anonymous = Client(sim, TranslationService.HeyGen);
        using var keyed = Client(sim, TranslationService.HeyGen, o => o.ApiKey = "hg-secret");

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => anonymous.GetStatusAsync("default"));
        TranslationStatus status = await keyed.GetStatusAsync("default");

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("unauthorized", ex.ErrorCode);
        Assert.Equal("HeyGen", status.Service);
    }

    [Fact]
    public async Task A_create_over_the_concurrency_limit_waits_out_the_429_and_then_makes_its_job()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGen", "--concurrency-limit", "1"]);
        var events = new EventLog();
        using var client = Client(sim, TranslationService.HeyGen, o => o.Logger = events);
        TranslationJob first = (await client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = Video, OutputLanguages = ["French"], Delay = TimeSpan.FromMilliseconds(600) }))[0];

        TranslationJob second = (await client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = Video, OutputLanguages = ["Italian"], Delay = TimeSpan.Zero }))[0];

        Assert.NotEqual(first.Id, second.Id);
        string retried = Assert.Single(events.Messages(TranslationLogEvents.CreateRetrying));
        Assert.Contains("HTTP 429", retried, StringComparison.Ordinal);
        Assert.Contains("rate_limit_exceeded", retried, StringComparison.Ordinal);
        Assert.Equal(TranslationState.Completed, (await client.GetStatusAsync(first.Id)).State); // the slot freed when the first ended
    }

    [Fact]
    public async Task A_create_whose_answer_is_dropped_is_retried_with_the_same_key_and_makes_its_jobs_once()
    {
        await using var sim = await KestrelSimulator.StartAsync(["--service", "HeyGen", "--concurrency-limit", "100"]);
        var injector = sim.Services.GetRequiredService<FaultInjector>();
        injector.Apply(new FaultOptions { DropAfterCreateProbability = 1 });
        var events = new EventLog(onEvent: id =>
        {
            if (id == TranslationLogEvents.CreateRetrying.Id)
            {
                injector.Apply(new FaultOptions()); // healed once the client has seen its create dropped
            }
        });
        using var client = Client(sim, TranslationService.HeyGen, o => o.Logger = events);
        int before = await JobCountAsync(sim);

        IReadOnlyList<TranslationJob> jobs = await client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = Video, OutputLanguages = ["French", "Korean", "Hindi"] });

        Assert.Equal(3, jobs.Count);
        Assert.Equal(3, jobs.Select(j => j.Id).Distinct().Count());
        Assert.Single(events.Messages(TranslationLogEvents.CreateRetrying));
        Assert.Equal(before + 3, await JobCountAsync(sim)); // three jobs, not six
    }

    private static async Task<int> JobCountAsync(KestrelSimulator sim)
    {
        using var health = await sim.Client.GetFromJsonAsync<JsonDocument>(new Uri(sim.Url, "health"));
        return health!.RootElement.GetProperty("jobs").GetInt32();
    }

    /// <summary>Collects the client's log events, and tells <paramref name="onEvent"/> of each as it happens.</summary>
    private sealed class EventLog(Action<int>? onEvent = null) : ILogger
    {
        private readonly List<(int Id, string Message)> _events = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_events)
            {
                _events.Add((eventId.Id, formatter(state, exception)));
            }

            onEvent?.Invoke(eventId.Id);
        }

        public string[] Messages(EventId id)
        {
            lock (_events)
            {
                return _events.Where(e => e.Id == id.Id).Select(e => e.Message).ToArray();
            }
        }
    }
}
