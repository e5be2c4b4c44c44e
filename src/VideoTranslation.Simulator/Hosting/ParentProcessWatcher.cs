using System.Diagnostics;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>
/// With ParentPid set, stops the server when that process exits, so a launcher that dies leaves no orphan. The parent
/// is looked at every <see cref="PollInterval"/>; gone, a zombie (killed, not yet reaped by its own parent: a SIGKILLed
/// pwsh whose shim is gone too) or its pid taken by another process all count as exited.
/// </summary>
internal sealed partial class ParentProcessWatcher(
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ParentProcessWatcher> logger) : BackgroundService
{
    /// <summary>How often the parent is looked at: the longest a simulator outlives it, besides its own shutdown.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ParentPid is not { } pid)
        {
            return;
        }

        DateTime? started = StartTime(pid);
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (started is not null && IsAlive(pid, started.Value))
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            return; // the server is stopping for another reason
        }

        LogParentExited(logger, pid);
        lifetime.StopApplication();
    }

    private static DateTime? StartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null; // gone before the watch began: stop all the same
        }
    }

    private static bool IsAlive(int pid, DateTime started)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && process.StartTime == started && !IsZombie(pid);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    // Linux: a killed process stays in the table, state Z, until its parent reaps it; it will never run again.
    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // not Linux, or gone (then GetProcessById says so next time)
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parent process {Pid} exited; stopping")]
    private static partial void LogParentExited(ILogger logger, int pid);
}
