using System.Runtime.InteropServices;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>
/// The host lifetime with IgnoreTerminalSignals set (Start-TranslationSimulator sets it). A terminal sends Ctrl+C
/// (SIGINT), Ctrl+\ (SIGQUIT) and Ctrl+Z (SIGTSTP) to its whole foreground process group, and a child of pwsh is in
/// that group: with the default console lifetime a user stopping some other command would stop the simulator too.
/// This lifetime ignores those three and stops gracefully on SIGTERM only; the parent watch (--parent-pid) and the
/// launcher's kill still end it. On Windows the same registration covers the console's Ctrl+C and Ctrl+Break.
/// </summary>
internal sealed class LauncherLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>The signals a terminal sends for keys the user pressed; SIGTSTP exists on Unix only.</summary>
    internal static PosixSignal[] IgnoredSignals { get; } = OperatingSystem.IsWindows()
        ? [PosixSignal.SIGINT, PosixSignal.SIGQUIT]
        : [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTSTP];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in IgnoredSignals)
        {
            // Cancel = true skips the default action (terminate, or stop for SIGTSTP).
            _registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = true));
        }

        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
    }
}
