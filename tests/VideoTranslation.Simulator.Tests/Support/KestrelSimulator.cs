using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VideoTranslation.Simulator.Hosting;

namespace VideoTranslation.Simulator.Tests.Support;

/// <summary>The simulator on a real Kestrel, in this process, on a free port read from its listening line.</summary>
internal sealed class KestrelSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelSimulator(WebApplication app, Uri url, string listeningLine)
    {
        _app = app;
        Url = url;
        ListeningLine = listeningLine;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Url { get; }

    public string ListeningLine { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelSimulator> StartAsync(string[] args, Action<IServiceCollection>? services = null)
    {
        var stdout = new StringWriter();
        var builder = SimulatorApp.CreateBuilder(["--port", "0", "--Logging:LogLevel:Default", "Warning", .. args]);
        builder.Services.AddSingleton(new StandardOutput(stdout));
        services?.Invoke(builder.Services);
        var app = SimulatorApp.Build(builder);
        await app.StartAsync();
        var line = stdout.ToString().Trim();
        using var json = JsonDocument.Parse(line);
        return new KestrelSimulator(app, new Uri(json.RootElement.GetProperty("url").GetString()!), line);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
