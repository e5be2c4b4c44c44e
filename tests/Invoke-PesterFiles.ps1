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
    [string] $ResultPath,
    # Lane mode (build.ps1 -Task Test runs two lanes side by side): each file of -Path, in the order given, is run by the
    # lane that claims it first (a <file>.claim created in this folder; creation is atomic), its result written to
    # -ResultDirectory as Pester-<file>.xml. The lane checks what it ran; build.ps1 checks that every file ran.
    [string] $ClaimDirectory,
    [string] $ResultDirectory
)
$ErrorActionPreference = 'Stop'

$env:VIDEOTRANSLATION_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
Import-Module -Name $PesterManifest
$files = @(Resolve-Path -Path $Path | ForEach-Object ProviderPath | Select-Object -Unique)
if (-not $ClaimDirectory) { $files = @($files | Sort-Object) }
if ($files.Count -eq 0) { throw "No Pester file matches $($Path -join ', ')." }

function New-Configuration ([string[]] $RunPath, [string] $ResultPath) {
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $RunPath
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
    $configuration
}

if ($ClaimDirectory) {
    $results = @(foreach ($file in $files) {
            $leaf = Split-Path -Leaf $file
            try { [IO.File]::Open((Join-Path $ClaimDirectory "$leaf.claim"), [IO.FileMode]::CreateNew).Dispose() }
            catch [IO.IOException] { continue } # the other lane has it
            Invoke-Pester -Configuration (New-Configuration $file (Join-Path $ResultDirectory "Pester-$leaf.xml"))
        })
    $files = @($results | ForEach-Object { $_.Containers } | ForEach-Object { "$($_.Item)" })
}
else {
    $results = @(Invoke-Pester -Configuration (New-Configuration $files $ResultPath))
}

# The totals of every Invoke-Pester of this run (one, or one per claimed file).
$result = [pscustomobject]@{
    Containers            = @($results | ForEach-Object { $_.Containers })
    FailedBlocks          = @($results | ForEach-Object { $_.FailedBlocks })
    FailedCount           = ($results | Measure-Object -Property FailedCount -Sum).Sum
    FailedContainersCount = ($results | Measure-Object -Property FailedContainersCount -Sum).Sum
    NotRunCount           = ($results | Measure-Object -Property NotRunCount -Sum).Sum
    PassedCount           = ($results | Measure-Object -Property PassedCount -Sum).Sum
    SkippedCount          = ($results | Measure-Object -Property SkippedCount -Sum).Sum
}

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
if ($result.PassedCount + $result.FailedCount -eq 0 -and -not ($ClaimDirectory -and $result.Containers.Count -eq 0)) { $problems.Add('no It block ran') }

"Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($problems.Count) {
    $problems | ForEach-Object { "Pester run failed: $_" }
    exit 1
}
exit 0
