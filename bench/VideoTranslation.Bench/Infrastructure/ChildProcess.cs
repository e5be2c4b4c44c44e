using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>
/// A <c>dotnet &lt;dll&gt; …</c> child process: the simulator, the bare endpoint or the scale client. Both pipes are
/// drained for its whole life (a full stderr pipe would block it); disposing kills it.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptErrorLines = 40;

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _stdout = new();
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource<string?> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public int Id => _process.Id;

    public string RecentErrors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.Count == 0 ? "(nothing on stderr)" : string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    /// <summary>Starts <c>dotnet dll arguments…</c>.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments) =>
        StartProgram(name, BuildPaths.Dotnet, [dll, .. arguments]);

    /// <summary>Starts <c>program arguments…</c> (e.g. bash, to run the client under a lowered <c>ulimit -n</c>).</summary>
    public static ChildProcess StartProgram(string name, string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var child = new ChildProcess(name, new Process { StartInfo = info, EnableRaisingEvents = true });
        child.Begin();
        return child;
    }

    /// <summary>Waits for the <c>{"event":"listening","url":…}</c> line and returns the url.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task delay = Task.Delay(timeout, cancellationToken);
        if (await Task.WhenAny(_firstLine.Task, delay) == delay)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"{_name} did not report that it was listening within {timeout.TotalSeconds:0} s. {RecentErrors}");
        }

        string? line = await _firstLine.Task;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line ?? "null");
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("url", out JsonElement url) &&
                Uri.TryCreate(url.GetString(), UriKind.Absolute, out Uri? uri))
            {
                return new Uri(uri.AbsoluteUri.TrimEnd('/') + "/");
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        // Let it finish writing stderr, so the message says why.
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Still running: report what it said so far.
            }
        }

        throw new InvalidOperationException($"{_name} stopped or printed something else before it was listening (first line: {line ?? "none"}). {RecentErrors}");
    }

    /// <summary>Waits for the process to exit; returns everything it wrote to stdout, or throws when it failed.</summary>
    public async Task<string> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            await _stdoutClosed.Task.WaitAsync(TimeSpan.FromSeconds(5), limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{_name} did not finish within {timeout.TotalSeconds:0} s. {RecentErrors}");
        }

        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode}. {RecentErrors}");
        }

        lock (_stdout)
        {
            return _stdout.ToString();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
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

        _process.Dispose();
    }

    private void Begin()
    {
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _firstLine.TrySetResult(null);
                _stdoutClosed.TrySetResult();
                return;
            }

            _firstLine.TrySetResult(e.Data);
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                if (_stderr.Count == KeptErrorLines)
                {
                    _stderr.Dequeue();
                }

                _stderr.Enqueue(e.Data);
            }
        };
        _process.Exited += (_, _) => _firstLine.TrySetResult(null);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }
}
