using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.Simulator.Tests.Support;

/// <summary>The built simulator run as its own process, as a launcher would run it.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private SimulatorProcess(Process process, StringBuilder stderr, Uri url, string listeningLine)
    {
        _process = process;
        _stderr = stderr;
        Url = url;
        ListeningLine = listeningLine;
    }

    public Uri Url { get; }

    public string ListeningLine { get; }

    public Process Process => _process;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "VideoTranslation.Simulator.dll");

    /// <summary>Runs the simulator until it exits by itself (bad configuration) and returns what it said.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(
        string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The simulator did not exit within 30 s with: {string.Join(' ', args)}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the simulator on port 0 and waits for its listening line.</summary>
    public static async Task<SimulatorProcess> StartAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Start(["--port", "0", .. args], environment);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new TimeoutException("The simulator printed no listening line within 30 s.");
        }

        if (line is null)
        {
            await process.WaitForExitAsync();
            var message = $"The simulator exited ({process.ExitCode}) without a listening line: {stderr}";
            process.Dispose();
            throw new InvalidOperationException(message);
        }

        using var json = JsonDocument.Parse(line);
        return new SimulatorProcess(process, stderr, new Uri(json.RootElement.GetProperty("url").GetString()!), line);
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Stops the simulator and returns what it wrote to stdout after the listening line.</summary>
    public async Task<string> StopAndReadRestOfStdoutAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        return await _process.StandardOutput.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static Process Start(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A clean slate: no VTSIM_ variable of the test run's own leaks into the child.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("VTSIM_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("The simulator process did not start.");
    }
}
