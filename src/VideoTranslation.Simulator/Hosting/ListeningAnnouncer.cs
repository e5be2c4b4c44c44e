using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.Simulator.Hosting;

/// <summary>Where the listening line goes; stdout in the real server, a writer of the test's in tests.</summary>
internal sealed class StandardOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// Once Kestrel has bound, writes one machine-readable line to stdout, e.g.
/// {"event":"listening","url":"http://127.0.0.1:54321","pid":1234}. Logs go to stderr, so this is the only
/// line a launcher has to read. The line says whether the address is loopback; when it is not, a warning goes to
/// stderr as well, because anyone who can reach the machine can then use (and, without an API key, drive) the simulator.
/// </summary>
internal sealed partial class ListeningAnnouncer(IServer server, StandardOutput output, ILogger<ListeningAnnouncer> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // The test server binds no address and gets no line.
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (url is not null)
        {
            var loopback = IsLoopback(url);
            var line = JsonSerializer.Serialize(new ListeningLine("listening", url, Environment.ProcessId, loopback), JsonSerializerOptions.Web);
            output.Writer.WriteLine(line);
            output.Writer.Flush();
            if (!loopback)
            {
                NotLoopback(logger, url);
            }
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "The simulator listens on {Url}, which is not loopback: other machines can reach it. Use --host 127.0.0.1 to keep it local, and --api-key to require a key.")]
    private static partial void NotLoopback(ILogger logger, string url);

    private sealed record ListeningLine(string Event, string Url, int Pid, bool Loopback);
}
