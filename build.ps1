#requires -Version 5.1
<#
.SYNOPSIS
    Thin front end over dotnet. Everything here is also reachable with plain dotnet commands, and pwsh itself is one:
    `dotnet tool restore` installs the PowerShell pinned in .config/dotnet-tools.json, `dotnet pwsh` runs it.
.DESCRIPTION
    Build    dotnet build of the solution (also assembles artifacts/module/VideoTranslation and restores Pester).
    Test     Build, then the xunit suites (dotnet test) and the Pester files (tests/*.Tests.ps1, run by
             tests/Invoke-PesterFiles.ps1) side by side; prints each runner's summary and a closing line
             "Test: N passed, N failed, N skipped"; fails when either fails.
    Pester   Builds the module, then only the Pester files: -Path picks files, -FullName picks It blocks by name.
    Demo     Builds the module, then runs the main job, samples/Wait-Translation.ps1, with artifacts/module first on
             PSModulePath.
    Package  Release build, then artifacts/VideoTranslation-<version>.zip of artifacts/module/VideoTranslation.
    Pester and the demo run in a child process of this PowerShell, so this session never loads the module's
    assemblies (which would lock them against the next build on Windows).
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Pester -Path tests/Wait-TranslationJob.Batch.Tests.ps1 -FullName '*stops polling the others*'
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # -Task Pester: the Pester files to run (default tests/*.Tests.ps1).
    [string[]] $Path,
    # -Task Pester: only the It blocks whose "Describe.Context.It" name matches (wildcards).
    [string[]] $FullName
)
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$artifacts = Join-Path $root 'artifacts'
$moduleRoot = Join-Path $artifacts 'module'
$modulePath = Join-Path $moduleRoot 'VideoTranslation'
$testResults = Join-Path $artifacts 'TestResults'
# The PowerShell running this script: pwsh, powershell.exe, or `dotnet pwsh` (the repo's local tool), whose process is
# dotnet itself running pwsh.dll, so the child is started the same way.
$powerShell = @((Get-Process -Id $PID).Path)
if ([System.IO.Path]::GetFileNameWithoutExtension($powerShell[0]) -eq 'dotnet') {
    $powerShell += [System.Reflection.Assembly]::GetEntryAssembly().Location
}

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-ChildPowerShell {
    # Runs pwsh arguments in a child process of this PowerShell with the given environment variables, its output
    # straight to the console (so a terminal keeps Pester's colours); its exit code is left in $LASTEXITCODE.
    param([string[]] $Arguments, [hashtable] $Environment = @{})
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $hostArguments = @($powerShell | Select-Object -Skip 1)
        & $powerShell[0] @hostArguments -NoProfile -NonInteractive @Arguments
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-PesterManifest {
    # Pester comes from NuGet: tests/PesterPackage references the package (restored by any dotnet restore or build of
    # the solution) and names where its Pester.psd1 landed.
    $manifest = & dotnet msbuild (Join-Path $root 'tests/PesterPackage/PesterPackage.csproj') -getProperty:PesterManifest
    if ($LASTEXITCODE -ne 0) { throw "dotnet msbuild -getProperty:PesterManifest failed with exit code $LASTEXITCODE" }
    if (-not (Test-Path -LiteralPath "$manifest".Trim())) { throw "Pester is not restored (no '$manifest'): run dotnet restore." }
    "$manifest".Trim()
}

function Invoke-PesterFiles {
    # The Pester files in a child pwsh; $LASTEXITCODE is 0 after a clean run (see tests/Invoke-PesterFiles.ps1).
    # -Command, not -File: -File passes every argument as one string, so two paths would bind as -Path and -FullName.
    param([string[]] $Files, [string[]] $Names)
    function Format-Literal([string] $Value) { "'" + ($Value -replace "'", "''") + "'" }
    function Format-List([string[]] $Values) { '@(' + (($Values | ForEach-Object { Format-Literal $_ }) -join ', ') + ')' }
    $command = "& $(Format-Literal (Join-Path $root 'tests/Invoke-PesterFiles.ps1')) -PesterManifest $(Format-Literal (Get-PesterManifest))" +
        " -ModulePath $(Format-Literal $modulePath) -ResultPath $(Format-Literal (Join-Path $testResults 'Pester.xml'))"
    if ($Files) { $command += " -Path $(Format-List @($Files | ForEach-Object { (Resolve-Path -Path $_).ProviderPath }))" }
    if ($Names) { $command += " -FullName $(Format-List $Names)" }
    Invoke-ChildPowerShell -Arguments '-Command', "$command; exit `$LASTEXITCODE"
}

function Get-XunitSummary {
    # dotnet test's closing line per test assembly: "Passed!  - Failed: 0, Passed: 463, Skipped: 1, Total: 464, ...".
    param([string] $Log)
    $pattern = '(?m)^\s*(?:Passed|Failed)!\s+-\s+Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+),\s+Skipped:\s+(?<skipped>\d+),\s+Total:\s+\d+.*?-\s+(?<assembly>\S+)\.dll'
    foreach ($match in [regex]::Matches($Log, $pattern)) {
        [pscustomobject]@{
            Assembly = $match.Groups['assembly'].Value
            Passed   = [int] $match.Groups['passed'].Value
            Failed   = [int] $match.Groups['failed'].Value
            Skipped  = [int] $match.Groups['skipped'].Value
        }
    }
}

function Get-PesterSummary {
    # Pester's NUnit results, one per file of the lanes: total counts what ran (not the filtered out), failures,
    # skipped and inconclusive apart.
    param([string[]] $Paths)
    $passed = $failed = $skipped = 0
    foreach ($path in $Paths) {
        [xml] $xml = Get-Content -Raw -LiteralPath $path
        $counts = $xml.'test-results'
        $fileFailed = [int] $counts.failures
        $fileSkipped = [int] $counts.skipped + [int] $counts.inconclusive
        $passed += [int] $counts.total - $fileFailed - $fileSkipped
        $failed += $fileFailed
        $skipped += $fileSkipped
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-PesterLanes {
    # Every Pester file in two child pwsh side by side, each taking the next file nobody has taken (largest first), its
    # output to a log printed when both are done: the files mostly wait on simulators, so two lanes take about half as
    # long as one. Returns the lanes' exit codes.
    param([int] $Lanes = 2)
    $claims = Join-Path $testResults 'claims'
    $null = New-Item -ItemType Directory -Force -Path $claims
    $files = @(Get-ChildItem -Path (Join-Path $root 'tests/*.Tests.ps1') | Sort-Object Length -Descending | ForEach-Object FullName)
    function Format-Literal([string] $Value) { "'" + ($Value -replace "'", "''") + "'" }
    $list = '@(' + (($files | ForEach-Object { Format-Literal $_ }) -join ', ') + ')'
    $command = "& $(Format-Literal (Join-Path $root 'tests/Invoke-PesterFiles.ps1')) -PesterManifest $(Format-Literal (Get-PesterManifest))" +
        " -ModulePath $(Format-Literal $modulePath) -Path $list -ClaimDirectory $(Format-Literal $claims) -ResultDirectory $(Format-Literal $testResults); exit `$LASTEXITCODE"
    $hostArguments = @($powerShell | Select-Object -Skip 1)
    $running = foreach ($lane in 1..$Lanes) {
        $log = Join-Path $testResults "pester-lane$lane.log"
        $process = Start-Process -FilePath $powerShell[0] -NoNewWindow -PassThru -WorkingDirectory $root `
            -ArgumentList ($hostArguments + @('-NoProfile', '-NonInteractive', '-Command', $command)) `
            -RedirectStandardOutput $log -RedirectStandardError "$log.err"
        $null = $process.Handle # Windows PowerShell reads no ExitCode from a Start-Process object without it.
        [pscustomobject]@{ Lane = $lane; Process = $process; Log = $log }
    }
    try {
        foreach ($lane in $running) { $lane.Process.WaitForExit() }
    }
    finally {
        foreach ($lane in $running) { if (-not $lane.Process.HasExited) { $lane.Process.Kill() } }
    }
    foreach ($lane in $running) {
        Write-Host "---- Pester lane $($lane.Lane) (exit code $($lane.Process.ExitCode)) ----"
        Write-Host (Get-Content -Raw -LiteralPath $lane.Log).TrimEnd()
        Get-Content -Raw -LiteralPath "$($lane.Log).err" | Where-Object { $_.Trim() } | Write-Host
        $lane.Process.ExitCode
    }
}

function Get-Version {
    # The one version number: <VersionPrefix> in Directory.Build.props.
    [xml] $props = Get-Content -Raw -LiteralPath (Join-Path $root 'Directory.Build.props')
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })
    if ($version.Count -ne 1) { throw 'Directory.Build.props must hold exactly one <VersionPrefix>.' }
    $version[0]
}

Push-Location $root
try {
    switch ($Task) {
        'Build' {
            Invoke-Dotnet build VideoTranslation.PS.sln -c $Configuration
        }
        'Test' {
            Invoke-Dotnet build VideoTranslation.PS.sln -c $Configuration
            if (Test-Path -LiteralPath $testResults) { Remove-Item -LiteralPath $testResults -Recurse -Force }
            $null = New-Item -ItemType Directory -Path $testResults
            # The xunit suites run in the background while Pester runs here: together they take about as long as
            # Pester alone (mostly waiting on simulators), where one after the other they would not fit in 5 minutes
            # on 2 cores. The suites go one at a time (-m:1), so that at most one test host competes with Pester's
            # timing-sensitive tests for the cores. English summaries, so that they can be read back below.
            $xunitLog = Join-Path $testResults 'xunit.log'
            $savedLanguage = $env:DOTNET_CLI_UI_LANGUAGE
            $env:DOTNET_CLI_UI_LANGUAGE = 'en'
            try {
                $xunit = Start-Process -FilePath dotnet -NoNewWindow -PassThru -WorkingDirectory $root `
                    -ArgumentList 'test', 'VideoTranslation.PS.sln', '--no-build', '-c', $Configuration, '-m:1' `
                    -RedirectStandardOutput $xunitLog -RedirectStandardError (Join-Path $testResults 'xunit.stderr.log')
            }
            finally {
                $env:DOTNET_CLI_UI_LANGUAGE = $savedLanguage
            }
            $null = $xunit.Handle # Windows PowerShell reads no ExitCode from a Start-Process object without it.
            try {
                Write-Host "xunit suites: dotnet test in the background (log: $xunitLog)"
                Write-Host 'Pester: tests/*.Tests.ps1, in two lanes'
                $laneExits = @(Invoke-PesterLanes)
                $pesterExit = @($laneExits | Where-Object { $_ -ne 0 }).Count
                $xunit.WaitForExit()
            }
            finally {
                # Ctrl+C reaches dotnet test itself (same console); this stops it when anything else went wrong here.
                if (-not $xunit.HasExited) { $xunit.Kill() }
            }
            $xunitExit = $xunit.ExitCode
            $log = Get-Content -Raw -LiteralPath $xunitLog
            Write-Host "---- xunit suites (dotnet test, exit code $xunitExit) ----"
            Write-Host $log.TrimEnd()
            Get-Content -Raw -LiteralPath (Join-Path $testResults 'xunit.stderr.log') | Where-Object { $_.Trim() } | Write-Host

            # The verdict: both exit codes, a summary from every xunit test project, and Pester's result file.
            $failures = [System.Collections.Generic.List[string]]::new()
            if ($xunitExit -ne 0) { $failures.Add("dotnet test exited with $xunitExit") }
            if ($pesterExit -ne 0) { $failures.Add("$pesterExit Pester lane(s) failed (exit codes $($laneExits -join ', '))") }
            $xunitSummary = @(Get-XunitSummary $log)
            $expected = @(Get-ChildItem -Path (Join-Path $root 'tests/*/*.Tests.csproj') | ForEach-Object BaseName)
            $unread = @($expected | Where-Object { $_ -notin $xunitSummary.Assembly })
            if ($unread) { $failures.Add("no dotnet test summary for $($unread -join ', ')") }
            $pesterFiles = @(Get-ChildItem -Path (Join-Path $root 'tests/*.Tests.ps1') | ForEach-Object Name)
            $noResult = @($pesterFiles | Where-Object { -not (Test-Path -LiteralPath (Join-Path $testResults "Pester-$_.xml")) })
            if ($noResult) { $failures.Add("no Pester result for $($noResult -join ', ')") }
            $pester = Get-PesterSummary @($pesterFiles | ForEach-Object { Join-Path $testResults "Pester-$_.xml" } | Where-Object { Test-Path -LiteralPath $_ })
            $all = @($xunitSummary) + @($pester | Where-Object { $_ })
            $passed = ($all | Measure-Object -Property Passed -Sum).Sum
            $failed = ($all | Measure-Object -Property Failed -Sum).Sum
            $skipped = ($all | Measure-Object -Property Skipped -Sum).Sum
            foreach ($suite in $xunitSummary) { Write-Host ('xunit {0}: {1} passed, {2} failed, {3} skipped' -f $suite.Assembly, $suite.Passed, $suite.Failed, $suite.Skipped) }
            if ($pester) { Write-Host ('Pester files: {0} passed, {1} failed, {2} skipped' -f $pester.Passed, $pester.Failed, $pester.Skipped) }
            Write-Host "Test: $passed passed, $failed failed, $skipped skipped"
            if ($failures.Count) { throw "Test failed: $($failures -join '; ')." }
        }
        'Pester' {
            Invoke-Dotnet build src/VideoTranslation.PowerShell -c $Configuration
            Invoke-Dotnet restore tests/PesterPackage
            Invoke-PesterFiles -Files $Path -Names $FullName
            $pesterExit = $LASTEXITCODE
            if ($pesterExit -ne 0) { throw "The Pester run failed (exit code $pesterExit)." }
        }
        'Demo' {
            Invoke-Dotnet build src/VideoTranslation.PowerShell -c $Configuration
            $sample = Join-Path (Join-Path $root 'samples') 'Wait-Translation.ps1'
            $modules = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
            $environment = @{ PSModulePath = $modules; VIDEOTRANSLATION_MODULE_PATH = $modulePath }
            Invoke-ChildPowerShell -Arguments '-File', $sample -Environment $environment
            if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
        }
        'Package' {
            Invoke-Dotnet build VideoTranslation.PS.sln -c Release
            $zip = Join-Path $artifacts "VideoTranslation-$(Get-Version).zip"
            if (Test-Path -LiteralPath $zip) { Remove-Item -LiteralPath $zip }
            # ZipFile rather than Compress-Archive: the same on every PowerShell, the module folder at the zip's root.
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            [System.IO.Compression.ZipFile]::CreateFromDirectory($modulePath, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
            Write-Host "Package -> $zip"
        }
    }
}
finally {
    Pop-Location
}
