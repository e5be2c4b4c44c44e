using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Contracts;
using VideoTranslation.Simulator.Faults;
using VideoTranslation.Simulator.Jobs;
using VideoTranslation.Simulator.Models;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>
/// What happens when the server starts: before Kestrel accepts a request, the startup job (GET /status) is
/// created and the start-up fault window opens, so both count from the server's start. When it stops, held
/// long-poll requests are answered at once instead of holding up the shutdown.
/// </summary>
internal sealed partial class SimulationStartup(
    JobStore store,
    FaultInjector faults,
    SimulatorRandom random,
    IOptions<SimulatorOptions> options,
    ILogger<SimulationStartup> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var job = store.CreateStartupJob();
        faults.Start();
        if (random.SeedWasGiven)
        {
            LogSeed(logger, random.Seed);
        }
        else
        {
            LogDrawnSeed(logger, random.Seed);
        }

        var outcome = job.Plan.Outcome.ToWire();
        LogStartupJob(logger, job.Plan.DelaySeconds, outcome, options.Value.Delay.Model, options.Value.Error.Model);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        store.ReleaseHeldRequests();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed {Seed}")]
    private static partial void LogSeed(ILogger logger, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed {Seed} (drawn; pass --seed {Seed} to repeat this run)")]
    private static partial void LogDrawnSeed(ILogger logger, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Startup job: {DelaySeconds:0.###} s, then {Outcome} (delay model {DelayModel}, error model {ErrorModel})")]
    private static partial void LogStartupJob(ILogger logger, double delaySeconds, string outcome, string delayModel, string errorModel);
}
