<#
.SYNOPSIS
    Placeholder for the main sample: imports the VideoTranslation module and prints the PowerShell version.
.DESCRIPTION
    The real sample (start the simulator, create a job, wait for it) comes with the cmdlets. Run it with any pwsh,
    or on a machine without one with the in-process host:
        dotnet run --project tools/VideoTranslation.Pwsh -- -NoProfile -File samples/Wait-Translation.ps1
    That host (and ./build.ps1 -Task Demo) puts artifacts/module first on $env:PSModulePath, so the import below
    loads the build. Set $env:VIDEOTRANSLATION_MODULE_PATH to import a particular module folder instead.
#>
[CmdletBinding()]
param()
$ErrorActionPreference = 'Stop'

$module = if ($env:VIDEOTRANSLATION_MODULE_PATH) {
    Import-Module -Name $env:VIDEOTRANSLATION_MODULE_PATH -PassThru -Verbose:$false
}
else {
    Import-Module -Name VideoTranslation -PassThru -Verbose:$false
}

Write-Host "PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)) on $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription)"
Write-Host "VideoTranslation $($module.Version) from $($module.ModuleBase)"
Write-Verbose "Cmdlets: $(@($module.ExportedCmdlets.Keys | Sort-Object) -join ', ')"
