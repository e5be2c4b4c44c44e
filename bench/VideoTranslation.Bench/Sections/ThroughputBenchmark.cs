using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

public sealed record ThroughputRun(string Target, int Round, double RequestsPerSecond, long Requests, long Errors);

public sealed record ThroughputSection(
    string Tool,
    int Connections,
    double SecondsPerRun,
    int Rounds,
    IReadOnlyList<ThroughputRun> Runs,
    double SimulatorRequestsPerSecond,
    double BareRequestsPerSecond,
    double Ratio);

/// <summary>
/// <c>GET /status</c> requests per second: the simulator against a bare Kestrel endpoint that answers the same
/// <c>{"result":"pending"}</c>, both child processes, the same load tool and settings, runs alternated.
/// </summary>
internal static partial class ThroughputBenchmark
{
    public const string BareCommand = "bare-endpoint";

    private static readonly byte[] s_pending = Encoding.UTF8.GetBytes("{\"result\":\"pending\"}");

    public static string? FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    public static async Task<ThroughputSection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        string? wrk = settings.UseWrk ? FindWrk() : null;
        string tool = wrk is not null ? "wrk " + WrkVersion(wrk)
            : settings.UseWrk ? "built-in HttpClient loop (wrk is not installed)"
            : "built-in HttpClient loop (--no-wrk)";

        // The startup job behind GET /status stays pending for the whole run.
        using Simulator simulator = await Simulator.StartAsync(new SimulatorSettings { Seed = settings.Seed, FixedDelay = 86_400 }, cancellationToken);
        using ChildProcess bare = ChildProcess.Start(
            "The bare endpoint",
            BuildPaths.BenchDll,
            [BareCommand, "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]);
        Uri bareUri = await bare.WaitUntilListeningAsync(TimeSpan.FromSeconds(60), cancellationToken);

        var targets = new (string Name, Uri Status)[] { ("simulator", new Uri(simulator.Uri, "status")), ("bare Kestrel", new Uri(bareUri, "status")) };
        var runs = new List<ThroughputRun>();
        // Both servers need seconds of load before tiered compilation settles, so each is loaded for
        // ThroughputWarmupSeconds before any run counts.
        foreach ((string _, Uri status) in targets)
        {
            await LoadAsync(wrk, status, settings.ThroughputConnections, settings.ThroughputWarmupSeconds, cancellationToken);
        }

        for (int round = 1; round <= settings.ThroughputRounds; round++)
        {
            foreach ((string name, Uri status) in targets)
            {
                (long requests, long errors, double rps) = await LoadAsync(wrk, status, settings.ThroughputConnections, settings.ThroughputSeconds, cancellationToken);
                runs.Add(new ThroughputRun(name, round, rps, requests, errors));
                await log.WriteLineAsync(FormattableString.Invariant($"  throughput round {round}, {name}: {rps:0} req/s ({errors} errors)"));
            }
        }

        double sim = Stats.Median(runs.Where(r => r.Target == "simulator").Select(r => r.RequestsPerSecond));
        double plain = Stats.Median(runs.Where(r => r.Target == "bare Kestrel").Select(r => r.RequestsPerSecond));
        return new ThroughputSection(tool, settings.ThroughputConnections, settings.ThroughputSeconds, settings.ThroughputRounds, runs, sim, plain, sim / plain);
    }

    /// <summary>The child: a bare Kestrel endpoint that answers GET /status with the simulator's pending body.</summary>
    public static async Task<int> RunBareEndpointAsync(int parentPid, TextWriter output, CancellationToken cancellationToken)
    {
        // Built like the simulator (WebApplication, loopback, port 0, logging to stderr at warnings) minus everything else.
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using WebApplication app = builder.Build();
        app.MapGet("/status", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(s_pending).AsTask();
        });

        // Stops on SIGTERM/Ctrl+C (the host's lifetime) or when the parent exits, like the simulator's --parent-pid.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        await app.StartAsync(stop.Token);
        string url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        await output.WriteLineAsync($"{{\"event\":\"listening\",\"url\":\"{url}\",\"pid\":{Environment.ProcessId}}}");
        await output.FlushAsync(cancellationToken);

        while (!stop.IsCancellationRequested && IsRunning(parentPid))
        {
            try
            {
                await Task.Delay(500, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process parent = Process.GetProcessById(pid);
            return !parent.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Task<(long Requests, long Errors, double RequestsPerSecond)> LoadAsync(
        string? wrk, Uri uri, int connections, double seconds, CancellationToken cancellationToken) =>
        wrk is null ? BuiltInLoadAsync(uri, connections, seconds, cancellationToken) : WrkAsync(wrk, uri, connections, seconds, cancellationToken);

    private static async Task<(long, long, double)> WrkAsync(string wrk, Uri uri, int connections, double seconds, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-t", "1", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", FormattableString.Invariant($"{Math.Max(1, (int)Math.Round(seconds))}s"), "--timeout", "5s", uri.AbsoluteUri })
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        string text = await stdout;
        Match rps = RequestsPerSecondLine().Match(text);
        Match total = RequestsLine().Match(text);
        if (process.ExitCode != 0 || !rps.Success || !total.Success)
        {
            throw new InvalidOperationException($"wrk failed (exit code {process.ExitCode}): {text} {await stderr}");
        }

        Match non2xx = Non2xxLine().Match(text);
        Match socketErrors = SocketErrorsLine().Match(text);
        long errors = (non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0) +
                      (socketErrors.Success ? Enumerable.Range(1, 4).Sum(g => long.Parse(socketErrors.Groups[g].Value, CultureInfo.InvariantCulture)) : 0);
        return (long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture), errors, double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<(long, long, double)> BuiltInLoadAsync(Uri uri, int connections, double seconds, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        long requests = 0, errors = 0;
        var stopwatch = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            byte[] buffer = new byte[256];
            while (stopwatch.Elapsed < duration)
            {
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    while (await body.ReadAsync(buffer, cancellationToken) > 0)
                    {
                    }

                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref requests : ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return (requests, errors, requests / stopwatch.Elapsed.TotalSeconds);
    }

    private static string WrkVersion(string wrk)
    {
        try
        {
            var info = new ProcessStartInfo(wrk, "-v") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process process = Process.Start(info)!;
            string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit(5000);
            Match version = Regex.Match(text, @"wrk\s+(\S+)");
            return version.Success ? version.Groups[1].Value : "(version unknown)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(version unknown)";
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")]
    private static partial Regex SocketErrorsLine();
}
