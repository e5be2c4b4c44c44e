using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace VideoTranslation.Bench.Tests;

/// <summary>
/// samples/TelemetrySample does what docs/observability.md says, end to end: the one command prints the library's spans
/// (wait, check, batch, create, with the HTTP spans) and, at exit, the lateness histogram of its eight waits.
/// </summary>
public partial class TelemetrySampleTests
{
    [Fact]
    public async Task The_sample_prints_every_span_kind_and_the_lateness_of_its_eight_waits()
    {
        string configuration = typeof(TelemetrySampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        string root = RepositoryRoot();
        string sample = Path.Combine(root, "samples", "TelemetrySample", "bin", configuration, "net10.0", "TelemetrySample.dll");
        Assert.True(File.Exists(sample), $"{sample} is built with the solution (dotnet build VideoTranslation.PS.sln)");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sample);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string text = await output;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await errors}");
        foreach (string span in new[] { "video_translation.wait", "video_translation.check", "video_translation.batch", "video_translation.create" })
        {
            Assert.Contains($"Activity.DisplayName:        {span}", text, StringComparison.Ordinal);
        }

        Assert.Contains("Name: System.Net.Http", text, StringComparison.Ordinal);
        Assert.Equal(8, Regex.Count(text, @": Completed after \d+ checks? in "));
        Match lateness = LatenessHistogram().Match(text);
        Assert.True(lateness.Success, "the lateness histogram is printed at exit");
        Assert.Equal("8", lateness.Groups["count"].Value);
    }

    [GeneratedRegex(@"Metric Name: video_translation\.detection\.lateness, .*?Unit: s, Metric Type: Histogram.*?Count: (?<count>\d+)", RegexOptions.Singleline)]
    private static partial Regex LatenessHistogram();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VideoTranslation.PS.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (VideoTranslation.PS.sln) is not above " + AppContext.BaseDirectory);
    }
}
