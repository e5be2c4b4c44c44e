using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.PowerShell.Tests.Pester;

public enum PesterCaseKind
{
    /// <summary>One It (one expanded -ForEach case).</summary>
    It,

    /// <summary>Everything in a file outside its It blocks: discovery, BeforeAll/AfterAll, the bridge itself.</summary>
    Container,

    /// <summary>The suite could not be set up, or there are no Pester files: always fails.</summary>
    Suite,
}

/// <summary>One xunit test case of the Pester bridge; travels through xunit as JSON (a serializable argument).</summary>
/// <param name="File">The Pester file's name inside the suite's directory.</param>
/// <param name="Index">The It's position in Pester's list of the file's tests (It cases only).</param>
/// <param name="Key">The It's names as written, joined with " &gt; " (It cases only).</param>
/// <param name="DiscoveredTests">How many It blocks discovery found in the file (container cases only).</param>
/// <param name="Detail">Why a Suite case fails.</param>
public sealed record PesterCase(
    PesterCaseKind Kind,
    string File,
    int Index,
    string Key,
    int DiscoveredTests,
    string DisplayName,
    string Detail)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static PesterCase FromJson(string json) =>
        JsonSerializer.Deserialize<PesterCase>(json) ?? throw new ArgumentException("Not a Pester case.", nameof(json));

    public override string ToString() => DisplayName;
}

public enum PesterOutcome
{
    Passed,
    Failed,
    Skipped,
}

public sealed record PesterVerdict(PesterOutcome Outcome, string Message)
{
    public static readonly PesterVerdict Passed = new(PesterOutcome.Passed, string.Empty);

    public static PesterVerdict Failed(string message) => new(PesterOutcome.Failed, message);

    public static PesterVerdict Skipped(string reason) => new(PesterOutcome.Skipped, reason);
}

/// <summary>
/// The Pester files of one directory (<c>*.Tests.ps1</c>) as xunit cases. <see cref="Discover"/> asks Pester which
/// It blocks each file has (one case per It, plus one container case per file); <see cref="EvaluateAsync"/> gives a
/// case its verdict from ONE Invoke-Pester per file, started once (thread-safe) and shared by all its cases.
/// </summary>
public sealed class PesterSuite : IDisposable
{
    public const string FilePattern = "*.Tests.ps1";

    private static readonly Lazy<PesterSuite> RepositorySuite = new(() => new PesterSuite(
        Build.PesterFilesDirectory,
        new PesterHost(Build.PesterManifest, Build.RepoRoot, TimeSpan.FromMinutes(10)),
        maxParallelRuns: 1));

    private readonly ConcurrentDictionary<string, Lazy<Task<PesterFileResult>>> runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> runCounts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim parallelRuns;

