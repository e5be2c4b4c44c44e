using System.Diagnostics;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// --ignore-terminal-signals (what Start-TranslationSimulator passes): the keys a user presses in the terminal
/// (Ctrl+C, Ctrl+\, Ctrl+Z) do not stop the server, SIGTERM does; without the switch Ctrl+C stops it as usual.
/// Unix only: the signals are sent with kill(1).
/// </summary>
public sealed class TerminalSignalTests
{
    [Fact]
    public async Task With_ignore_terminal_signals_SIGINT_SIGQUIT_and_SIGTSTP_leave_it_serving_and_SIGTERM_stops_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var sim = await SimulatorProcess.StartAsync(["--ignore-terminal-signals", "true"]);
        using var client = new HttpClient { BaseAddress = sim.Url, Timeout = TimeSpan.FromSeconds(10) };

        foreach (var signal in new[] { "INT", "QUIT", "TSTP" })
        {
            await SendAsync(signal, sim.Process.Id);
        }

        // A wrongly handled signal ends (or stops) the process within milliseconds; a second is generous.
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sim.Process.WaitForExitAsync(grace.Token));
        }

        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();

        await SendAsync("TERM", sim.Process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await sim.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, sim.Process.ExitCode);
    }

    [Fact]
    public async Task Without_it_SIGINT_stops_the_server_as_Ctrl_C_would()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var sim = await SimulatorProcess.StartAsync([]);

        await SendAsync("INT", sim.Process.Id);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await sim.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, sim.Process.ExitCode);
    }

    private static async Task SendAsync(string signal, int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
