using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>Starts the simulator shipped in the module folder as a child process and waits until it listens.</summary>
internal static class SimulatorLauncher
{
    public const string RuntimeAdvice =
        "The simulator needs the .NET 10 runtime with ASP.NET Core (Microsoft.AspNetCore.App 10.0). Install the " +
        "'ASP.NET Core Runtime 10.0' from https://dotnet.microsoft.com/download/dotnet/10.0 (Debian/Ubuntu: " +
        "'sudo apt-get install aspnetcore-runtime-10.0'; Windows: 'winget install Microsoft.DotNet.AspNetCore.10'; " +
        "a .NET 10 SDK includes it), or set DOTNET_ROOT to where it is installed.";

    private const int KeptErrorLines = 40;

    private static readonly char[] s_needsQuotes = { ' ', '\t', '"', '\\' };

    private static readonly string[] s_unixInstallFolders = { "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet", "/usr/local/share/dotnet/dotnet", "/opt/dotnet/dotnet" };

    public static string SimulatorDll => Path.Combine(
        Path.GetDirectoryName(typeof(SimulatorLauncher).Assembly.Location) ?? ".",
        "simulator",
        "VideoTranslation.Simulator.dll");

    /// <summary>Finds the dotnet host: the running one, DOTNET_HOST_PATH, DOTNET_ROOT, PATH, then the usual install folders.</summary>
    public static string? FindDotnet(out IReadOnlyList<string> lookedIn)
    {
        string exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        var candidates = new List<string>();
        string? current = CurrentProcessPath();
        if (current is not null && string.Equals(Path.GetFileName(current), exe, StringComparison.OrdinalIgnoreCase))
        {
            candidates.Add(current);
        }

        AddIfSet(candidates, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"));
        foreach (string root in new[] { "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT(x86)" })
        {
            string? dir = Environment.GetEnvironmentVariable(root);
            if (!string.IsNullOrEmpty(dir))
            {
                candidates.Add(Path.Combine(dir, exe));
            }
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (!string.IsNullOrWhiteSpace(dir))
            {
                candidates.Add(Path.Combine(dir.Trim(), exe));
            }
        }

        candidates.AddRange(RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", exe) }
            : s_unixInstallFolders);

        lookedIn = candidates.Distinct().ToArray();
        return lookedIn.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts the simulator and returns once it has printed its listening line. <paramref name="environment"/> is added
    /// to the environment it inherits: the place for secrets, which the command line would show to every user (ps).
    /// </summary>
    /// <exception cref="SimulatorStartException">It could not be started; the message says why and what to do.</exception>
    public static async Task<TranslationSimulator> StartAsync(
        string dotnet,
        IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan startTimeout,
        CancellationToken cancellationToken)
    {
        var arguments = new StringBuilder(Quote(SimulatorDll));
        foreach (KeyValuePair<string, string> setting in settings)
        {
            arguments.Append(" --").Append(setting.Key).Append(' ').Append(Quote(setting.Value));
        }

        // The simulator exits when this process does, so no launcher that dies leaves an orphan behind.
        arguments.Append(" --parent-pid ").Append(CurrentProcessId());

        // The child is in the terminal's foreground process group, so a Ctrl+C meant for another command reaches it
        // too: it ignores the terminal's signals and lives until it is stopped, its runspace closes or this process exits.
        arguments.Append(" --ignore-terminal-signals true");

        var process = new Process
        {
            StartInfo = new ProcessStartInfo(dotnet, arguments.ToString())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            },
            EnableRaisingEvents = true,
        };
        foreach (KeyValuePair<string, string> variable in environment)
        {
            process.StartInfo.Environment[variable.Key] = variable.Value;
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new Queue<string>();
        string RecentErrors()
        {
            lock (errors)
            {
                return string.Join(Environment.NewLine, errors);
            }
        }

        // Both pipes are drained for the process's whole life: a full stderr pipe would block the simulator.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                listening.TrySetResult(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (errors)
            {
                if (errors.Count == KeptErrorLines)
                {
                    errors.Dequeue();
                }

                errors.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetResult(string.Empty);

        try
        {
            process.Start();

            // The child has its environment now; the Process object lives as long as the simulator, so it keeps no key.
            foreach (string variable in environment.Keys)
            {
                process.StartInfo.Environment.Remove(variable);
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new SimulatorStartException(ErrorIds.SimulatorRuntimeMissing, $"Could not run '{dotnet}': {ex.Message}. {RuntimeAdvice}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Task timeout = Task.Delay(startTimeout, cancellationToken);
            if (await Task.WhenAny(listening.Task, timeout).ConfigureAwait(false) == timeout)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new SimulatorStartException(
                    ErrorIds.SimulatorStartTimedOut,
                    $"The simulator did not report that it was listening within {startTimeout.TotalSeconds:0.#} s. Its last messages: {OrNone(RecentErrors())}");
            }

            string line = await listening.Task.ConfigureAwait(false);
            Uri? uri = ParseListeningLine(line);
            if (uri is null)
            {
                // Exited (or said something else) before listening: let it finish writing stderr, then report it.
                // Only the parameterless WaitForExit waits for the redirected streams to be drained: without it the
                // Exited event can win the race against the last stderr lines, and the message would say "(nothing)".
                if (process.WaitForExit(2000))
                {
                    process.WaitForExit();
                }
                string stderr = RecentErrors();
                bool runtimeMissing = stderr.IndexOf("Microsoft.AspNetCore.App", StringComparison.Ordinal) >= 0 ||
                                      stderr.IndexOf("install or update .NET", StringComparison.OrdinalIgnoreCase) >= 0;
                throw runtimeMissing
                    ? new SimulatorStartException(ErrorIds.SimulatorRuntimeMissing, $"{RuntimeAdvice} The dotnet host at '{dotnet}' said: {OrNone(stderr)}")
                    : new SimulatorStartException(
                        ErrorIds.SimulatorStartFailed,
                        $"The simulator stopped before it was listening (exit code {ExitCode(process)}): {OrNone(stderr)}",
                        badSettings: ExitCode(process) == "2");
            }

            return new TranslationSimulator(process, uri, DateTimeOffset.Now, settings, environment.ContainsKey(ApiKeyParameter.SimulatorEnvironmentVariable), RecentErrors);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process and waits briefly for it to be gone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting as we speak.
        }
    }

    private static Uri? ParseListeningLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object &&
                   doc.RootElement.TryGetProperty("url", out JsonElement url) &&
                   url.ValueKind == JsonValueKind.String &&
                   Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? parsed)
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ExitCode(Process process)
    {
        try
        {
            return process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private static string OrNone(string text) => string.IsNullOrWhiteSpace(text) ? "(nothing)" : text.Trim();

    private static void AddIfSet(List<string> list, string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            list.Add(path!);
        }
    }

    private static string? CurrentProcessPath()
    {
        using Process self = Process.GetCurrentProcess();
        try
        {
            return self.MainModule?.FileName;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static int CurrentProcessId()
    {
        using Process self = Process.GetCurrentProcess();
        return self.Id;
    }

    // netstandard2.0 has no ProcessStartInfo.ArgumentList: quote by the rules the dotnet host parses with.
    private static string Quote(string value)
    {
        if (value.Length > 0 && value.IndexOfAny(s_needsQuotes) < 0)
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in value)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            quoted.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }
}

/// <summary>Why the simulator could not be started; carries the ErrorId to report.</summary>
internal sealed class SimulatorStartException : Exception
{
    public SimulatorStartException(string errorId, string message, Exception? inner = null, bool badSettings = false)
        : base(message, inner)
    {
        ErrorId = errorId;
        BadSettings = badSettings;
    }

    public string ErrorId { get; }

    /// <summary>The simulator rejected its settings (it exits with code 2 and says which).</summary>
    public bool BadSettings { get; }
}
