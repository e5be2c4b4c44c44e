using System.Diagnostics;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>With ParentPid set, stops the server when that process exits, so a launcher that dies leaves no orphan.</summary>
internal sealed partial class ParentProcessWatcher(
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ParentProcessWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ParentPid is not { } pid)
        {
            return;
        }

        try
        {
            using var parent = Process.GetProcessById(pid);
            await parent.WaitForExitAsync(stoppingToken);
        }
        catch (ArgumentException)
        {
            // The parent was gone before the watch began: stop all the same.
        }
        catch (OperationCanceledException)
        {
            return; // the server is stopping for another reason
        }

        LogParentExited(logger, pid);
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parent process {Pid} exited; stopping")]
    private static partial void LogParentExited(ILogger logger, int pid);
}
