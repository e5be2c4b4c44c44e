using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace VideoTranslation.Simulator.Tests.Support;

/// <summary>The simulator in memory (TestServer), with settings and, optionally, a fake clock.</summary>
internal sealed class SimulatorFactory(IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    : WebApplicationFactory<Program>
{
    public FakeTimeProvider? Time { get; } = time;

    /// <summary>Settings as "Key=Value" pairs, e.g. "Delay:Model=fixed".</summary>
    public static SimulatorFactory With(params string[] settings) => new(Settings.Parse(settings));

    public static SimulatorFactory WithFakeTime(params string[] settings) => new(Settings.Parse(settings), new FakeTimeProvider());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config =>
        {
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
            if (settings is not null)
            {
                config.AddInMemoryCollection(settings);
            }
        });
        if (Time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }
}

internal static class Settings
{
    public static Dictionary<string, string?> Parse(IEnumerable<string> pairs)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            settings[pair[..at]] = pair[(at + 1)..];
        }

        return settings;
    }
}
