using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Endpoints;
using VideoTranslation.Simulator.Endpoints.HeyGen;
using VideoTranslation.Simulator.Faults;
using VideoTranslation.Simulator.Hosting;
using VideoTranslation.Simulator.Jobs;
using VideoTranslation.Simulator.Models;
using VideoTranslation.Simulator.Webhooks;

namespace VideoTranslation.Simulator;

/// <summary>Builds and runs the simulator; Program.cs only calls <see cref="RunAsync"/>.</summary>
internal static class SimulatorApp
{
    public const int ExitBadConfiguration = 2;
    public const int ExitStartFailed = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        var stderr = Console.Error;
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            await Console.Out.WriteAsync(Usage.Text);
            return 0;
        }

        try
        {
            await using var app = Build(CreateBuilder(args));

            // ValidateOnStart would stop the host too, but only after the host logged the failure with a stack
            // trace; validating first leaves the user our messages alone.
            _ = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
            await app.RunAsync();
            return 0;
        }
        catch (SimulatorConfigurationException ex)
        {
            await stderr.WriteLineAsync($"VideoTranslation.Simulator: {ex.Message}");
            return ExitBadConfiguration;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("VideoTranslation.Simulator: invalid configuration:");
            foreach (var failure in ex.Failures)
            {
                await stderr.WriteLineAsync($"  {failure}");
            }

            return ExitBadConfiguration;
        }
        catch (IOException ex)
        {
            // Kestrel's "address already in use" and the like.
            await stderr.WriteLineAsync($"VideoTranslation.Simulator: cannot start: {ex.Message}");
            return ExitStartFailed;
        }
    }

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        SimulatorConfiguration.Apply(builder.Configuration, args);

        // stdout carries only the listening line; every log line goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSimulator(builder.Configuration);

        // Apply has bound every setting already, so reading this one cannot fail here.
        if (builder.Configuration.GetValue<bool>(nameof(SimulatorOptions.IgnoreTerminalSignals)))
        {
            builder.Services.AddSingleton<IHostLifetime, LauncherLifetime>();
        }

        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        app.MapHealth();

        // A HeyGen mode serves that API instead of the simulator's own status routes; the job and admin routes stay.
        // Read raw, like ListenOn: a bad value maps nothing and the start-up validation reports it.
        var service = SimulatedServices.ParseOrDefault(app.Configuration[nameof(SimulatorOptions.Service)]);
        if (service == SimulatedService.Simulator)
        {
            app.MapStatus();
        }
        else
        {
            app.MapHeyGen(service);
        }

        app.MapJobs();
        app.MapAdmin();
        return app;
    }

    public static IServiceCollection AddSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
        {
            ListenOn(kestrel, configuration);
            RequestLimits.Apply(kestrel);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = AddRoutingDetail);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SimulatorRandom>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SimulatorOptions>>().Value;
            return new JobPlanner(DelayModel.From(options.Delay), ErrorModel.From(options.Error), sp.GetRequiredService<SimulatorRandom>().Jobs);
        });
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobCreator>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<CreatePipeline>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<ServiceWire, SimulatorWire>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<StatusResponder>();
        services.AddSingleton<GroupStatusResponder>();
        services.AddSingleton(new StandardOutput(Console.Out));

        services.AddHostedService<SimulationStartup>();
        services.AddHostedService<ListeningAnnouncer>();
        services.AddHostedService<ParentProcessWatcher>();
        return services;
    }

    /// <summary>Routing's own 404 and 405 come without a detail; give them one like every other problem.</summary>
    private static void AddRoutingDetail(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no route {request.Method} {request.Path}; docs/protocol.md lists the routes.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            _ => null,
        };
    }

    /// <summary>
    /// Binds Kestrel from the raw settings: Kestrel is built before the start-up validation runs, and reading the
    /// validated options here would throw the validation error from inside Kestrel. Bad values bind nothing
    /// and are reported by the validator.
    /// </summary>
    private static void ListenOn(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var defaults = new SimulatorOptions();
        var host = configuration[nameof(SimulatorOptions.Host)] ?? defaults.Host;
        var portText = configuration[nameof(SimulatorOptions.Port)];
        var port = defaults.Port;
        if ((portText is null || int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
            && IPAddress.TryParse(host, out var address)
            && port is >= 0 and <= 65_535)
        {
            kestrel.Listen(address, port);
        }
    }
}
