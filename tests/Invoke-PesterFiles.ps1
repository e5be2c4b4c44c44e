#requires -Version 7.2
<#
.SYNOPSIS
    Runs the Pester files against the built module, as CI does, and exits 1 unless the run was clean.
.DESCRIPTION
    Run by ./build.ps1 -Task Test and -Task Pester in a child pwsh (so the build's own session never loads the module).
    Invoke-Pester -CI semantics (an NUnit result file, a failing exit code), and stricter than -CI: the run fails when
    any It, block (BeforeAll/AfterAll/BeforeEach/AfterEach) or file (parse or discovery error) failed, when a file
    holds no It at all, when a file asked for is not in the result, or when nothing ran. Prints a line per file and a
    closing "Pester: N passed, N failed, N skipped".
.EXAMPLE
    ./tests/Invoke-PesterFiles.ps1 -PesterManifest <Pester.psd1> -ModulePath artifacts/module/VideoTranslation -Path tests/Module.Tests.ps1
#>
param(
    # Pester.psd1 of the Pester package restored from NuGet (tests/PesterPackage); imported by path, so the version
    # pinned in Directory.Packages.props runs whatever else is installed.
    [Parameter(Mandatory)] [string] $PesterManifest,
    # The built module folder; the Pester files read it from $env:VIDEOTRANSLATION_MODULE_PATH (docs/testing.md).
    [Parameter(Mandatory)] [string] $ModulePath,
    [string[]] $Path = @(Join-Path $PSScriptRoot '*.Tests.ps1'),
    # Pester's Filter.FullName: wildcards on "Describe.Context.It" names.
    [string[]] $FullName,
    # Where to write the NUnit XML result (Pester's TestResult); none when empty.
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'

$env:VIDEOTRANSLATION_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
Import-Module -Name $PesterManifest
$files = @(Resolve-Path -Path $Path | ForEach-Object ProviderPath | Sort-Object -Unique)
if ($files.Count -eq 0) { throw "No Pester file matches $($Path -join ', ')." }

$configuration = New-PesterConfiguration
$configuration.Run.Path = $files
$configuration.Run.PassThru = $true
# Not Run.Exit: Pester would exit with the number of failures, which a process exit code wraps to 0 at 256.
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Normal'
# No colour escapes in a CI log or a redirected file.
if ([Console]::IsOutputRedirected) { $configuration.Output.RenderMode = 'Plaintext' }
if ($FullName) { $configuration.Filter.FullName = $FullName }
if ($ResultPath) {
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ResultPath)
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = $ResultPath
}
$result = Invoke-Pester -Configuration $configuration

$problems = [System.Collections.Generic.List[string]]::new()
foreach ($container in $result.Containers) {
    $name = Split-Path -Leaf $container.Item
    '{0,-45} {1,4} passed {2,3} failed {3,3} skipped {4,7:0.0} s{5}' -f $name, $container.PassedCount, $container.FailedCount,
        $container.SkippedCount, $container.Duration.TotalSeconds, $(if ($container.Result -ne 'Passed') { "  $($container.Result)" })
    foreach ($record in $container.ErrorRecord) { $problems.Add("$name failed outside its blocks (parse or discovery): $record") }
    if (-not $FullName -and $container.TotalCount -eq 0) { $problems.Add("$name has no It block") }
}
foreach ($block in $result.FailedBlocks) { $problems.Add("block '$($block.ExpandedPath)' failed: $($block.ErrorRecord -join '; ')") }
if ($result.FailedCount) { $problems.Add("$($result.FailedCount) It block(s) failed") }
if ($result.FailedContainersCount) { $problems.Add("$($result.FailedContainersCount) file(s) failed") }
if (-not $FullName -and $result.NotRunCount) { $problems.Add("$($result.NotRunCount) It block(s) did not run") }
$ran = @($result.Containers | ForEach-Object { "$($_.Item)" })
$missing = @($files | Where-Object { $_ -notin $ran })
if ($missing) { $problems.Add("not in the result: $($missing -join ', ')") }
if ($result.PassedCount + $result.FailedCount -eq 0) { $problems.Add('no It block ran') }

"Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($problems.Count) {
    $problems | ForEach-Object { "Pester run failed: $_" }
    exit 1
}
exit 0
