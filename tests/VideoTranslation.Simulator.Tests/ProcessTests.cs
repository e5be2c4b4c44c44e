using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>The built simulator as its own process: the listening line, exit codes, environment and parent watch.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Port_zero_prints_one_listening_line_and_an_original_status_client_works_unchanged()
    {
        await using var sim = await SimulatorProcess.StartAsync(["--delay-model", "fixed", "--delay", "0.3"]);

        using (var line = JsonDocument.Parse(sim.ListeningLine))
        {
            Assert.Equal("listening", line.RootElement.GetProperty("event").GetString());
            Assert.Equal(sim.Process.Id, line.RootElement.GetProperty("pid").GetInt32());
            Assert.Equal("127.0.0.1", sim.Url.Host);
            Assert.NotEqual(0, sim.Url.Port);
        }

        // The client of the original server: GET /status, read "result", poll until it is not pending.
        using var client = new HttpClient { BaseAddress = sim.Url };
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string result;
        do
        {
            using var body = JsonDocument.Parse(await client.GetStringAsync("/status"));
            result = body.RootElement.GetProperty("result").GetString()!;
            seen.Add(result);
            Assert.True(DateTime.UtcNow < deadline, "The startup job never finished.");
            await Task.Delay(50);
        }
        while (result == "pending");

        Assert.Equal("completed", result);
        Assert.All(seen[..^1], r => Assert.Equal("pending", r));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        // Logs go to stderr: the listening line stays the only line on stdout.
        Assert.Equal("", await sim.StopAndReadRestOfStdoutAsync());
    }

    [Fact]
    public async Task Listening_on_loopback_says_so_and_warns_about_nothing()
    {
        await using var sim = await SimulatorProcess.StartAsync(["--delay-model", "fixed", "--delay", "0.3"]);

        using var line = JsonDocument.Parse(sim.ListeningLine);
        Assert.True(line.RootElement.GetProperty("loopback").GetBoolean());
        Assert.Equal("", await sim.StopAndReadRestOfStdoutAsync());
        Assert.DoesNotContain("not loopback", sim.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_beyond_loopback_says_so_in_the_line_and_warns_on_stderr()
    {
        await using var sim = await SimulatorProcess.StartAsync(["--host", "0.0.0.0", "--delay-model", "fixed", "--delay", "0.3"]);

        using var line = JsonDocument.Parse(sim.ListeningLine);
        Assert.False(line.RootElement.GetProperty("loopback").GetBoolean());

        // The console logger writes from its own queue: wait for the warning (bounded), then check stdout stayed clean.
        const string warning = "which is not loopback: other machines can reach it";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!sim.Stderr.Contains(warning, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(warning, sim.Stderr, StringComparison.Ordinal);
        Assert.Equal("", await sim.StopAndReadRestOfStdoutAsync());
    }

    [Fact]
    public async Task Bad_settings_exit_with_code_2_and_the_messages_on_stderr_without_a_stack_trace()
    {
        var (exitCode, stdout, stderr) = await SimulatorProcess.RunToExitAsync(
            ["--port", "0", "--delay-model", "exponential", "--delay-min", "-1", "--error-probability", "1.5", "--fault-500", "2"]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("Delay:Model is 'exponential'", stderr, StringComparison.Ordinal);
        Assert.Contains("Delay:Min is -1", stderr, StringComparison.Ordinal);
        Assert.Contains("Error:Probability is 1.5", stderr, StringComparison.Ordinal);
        Assert.Contains("Faults:InternalErrorProbability is 2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--dealy", "5" }, "Unknown setting 'dealy'")]
    [InlineData(new[] { "--port", "abc" }, "'abc' at 'Port'")]
    [InlineData(new[] { "--service", "HeyGen3" }, "Service is 'HeyGen3'; it must be one of Simulator, HeyGen, HeyGenV2, HeyGenVideo.")]
    public async Task An_unusable_command_line_exits_with_code_2(string[] args, string expected)
    {
        var (exitCode, stdout, stderr) = await SimulatorProcess.RunToExitAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_the_switches_and_exits_0()
    {
        var (exitCode, stdout, _) = await SimulatorProcess.RunToExitAsync(["--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("--delay-model", stdout, StringComparison.Ordinal);
        Assert.Contains("--service", stdout, StringComparison.Ordinal);
        Assert.Contains("POST /v3/video-translations", stdout, StringComparison.Ordinal);
        Assert.Contains("VTSIM_", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vtsim_environment_variables_configure_it_and_unprefixed_ones_do_not()
    {
        var environment = new Dictionary<string, string>
        {
            ["VTSIM_Delay__Model"] = "fixed",
            ["VTSIM_Delay__Seconds"] = "0.05",
            ["PORT"] = "1", // a stray variable of the parent's; it must not move the simulator off port 0
            ["Delay__Seconds"] = "7",
        };
        await using var sim = await SimulatorProcess.StartAsync([], environment);
        using var client = new HttpClient { BaseAddress = sim.Url };

        Assert.NotEqual(1, sim.Url.Port);
        using var job = JsonDocument.Parse(await client.GetStringAsync("/jobs/default"));
        Assert.Equal(0.05, job.RootElement.GetProperty("delaySeconds").GetDouble());
    }

    [Fact]
    public async Task It_exits_when_its_parent_process_exits()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        await using var sim = await SimulatorProcess.StartAsync(["--parent-pid", parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.False(sim.Process.HasExited);

        parent.Kill();
        await parent.WaitForExitAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await sim.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, sim.Process.ExitCode);
        Assert.Contains($"Parent process {parent.Id} exited", sim.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_exits_when_its_parent_is_killed_and_left_unreaped()
    {
        // Issue 14: SIGKILL of a launcher whose own parent does not reap it at once (a killed pwsh shim, a slow init)
        // leaves a zombie, which a plain "is the pid there" check takes for alive. The parent here is a shell's
        // background job; the shell then becomes a program that never reaps, so the killed job stays a zombie.
        using var keeper = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 120 & echo $!; exec sleep 120"]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        try
        {
            int parent = int.Parse((await keeper.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            await using var sim = await SimulatorProcess.StartAsync(["--parent-pid", parent.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.False(sim.Process.HasExited);

            using (var child = Process.GetProcessById(parent))
            {
                child.Kill();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sim.Process.WaitForExitAsync(timeout.Token);
            Assert.Contains($"Parent process {parent} exited", sim.Stderr, StringComparison.Ordinal);
            Assert.Equal('Z', File.ReadAllText($"/proc/{parent}/stat").Split(") ")[1][0]); // still a zombie: the watch saw through it
        }
        finally
        {
            keeper.Kill();
            await keeper.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_port_in_use_exits_with_code_1_and_says_so()
    {
        await using var first = await SimulatorProcess.StartAsync([]);
        var (exitCode, stdout, stderr) = await SimulatorProcess.RunToExitAsync(["--port", first.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("address already in use", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
