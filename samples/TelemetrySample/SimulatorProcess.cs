using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace VideoTranslation.Samples;

/// <summary>
/// The simulator as a child process, started the way bench/ and Start-TranslationSimulator start it:
/// <c>dotnet VideoTranslation.Simulator.dll --port 0 …</c>, whose one stdout line
/// <c>{"event":"listening","url":…}</c> says where it listens. Disposing stops it.
/// </summary>
internal sealed class SimulatorProcess : IDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri uri)
    {
        _process = process;
        Uri = uri;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:45123/.</summary>
    public Uri Uri { get; }

    /// <summary>Starts the simulator with <paramref name="settings"/> (its switches) and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">It did not start; the message has what it logged.</exception>
    public static async Task<SimulatorProcess> StartAsync(IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        string dll = typeof(SimulatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SimulatorDll").Value!;
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (string setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        // A free port; gone when this process is (even when killed); Ctrl+C is ours to handle, not the simulator's.
        string[] always = ["--port", "0", "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--ignore-terminal-signals", "true"];
        foreach (string argument in always)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName} {dll}.");
        try
        {
            // Its log goes to stderr: drained, so a full pipe cannot block it, and kept for the error message.
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
            process.BeginErrorReadLine();

            string? line = null;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(cancellationToken).AsTask()
                    .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Reported below with what it logged.
            }

            if (ListeningUrl(line) is not Uri uri)
            {
                process.WaitForExit(2000);
                throw new InvalidOperationException($"The simulator ({dll}) did not start: {string.Join(Environment.NewLine, log)}");
            }

            // Nothing else comes on stdout, but drain it anyway.
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            return new SimulatorProcess(process, uri);
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public void Dispose() => Stop(_process);

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    private static Uri? ListeningUrl(string? line)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line ?? "null");
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("url", out JsonElement url)
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? uri)
                ? uri
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The host that runs this program: <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet.
    private static string DotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        string runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        string? root = Directory.GetParent(runtime)?.Parent?.Parent?.FullName;
        return root is not null && File.Exists(Path.Combine(root, exe)) ? Path.Combine(root, exe) : exe;
    }
}
