using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace VideoTranslation.PowerShell.Tests.Pester;

/// <summary>
/// Runs one Pester file with the real Pester module (from the Pester NuGet package) in the PowerShell engine of the
/// Microsoft.PowerShell.SDK package. Every call gets a fresh runspace: Pester keeps its state per session, and a
/// file must not see what another file left behind. Calls may run in parallel.
/// </summary>
/// <remarks>
/// Contract with the Pester files (the same under real pwsh, where build.ps1 sets it):
/// <c>$env:VIDEOTRANSLATION_MODULE_PATH</c> is the absolute path of the built module folder
/// (artifacts/module/VideoTranslation), set by <see cref="PesterEnvironment"/> before any file is discovered or
/// run, so a file imports the build with <c>BeforeAll { Import-Module $env:VIDEOTRANSLATION_MODULE_PATH -Force }</c>.
/// The runspace's current location is <see cref="WorkingDirectory"/> (the repo root for the repo's files).
/// </remarks>
public sealed class PesterHost
{
    private static readonly string Script = LoadScript();

    public PesterHost(string pesterManifest, string workingDirectory, TimeSpan timeout)
    {
        PesterManifest = pesterManifest;
        WorkingDirectory = workingDirectory;
        Timeout = timeout;
    }

    public string PesterManifest { get; }

    public string WorkingDirectory { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Pester's discovery of the file (Run.SkipRun): its It blocks, none executed.</summary>
    public PesterFileResult Discover(string file) => Invoke(file, skipRun: true);

    /// <summary>A full Invoke-Pester of the file.</summary>
    public PesterFileResult Run(string file) => Invoke(file, skipRun: false);

    private PesterFileResult Invoke(string file, bool skipRun)
    {
        PesterEnvironment.Apply();
        string step = skipRun ? "discovering" : "running";
        try
        {
            using var powerShell = System.Management.Automation.PowerShell.Create(InitialSessionState.CreateDefault2());
            powerShell.AddCommand("Set-Location").AddParameter("LiteralPath", WorkingDirectory).AddStatement();
            powerShell.AddScript(Script)
                .AddParameter("PesterManifest", PesterManifest)
                .AddParameter("Path", file)
                .AddParameter("SkipRun", skipRun);

            var stopwatch = Stopwatch.StartNew();
            IAsyncResult pending = powerShell.BeginInvoke();
            if (!pending.AsyncWaitHandle.WaitOne(Timeout))
            {
                powerShell.Stop();
                return Broken(file, $"Pester did not finish {step} the file within {Timeout.TotalSeconds:0} s; it was stopped.");
            }

            var output = powerShell.EndInvoke(pending);
            if (output.Count != 1 || output[0] is null)
            {
                string errors = string.Join(Environment.NewLine, powerShell.Streams.Error.Select(e => e.ToString()));
                return Broken(file, $"Pester {step} the file gave {output.Count} results instead of one. {errors}".TrimEnd());
            }

            return Parse(file, output[0]);
        }
        catch (Exception ex) // Any failure to run Pester must reach the file's container case, never vanish.
        {
            string trace = ex is IContainsErrorRecord { ErrorRecord.ScriptStackTrace: { } scriptTrace } ? scriptTrace : string.Empty;
            return new PesterFileResult(file, [], [new PesterError($"the bridge, {step} the file with Pester", ex.Message, trace, ex.Message)]);
        }
    }

    private static PesterFileResult Broken(string file, string message) =>
        new(file, [], [new PesterError("the bridge", message, string.Empty, message)]);

    private static PesterFileResult Parse(string file, PSObject result)
    {
        var tests = Items(result, "Tests").Select(ParseTest).ToList();
        var errors = Items(result, "Errors").Select(ParseError).ToList();
        return new PesterFileResult(file, tests, errors);
    }

    private static PesterTest ParseTest(PSObject test) => new(
        Index: Get<int>(test, "Index"),
        Path: Strings(test, "Path"),
        Names: Strings(test, "Names"),
        ExpandedPath: Get<string>(test, "ExpandedPath") ?? string.Empty,
        Result: Get<string>(test, "Result") ?? string.Empty,
        StaticSkip: Get<bool>(test, "StaticSkip"),
        Line: Get<int>(test, "Line"),
        Errors: Items(test, "Errors").Select(ParseError).ToList(),
        BlockErrors: Items(test, "BlockErrors").Select(ParseError).ToList());

    private static PesterError ParseError(PSObject error) => new(
        Get<string>(error, "Where") ?? string.Empty,
        Get<string>(error, "Message") ?? string.Empty,
        Get<string>(error, "StackTrace") ?? string.Empty,
        Get<string>(error, "Exception") ?? string.Empty);

    private static T? Get<T>(PSObject item, string name)
    {
        object? value = item.Properties[name]?.Value;
        return value is null ? default : LanguagePrimitives.ConvertTo<T>(value);
    }

    private static List<string> Strings(PSObject item, string name) =>
        Items(item, name).Select(o => o.BaseObject.ToString() ?? string.Empty).ToList();

    private static List<PSObject> Items(PSObject item, string name)
    {
        object? value = item.Properties[name]?.Value;
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        if (value is null)
        {
            return [];
        }

        if (value is IEnumerable sequence and not string)
        {
            return sequence.Cast<object?>().Where(o => o is not null).Select(o => o as PSObject ?? PSObject.AsPSObject(o!)).ToList();
        }

        return [item.Properties[name]!.Value as PSObject ?? PSObject.AsPSObject(value)];
    }

    private static string LoadScript()
    {
        using Stream stream = typeof(PesterHost).Assembly.GetManifestResourceStream("Invoke-PesterFile.ps1")
            ?? throw new InvalidOperationException("The embedded resource Invoke-PesterFile.ps1 is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The environment every Pester file runs in. Environment variables belong to the process, so they are set once,
/// to one value, for every runspace (runs in parallel cannot disagree about them).
/// </summary>
public static class PesterEnvironment
{
    /// <summary>Absolute path of the built module folder; what a Pester file passes to Import-Module.</summary>
    public const string ModulePathVariable = "VIDEOTRANSLATION_MODULE_PATH";

    private static readonly Lazy<bool> Applied = new(() =>
    {
        Environment.SetEnvironmentVariable(ModulePathVariable, Build.ModulePath);
        return true;
    });

    public static void Apply() => _ = Applied.Value;
}

/// <summary>Paths the build recorded in this assembly (AssemblyMetadata items in the csproj).</summary>
public static class Build
{
    /// <summary>The repo root, with no trailing separator.</summary>
    public static string RepoRoot { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Metadata("RepoRoot")));

    /// <summary>Pester.psd1 inside the restored Pester package.</summary>
    public static string PesterManifest { get; } = Path.GetFullPath(Metadata("PesterManifest"));

    /// <summary>artifacts/module/VideoTranslation, the folder the module project assembles.</summary>
    public static string ModulePath { get; } = Path.Combine(RepoRoot, "artifacts", "module", "VideoTranslation");

    /// <summary>Where the repo's Pester files live: tests/*.Tests.ps1.</summary>
    public static string PesterFilesDirectory { get; } = Path.Combine(RepoRoot, "tests");

    private static string Metadata(string key) =>
        typeof(Build).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The build did not record '{key}' (AssemblyMetadata in the csproj).");
}
