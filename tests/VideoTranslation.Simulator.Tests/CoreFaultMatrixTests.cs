using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Faults;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// The fault matrix of issue 6, driven through the client core against the real simulator on Kestrel: for every
/// fault, either the wait is retried and completes, or it ends with a clear, typed error — and never outlives its
/// deadline by more than one request timeout. Faults "heal" when the client has seen them a set number of times
/// (from its own progress callback), so no test depends on how fast this machine is.
/// </summary>
public sealed class CoreFaultMatrixTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(600);

    // Only a broken build gets near this; the deadline tests use their own short MaxWait.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static TheoryData<string, Type> TransientFaults => new()
    {
        { "--fault-500", typeof(TranslationHttpException) },
        { "--fault-503", typeof(TranslationHttpException) },
        { "--fault-429", typeof(TranslationHttpException) },
        { "--fault-slow", typeof(TranslationConnectionException) },
        { "--fault-drop", typeof(TranslationConnectionException) },
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_transient_fault_is_retried_and_the_wait_completes_once_it_heals(string fault, Type seen)
    {
        await using var sim = await KestrelSimulator.StartAsync([fault, "0", "--slow-seconds", "5", "--retry-after", "0"]);
        using var client = NewClient(sim);

        // A job that is already done: every check but the faulted ones says completed.
        var job = await CreateJobAsync(sim, TimeSpan.Zero);
        var injector = sim.Services.GetRequiredService<FaultInjector>();
        injector.Apply(Faults(fault));
        var failures = new List<TranslationException>();

        var result = await client.WaitForCompletionAsync(job.Id, Options(TimeSpan.FromSeconds(20), onFailure: (ex, _) =>
        {
            failures.Add(ex);
            if (failures.Count == 3)
            {
                injector.Apply(new FaultOptions()); // healed after the client has seen three failures
            }
        }));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.IsType(seen, f));
        Assert.All(failures, f => Assert.True(f.IsTransient));
        Assert.Equal(4, result.Attempts);
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_fault_that_never_heals_ends_at_the_deadline_plus_at_most_one_request_timeout(string fault, Type seen)
    {
        await using var sim = await KestrelSimulator.StartAsync([fault, "1", "--slow-seconds", "5", "--retry-after", "0"]);
        // Unlimited transport retries: this is about the deadline, not MaxTransportRetries (TransportRetryTests).
        using var client = new TranslationClient(sim.Url, new TranslationClientOptions
        {
            RequestTimeout = RequestTimeout,
            MaxTransportRetries = TranslationClientOptions.UnlimitedTransportRetries,
        });
        var maxWait = TimeSpan.FromSeconds(1.5);

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<TranslationTimeoutException>(() => client.WaitForCompletionAsync(null, Options(maxWait)));
        watch.Stop();

        Assert.IsType(seen, ex.InnerException);
        Assert.Contains("did not finish within 1.5 s", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed <= maxWait + RequestTimeout + TimeSpan.FromMilliseconds(300), $"the wait took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData("seconds")]
    [InlineData("date")]
    public async Task Retry_after_of_a_429_is_honoured_in_seconds_and_as_a_date(string format)
    {
        await using var sim = await KestrelSimulator.StartAsync(["--delay-model", "fixed", "--delay", "0.1"]);
        await WarmUpAsync(sim, jobId: null);
        using var client = NewClient(sim);
        var injector = sim.Services.GetRequiredService<FaultInjector>();
        int retryAfter = 2;
        injector.Apply(new FaultOptions { TooManyRequestsProbability = 1, RetryAfterSeconds = retryAfter, RetryAfterFormat = format });
        TimeSpan? chosen = null;
        var watch = new Stopwatch();

        // Only the 429 counts: a check of a cold server can time out first (600 ms) and is retried as any would be.
        var result = await client.WaitForCompletionAsync(null, Options(TimeSpan.FromSeconds(20), onFailure: (ex, delay) =>
        {
            if (ex is TranslationHttpException { StatusCode: 429 } && chosen is null)
            {
                chosen = delay;
                injector.Apply(new FaultOptions());
                watch.Start();
            }
        }));
        watch.Stop();

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.InRange(result.Attempts, 2, 3);

        // "2 s" as seconds; as a date, rounded up to the second, between 1 and 3 s from when it was read.
        Assert.NotNull(chosen);
        Assert.InRange(chosen.Value, TimeSpan.FromSeconds(format == "date" ? 1 : 2), TimeSpan.FromSeconds(3));
        Assert.True(watch.Elapsed >= chosen.Value - TimeSpan.FromMilliseconds(20), $"the next check came after {watch.Elapsed.TotalMilliseconds:0} ms, not {chosen.Value.TotalMilliseconds:0}");
    }

    [Theory]
    [InlineData("--fault-malformed", "not valid JSON")]
    [InlineData("--fault-unknown-result", "\"processing\", which is none of \"pending\", \"completed\", \"error\"")]
    public async Task A_body_outside_the_contract_ends_the_wait_at_once_with_the_protocol_error(string fault, string expected)
    {
        await using var sim = await KestrelSimulator.StartAsync([fault, "1"]);
        using var client = NewClient(sim, requestTimeout: Generous);

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => client.WaitForCompletionAsync(null, Options(Generous)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_naming_the_job_after_one_request()
    {
        await using var sim = await KestrelSimulator.StartAsync([]);
        using var client = NewClient(sim, requestTimeout: Generous);
        int attempts = 0;
        var options = Options(Generous);
        options.OnProgress = _ => attempts++;

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => client.WaitForCompletionAsync("no-such-job", options));

        Assert.Equal(404, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("no-such-job", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, attempts); // no retry was scheduled
    }

    [Fact]
    public async Task A_wrong_api_key_is_a_401_that_says_so_and_shows_neither_key()
    {
        const string right = "right-key-Qw7", wrong = "wrong-key-Zx3";
        await using var sim = await KestrelSimulator.StartAsync(["--api-key", right]);
        using var client = NewClient(sim, wrong, Generous);

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => client.WaitForCompletionAsync(null, Options(Generous)));

        Assert.Equal(401, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("X-Api-Key header does not match", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(right, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);

        // And the right key works.
        using var keyed = NewClient(sim, right, Generous);
        var status = await keyed.GetStatusAsync();
        Assert.Equal("/status", status.RequestUri.AbsolutePath);
    }

    [Fact]
    public async Task Connection_refused_is_retried_until_the_server_comes_up()
    {
        // A port nobody listens on yet.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var client = new TranslationClient(new Uri($"http://127.0.0.1:{port}/"), new TranslationClientOptions { RequestTimeout = RequestTimeout });
        var failures = new List<TranslationException>();
        Task<KestrelSimulator>? starting = null;
        var wait = client.WaitForCompletionAsync(null, Options(TimeSpan.FromSeconds(20), onFailure: (ex, _) =>
        {
            failures.Add(ex);
            if (failures.Count == 2)
            {
                starting = KestrelSimulator.StartAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--delay-model", "fixed", "--delay", "0.2"]);
            }
        }));

        var result = await wait.WaitAsync(Generous);
        await using var sim = await starting!;

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.True(failures.Count >= 2);
        Assert.All(failures.Take(2), f => Assert.False(Assert.IsType<TranslationConnectionException>(f).IsTimeout));
    }

    // Set-up goes through a client with a generous timeout: a cold server's first answer is not what is tested.
    private static async Task<TranslationJob> CreateJobAsync(KestrelSimulator sim, TimeSpan delay)
    {
        using var setup = new TranslationClient(sim.Url, new TranslationClientOptions { RequestTimeout = Generous });
        var job = await setup.CreateJobAsync(new TranslationJobRequest { Delay = delay, Outcome = TranslationState.Completed });
        await WarmUpAsync(sim, job.Id);
        return job;
    }

    private static async Task WarmUpAsync(KestrelSimulator sim, string? jobId)
    {
        using var setup = new TranslationClient(sim.Url, new TranslationClientOptions { RequestTimeout = Generous });
        await setup.GetStatusAsync(jobId);
    }

    private static TranslationClient NewClient(KestrelSimulator sim, string? apiKey = null, TimeSpan? requestTimeout = null) =>
        new(sim.Url, new TranslationClientOptions { RequestTimeout = requestTimeout ?? RequestTimeout, ApiKey = apiKey });

    // Fixed 100 ms polling and a 100 ms retry backoff without jitter: failures, not timing, decide what happens.
    private static TranslationWaitOptions Options(TimeSpan maxWait, Action<TranslationException, TimeSpan>? onFailure = null) => new()
    {
        Strategy = PollingStrategy.Fixed(TimeSpan.FromMilliseconds(100)),
        RetryBackoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), 1, TimeSpan.FromMilliseconds(100)),
        MaxWait = maxWait,
        OnProgress = p =>
        {
            if (p.LastError is { } error)
            {
                onFailure?.Invoke(error, p.NextCheckIn);
            }
        },
    };

    private static FaultOptions Faults(string fault) => fault switch
    {
        "--fault-500" => new FaultOptions { InternalErrorProbability = 1 },
        "--fault-503" => new FaultOptions { ServiceUnavailableProbability = 1 },
        "--fault-429" => new FaultOptions { TooManyRequestsProbability = 1, RetryAfterSeconds = 0 },
        "--fault-slow" => new FaultOptions { SlowProbability = 1, SlowSeconds = 5 },
        "--fault-drop" => new FaultOptions { DropConnectionProbability = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };
}
