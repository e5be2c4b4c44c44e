#requires -Version 5.1
<#
.SYNOPSIS
    Thin front end over dotnet for pwsh users. Everything here is also reachable with plain dotnet commands.
.DESCRIPTION
    Build    dotnet build of the solution (also assembles artifacts/module/VideoTranslation).
    Test     dotnet test of the solution (the xunit suites, and tests/*.Tests.ps1 through the Pester bridge); then,
             if Pester 5 is installed here, Invoke-Pester -Path tests/*.Tests.ps1 under this PowerShell, with
             $env:VIDEOTRANSLATION_MODULE_PATH set to the built module folder (see docs/testing.md).
    Demo     builds, then runs the main job, samples/Wait-Translation.ps1, with artifacts/module first on PSModulePath.
    Package  Release build, then artifacts/VideoTranslation-<version>.zip of artifacts/module/VideoTranslation.
    Pester and the demo run in a child process of this PowerShell, so this session never loads the module's
    assemblies (which would lock them against the next build on Windows).
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$moduleRoot = Join-Path (Join-Path $root 'artifacts') 'module'
$modulePath = Join-Path $moduleRoot 'VideoTranslation'
# The PowerShell running this script (pwsh, powershell.exe, or the in-process host of tools/VideoTranslation.Pwsh).
$powerShell = (Get-Process -Id $PID).Path

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-ChildPowerShell {
    # Runs a command in a child process of this PowerShell with the given environment variables; throws on a
    # non-zero exit code.
    param([string] $Command, [hashtable] $Environment, [string] $What)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        & $powerShell -NoProfile -NonInteractive -Command $Command
        if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-Version {
    # The one version number: <VersionPrefix> in Directory.Build.props.
    [xml] $props = Get-Content -Raw -LiteralPath (Join-Path $root 'Directory.Build.props')
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })
    if ($version.Count -ne 1) { throw 'Directory.Build.props must hold exactly one <VersionPrefix>.' }
    $version[0]
}

function Quote([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

Push-Location $root
try {
    switch ($Task) {
        'Build' {
            Invoke-Dotnet build VideoTranslation.PS.sln -c $Configuration
        }
        'Test' {
            Invoke-Dotnet test VideoTranslation.PS.sln -c $Configuration
            $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -GE ([version] '5.0') |
                Sort-Object Version -Descending | Select-Object -First 1
            if ($null -eq $pester) {
                Write-Warning 'Pester 5 is not installed here: tests/*.Tests.ps1 ran only through the bridge in dotnet test (Install-Module Pester -MinimumVersion 5.0 to run them under this PowerShell too).'
            }
            else {
                Write-Host "Pester $($pester.Version): tests/*.Tests.ps1 under $powerShell"
                $testsPath = Join-Path (Join-Path $root 'tests') '*.Tests.ps1'
                # Run.Exit makes the child's exit code the number of failures (blocks and containers included).
                $command = @(
                    '$ErrorActionPreference = ''Stop'''
                    "Set-Location -LiteralPath $(Quote $root)"
                    "Import-Module -Name $(Quote $pester.Path)"
                    '$configuration = New-PesterConfiguration'
                    "`$configuration.Run.Path = @(Resolve-Path -Path $(Quote $testsPath) | ForEach-Object { `$_.ProviderPath })"
                    '$configuration.Run.Exit = $true'
                    '$configuration.Output.Verbosity = ''Normal'''
                    'Invoke-Pester -Configuration $configuration'
                ) -join '; '
                Invoke-ChildPowerShell -Command $command -Environment @{ VIDEOTRANSLATION_MODULE_PATH = $modulePath } -What 'Invoke-Pester'
            }
        }
        'Demo' {
            Invoke-Dotnet build src/VideoTranslation.PowerShell -c $Configuration
            $sample = Join-Path (Join-Path $root 'samples') 'Wait-Translation.ps1'
            $modules = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
            $environment = @{ PSModulePath = $modules; VIDEOTRANSLATION_MODULE_PATH = $modulePath }
            Invoke-ChildPowerShell -Command "& $(Quote $sample)" -Environment $environment -What 'The demo'
        }
        'Package' {
            Invoke-Dotnet build VideoTranslation.PS.sln -c Release
            $zip = Join-Path (Join-Path $root 'artifacts') "VideoTranslation-$(Get-Version).zip"
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