    /// <param name="directory">Where the *.Tests.ps1 files are.</param>
    /// <param name="host">Runs Pester.</param>
    /// <param name="maxParallelRuns">How many files may run at once (each in its own runspace).</param>
    public PesterSuite(string directory, PesterHost host, int maxParallelRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelRuns, 1);
        Directory = directory;
        Host = host;
        MaxParallelRuns = maxParallelRuns;
        parallelRuns = new SemaphoreSlim(maxParallelRuns);
    }

    /// <summary>
    /// The repo's tests/*.Tests.ps1, run with the Pester package and the repo root as location, one file at a time:
    /// many of the module's Its start simulators and measure time, and on this project's 2-core machines two files
    /// side by side finished no sooner while making such Its fail under load.
    /// </summary>
    public static PesterSuite Repository => RepositorySuite.Value;

    public string Directory { get; }

    public PesterHost Host { get; }

    public int MaxParallelRuns { get; }

    public void Dispose() => parallelRuns.Dispose();

    /// <summary>The file names (not paths) of the directory's Pester files, in ordinal order.</summary>
    public IReadOnlyList<string> Files() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, FilePattern, SearchOption.TopDirectoryOnly)
                .Select(Path.GetFileName).OfType<string>()
                .Where(name => name.EndsWith(".Tests.ps1", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>How many times a file has been run (not discovered) by this suite.</summary>
    public int RunCount(string file) => runCounts.TryGetValue(file, out int count) ? count : 0;

    /// <summary>Every case: per file a container case, then one per It. Never empty, never throws.</summary>
    public IReadOnlyList<PesterCase> Discover()
    {
        try
        {
            var files = Files();
            if (files.Count == 0)
            {
                return [SuiteFailure($"no Pester files ({FilePattern}) in {Directory}")];
            }

            var discovered = new PesterFileResult[files.Count];
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4) },
                i => discovered[i] = Host.Discover(Path.Combine(Directory, files[i])));

            var cases = new List<PesterCase>();
            for (int i = 0; i < files.Count; i++)
            {
                string file = files[i];
                cases.Add(new PesterCase(PesterCaseKind.Container, file, -1, string.Empty, discovered[i].Tests.Count, $"{file}: container", string.Empty));
                cases.AddRange(discovered[i].Tests.Select(test => new PesterCase(
                    PesterCaseKind.It, file, test.Index, test.Key, 0, $"{file}: {string.Join(" > ", test.Names)}", string.Empty)));
            }

            return cases;
        }
        catch (Exception ex) // A broken bridge must show up as a failing case, not as zero tests.
        {
            return [SuiteFailure($"discovering the Pester files failed: {ex}")];
        }
    }

    /// <summary>The case's verdict; runs its file (once, shared with every other case of the file) if need be.</summary>
    public async Task<PesterVerdict> EvaluateAsync(PesterCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        if (testCase.Kind == PesterCaseKind.Suite)
        {
            return PesterVerdict.Failed(testCase.Detail);
        }

        PesterFileResult run = await RunAsync(testCase.File).ConfigureAwait(false);
        return Evaluate(testCase, run);
    }

    /// <summary>The one run of a file: started on first demand, then shared.</summary>
    public Task<PesterFileResult> RunAsync(string file) =>
        runs.GetOrAdd(file, f => new Lazy<Task<PesterFileResult>>(() => Task.Run(async () =>
        {
            await parallelRuns.WaitAsync().ConfigureAwait(false);
            try
            {
                runCounts.AddOrUpdate(f, 1, (_, count) => count + 1);
                return Host.Run(Path.Combine(Directory, f));
            }
            finally
            {
                parallelRuns.Release();
            }
        }))).Value;

    /// <summary>The verdict of a case, given the run of its file.</summary>
    public static PesterVerdict Evaluate(PesterCase testCase, PesterFileResult run)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(run);
        return testCase.Kind switch
        {
            PesterCaseKind.Suite => PesterVerdict.Failed(testCase.Detail),
            PesterCaseKind.Container => EvaluateContainer(testCase, run),
            _ => EvaluateIt(testCase, run),
        };
    }

    private static PesterVerdict EvaluateContainer(PesterCase testCase, PesterFileResult run)
    {
        var problems = new List<string>();
        if (run.Errors.Count > 0)
        {
            problems.Add($"Pester reported {run.Errors.Count} error(s) outside the It blocks of {testCase.File}:");
            problems.AddRange(run.Errors.Select(e => $"[{e.Where}]{Environment.NewLine}{e}"));
        }

        if (run.Tests.Count == 0)
        {
            problems.Add($"{testCase.File} has no It blocks: Pester found nothing to run.");
        }
        else if (run.Tests.Count != testCase.DiscoveredTests)
        {
            problems.Add($"Discovery found {testCase.DiscoveredTests} It blocks in {testCase.File}, the run had {run.Tests.Count}: the file changed, or its discovery is not repeatable.");
        }

        return problems.Count == 0 ? PesterVerdict.Passed : PesterVerdict.Failed(string.Join(Environment.NewLine, problems));
    }

    private static PesterVerdict EvaluateIt(PesterCase testCase, PesterFileResult run)
    {
        PesterTest? test = testCase.Index >= 0 && testCase.Index < run.Tests.Count ? run.Tests[testCase.Index] : null;
        if (test is null || !string.Equals(test.Key, testCase.Key, StringComparison.Ordinal))
        {
            var message = new StringBuilder()
                .Append("Pester's run of ").Append(testCase.File).Append(" has no It '").Append(testCase.Key)
                .Append("' at position ").Append(testCase.Index).Append(" (it had ").Append(run.Tests.Count)
                .Append(" It blocks): the file changed since discovery, or its discovery is not repeatable.");
            AppendErrors(message, "Errors outside the It blocks:", run.Errors);
            return PesterVerdict.Failed(message.ToString());
        }

        string where = $"{test.ExpandedPath} ({testCase.File}:{test.Line})";
        switch (test.Result)
        {
            case "Passed":
                return PesterVerdict.Passed;
            case "Skipped":
                return PesterVerdict.Skipped(test.Errors.Count > 0
                    ? $"Pester: {string.Join(" ", test.Errors.Select(e => e.Exception))}"
                    : test.StaticSkip ? "Pester: skipped (-Skip)" : "Pester: skipped");
            case "Inconclusive":
                return PesterVerdict.Skipped($"Pester: inconclusive. {string.Join(" ", test.Errors.Select(e => e.Exception))}".TrimEnd());
            case "Failed":
            {
                var message = new StringBuilder();
                if (test.Errors.Count > 0)
                {
                    message.AppendJoin(Environment.NewLine, test.Errors.Select(e => e.ToString()));
                }
                else
                {
                    message.Append("The It did not run: a block around it failed.");
                    AppendErrors(message, string.Empty, test.BlockErrors.Count > 0 ? test.BlockErrors : run.Errors);
                }

                return PesterVerdict.Failed(message.AppendLine().Append("in Pester It ").Append(where).ToString());
            }

            default:
            {
                var message = new StringBuilder().Append("Pester did not run It ").Append(where).Append(" (result: ")
                    .Append(string.IsNullOrEmpty(test.Result) ? "none" : test.Result).Append(").");
                AppendErrors(message, "Errors outside the It blocks:", run.Errors);
                return PesterVerdict.Failed(message.ToString());
            }
        }
    }

    private static void AppendErrors(StringBuilder message, string heading, IReadOnlyList<PesterError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        if (heading.Length > 0)
        {
            message.AppendLine().Append(heading);
        }

        foreach (PesterError error in errors)
        {
            message.AppendLine().Append('[').Append(error.Where).Append("] ").Append(error);
        }
    }

    /// <summary>The one case that stands for a suite that could not be discovered: it always fails with the detail.</summary>
    public static PesterCase SuiteFailure(string detail) =>
        new(PesterCaseKind.Suite, string.Empty, -1, string.Empty, 0, $"{FilePattern}: {detail.Split('\n')[0].Trim()}", detail);

    /// <summary>
    /// Queues the runs of these files now (each in its own runspace, at most <see cref="MaxParallelRuns"/> at once),
    /// so that by the time xunit, going through the cases one by one, asks for a file's result it is ready or on its
    /// way. Called with the files of the cases about to run (see <see cref="PesterCaseOrderer"/>).
    /// </summary>
    public void Prestart(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (string file in files)
        {
            _ = RunAsync(file);
        }
    }
}
