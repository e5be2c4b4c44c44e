using System.Diagnostics;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// Cancellation through the core against the real simulator, on the real clock: a wait stops within 200 ms of
/// its token being cancelled — while a request is in flight (held long-poll, slow answer) and while it sleeps,
/// in the async and the sync flavour — and sends nothing afterwards.
/// </summary>
public sealed class CoreCancellationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static TheoryData<string, bool> Cases => new()
    {
        { "held long-poll", false },
        { "held long-poll", true },
        { "slow answer", false },
        { "slow answer", true },
        { "sleeping", false },
        { "sleeping", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_cancelled_wait_stops_within_200_ms_and_sends_nothing_more(string phase, bool sync)
    {
        // Arrange: a job pending for a minute; the phase decides where the wait is when it is cancelled.
        string[] args = phase == "slow answer" ? ["--fault-slow", "1", "--slow-seconds", "20"] : [];
        await using var sim = await KestrelSimulator.StartAsync(args);
        using var setup = new TranslationClient(sim.Url, new TranslationClientOptions { RequestTimeout = Generous });
        var job = await setup.CreateJobAsync(new TranslationJobRequest { Delay = TimeSpan.FromMinutes(1) });
        PollingStrategy strategy = phase == "held long-poll" ? new LongPollStrategy() : PollingStrategy.Fixed(TimeSpan.FromSeconds(20));
        using var client = new TranslationClient(sim.Url, new TranslationClientOptions { RequestTimeout = Generous });
        using var cts = new CancellationTokenSource();
        var inPhase = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new TranslationWaitOptions
        {
            Strategy = strategy,
            MaxWait = TimeSpan.FromMinutes(5),
            OnProgress = _ => inPhase.TrySetResult(), // a check ended, the sleep begins
        };

        Task wait = sync
            ? Task.Factory.StartNew(() => client.WaitForCompletion(job.Id, options, cts.Token), TaskCreationOptions.LongRunning)
            : client.WaitForCompletionAsync(job.Id, options, cts.Token);

        // Act: wait until the wait is in the phase, as the server sees it.
        if (phase == "sleeping")
        {
            await inPhase.Task.WaitAsync(Generous);
        }
        else
        {
            await WaitUntilServerSeesAsync(sim, job.Id, phase == "held long-poll" ? "heldRequests" : "statusRequestsStarted");
        }

        long before = await StatusRequestsAsync(sim, job.Id);
        var watch = Stopwatch.StartNew();
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        watch.Stop();

        // Assert
        Assert.True(watch.Elapsed <= Bound, $"{phase} ({(sync ? "sync" : "async")}): stopped {watch.Elapsed.TotalMilliseconds:0} ms after the cancel");
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(before, await StatusRequestsAsync(sim, job.Id));
    }

    // Polls the server's own view of the job until the wait is where the test wants it (bounded).
    private static async Task WaitUntilServerSeesAsync(KestrelSimulator sim, string jobId, string what)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            if (what == "heldRequests")
            {
                using var doc = await GetJobAsync(sim, jobId);
                if (doc.RootElement.GetProperty("heldRequests").GetInt32() > 0)
                {
                    return;
                }
            }
            else if (sim.Services.GetService(typeof(Faults.FaultInjector)) is Faults.FaultInjector faults &&
                     faults.Injected[Faults.FaultKind.Slow] > 0)
            {
                return; // the slow answer is being held back right now
            }

            await Task.Delay(10);
        }

        Assert.Fail($"the server never saw {what} for job {jobId}");
    }

    private static async Task<long> StatusRequestsAsync(KestrelSimulator sim, string jobId)
    {
        using var doc = await GetJobAsync(sim, jobId);
        return doc.RootElement.GetProperty("statusRequests").GetInt64();
    }

    private static async Task<System.Text.Json.JsonDocument> GetJobAsync(KestrelSimulator sim, string jobId) =>
        System.Text.Json.JsonDocument.Parse(await sim.Client.GetStringAsync($"/jobs/{jobId}"));
}
