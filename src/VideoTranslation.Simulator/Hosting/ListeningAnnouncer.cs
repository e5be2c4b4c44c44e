using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>Where the listening line goes; stdout in the real server, a writer of the test's in tests.</summary>
internal sealed class StandardOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// Once Kestrel has bound, writes one machine-readable line to stdout, e.g.
/// {"event":"listening","url":"http://127.0.0.1:54321","pid":1234}. Logs go to stderr, so this is the only
/// line a launcher has to read.
/// </summary>
internal sealed class ListeningAnnouncer(IServer server, StandardOutput output) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // The test server binds no address and gets no line.
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (url is not null)
        {
            var line = JsonSerializer.Serialize(new ListeningLine("listening", url, Environment.ProcessId), JsonSerializerOptions.Web);
            output.Writer.WriteLine(line);
            output.Writer.Flush();
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record ListeningLine(string Event, string Url, int Pid);
}
