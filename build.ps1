#requires -Version 5.1
<#
.SYNOPSIS
    Thin front end over dotnet for pwsh users. Everything here is also reachable with plain dotnet commands.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    switch ($Task) {
        'Build' { dotnet build VideoTranslation.PS.sln -c $Configuration }
        'Test'  { dotnet test VideoTranslation.PS.sln -c $Configuration }
    }
    if ($LASTEXITCODE -ne 0) { throw "dotnet $Task failed with exit code $LASTEXITCODE" }
}
finally {
    Pop-Location
}
