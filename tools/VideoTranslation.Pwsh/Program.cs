// A pwsh for machines without one: the real PowerShell 7 console host (Microsoft.PowerShell.ConsoleShell, the same
// host pwsh runs) started in-process from the Microsoft.PowerShell.SDK package, with the repo's built module folder
// on $env:PSModulePath so `Import-Module VideoTranslation` loads artifacts/module/VideoTranslation.
//
//   dotnet run --project tools/VideoTranslation.Pwsh -- -NoProfile -File samples/Wait-Translation.ps1
//
// Arguments are pwsh's own (-NoProfile, -File, -Command, -NonInteractive, ...); the exit code is pwsh's: `exit N`
// gives N, a script that fails with a terminating error gives 1.
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace VideoTranslation.Pwsh;

internal static class Program
{
    private const string HelpText =
        "Usage: dotnet run --project tools/VideoTranslation.Pwsh -- [pwsh arguments]" + "\n" +
        "This is pwsh (PowerShell 7 from the Microsoft.PowerShell.SDK package) run in-process, with the repo's" + "\n" +
        "artifacts/module first on $env:PSModulePath. It takes pwsh's own arguments:";

    private static int Main(string[] args)
    {
        string moduleRoot = ModuleRoot();
        string? existing = Environment.GetEnvironmentVariable("PSModulePath");
        Environment.SetEnvironmentVariable(
            "PSModulePath",
            string.IsNullOrEmpty(existing) ? moduleRoot : moduleRoot + Path.PathSeparator + existing);

        string banner = "VideoTranslation.Pwsh: PowerShell " + PowerShellVersion() + " hosted in-process; modules from " + moduleRoot;
        InitialSessionState state = InitialSessionState.CreateDefault2();
        // PowerShell rebuilds PSModulePath as the runspace opens; Startup.ps1 then moves moduleRoot back to the front.
        state.Variables.Add(new SessionStateVariableEntry("__VideoTranslationModuleRoot", moduleRoot, description: null));
        state.StartupScripts.Add(Path.Combine(AppContext.BaseDirectory, "Startup.ps1"));
        return Microsoft.PowerShell.ConsoleShell.Start(state, banner, HelpText, args);
    }

    // <repo>/artifacts/module: the repo root is baked in at build time (AssemblyMetadata in the csproj).
    private static string ModuleRoot()
    {
        string repoRoot = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepoRoot").Value
            ?? throw new InvalidOperationException("The build did not record the repo root.");
        return Path.Combine(repoRoot, "artifacts", "module");
    }

    private static string PowerShellVersion() =>
        typeof(System.Management.Automation.PSObject).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split(' ', '+')[0]
        ?? "7";
}
