# What the Pester files (tests/*.Tests.ps1) share. Each file imports it first in its BeforeAll (and BeforeDiscovery,
# where discovery needs it): Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
# The contract (docs/testing.md): $env:VIDEOTRANSLATION_MODULE_PATH is the absolute path of the built module folder,
# artifacts/module/VideoTranslation; a file imports the module from there and nowhere else.
function Get-BuiltModulePath {
    # $env:VIDEOTRANSLATION_MODULE_PATH, or a clear error when whoever runs the files did not set it.
    $path = $env:VIDEOTRANSLATION_MODULE_PATH
    if ([string]::IsNullOrWhiteSpace($path)) {
        throw 'VIDEOTRANSLATION_MODULE_PATH is not set: point it at the built module folder, artifacts/module/VideoTranslation.'
    }
    $path
}

function Import-BuiltModuleInto ([powershell] $PowerShell) {
    # Imports the built module in the runspace of $PowerShell, in a call of its own: a batch of statements started
    # with BeginInvoke and then stopped can run its next statement on a closed runspace, on a pool thread, and crash
    # the test host.
    $null = $PowerShell.AddScript('param($ModulePath) Import-Module $ModulePath -ErrorAction Stop').AddArgument((Get-BuiltModulePath)).Invoke()
    $PowerShell.Commands.Clear()
}

function New-ModuleRunspace ([System.Management.Automation.Host.PSHost] $PSHost) {
    # An open runspace (with the given host, if any) that has the built module imported; the caller disposes it.
    $runspace = if ($PSHost) { [runspacefactory]::CreateRunspace($PSHost) } else { [runspacefactory]::CreateRunspace() }
    $runspace.Open()
    $setup = [powershell]::Create()
    try {
        $setup.Runspace = $runspace
        Import-BuiltModuleInto $setup
    }
    finally {
        $setup.Dispose()
    }
    $runspace
}

function Invoke-InNewRunspace ([string] $Script, [hashtable] $Parameters = @{}) {
    # Runs a script in a fresh runspace with the module imported, so its streams (progress, errors) can be read as records.
    $ps = [powershell]::Create()
    try {
        Import-BuiltModuleInto $ps
        $null = $ps.AddScript($Script).AddParameters($Parameters)
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output   = @($output)
            Progress = @($ps.Streams.Progress)
            Errors   = @($ps.Streams.Error)
        }
    }
    finally {
        $ps.Dispose()
    }
}

function Start-InNewRunspace ([string] $Script, [hashtable] $Parameters = @{}) {
    # Runs a script with the module imported in its own runspace, in the background; read its Output as it grows. The
    # caller ends it (EndInvoke or Stop) and disposes PowerShell, which closes the runspace.
    $ps = [powershell]::Create()
    Import-BuiltModuleInto $ps
    $null = $ps.AddScript($Script).AddParameters($Parameters)
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Output = $output }
}

function Wait-Until ([scriptblock] $Condition, [double] $TimeoutSec) {
    # Polls with a bound: $true as soon as the condition holds, $false if it never did within $TimeoutSec.
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($clock.Elapsed.TotalSeconds -ge $TimeoutSec) { return $false }
        Start-Sleep -Milliseconds 20
    }
    $true
}

function Get-FreePort {
    # A loopback TCP port that nothing listens on right now: a connection to it is refused, and a simulator can start there.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Get-ServerJob ([uri] $Uri, [string] $Id, [hashtable] $Headers = @{}) {
    # What the simulator at $Uri knows of a job (GET /jobs/{id}, docs/protocol.md): statusRequests (answers served),
    # heldRequests (long-poll checks held now), result, delaySeconds, outcome, completedAt, resultFirstServedAt, ...
    Invoke-RestMethod -Uri "$($Uri)jobs/$Id" -Headers $Headers
}

function Get-ServerJobCount ([uri] $Uri) {
    # How many jobs the simulator at $Uri holds (GET /health).
    (Invoke-RestMethod -Uri "$($Uri)health").jobs
}

function Set-Fault ([uri] $Uri, [hashtable] $Faults, [hashtable] $Headers = @{}) {
    # Replaces the simulator's whole fault set (PUT /admin/faults): @{} turns every fault off.
    $null = Invoke-RestMethod -Method Put -Uri "$($Uri)admin/faults" -Headers $Headers -ContentType 'application/json' -Body (ConvertTo-Json $Faults)
}

function Get-InjectedFault ([uri] $Uri, [hashtable] $Headers = @{}) {
    # The simulator's counters of injected faults by kind (GET /admin/faults: injected.internalError, .slow, ...).
    (Invoke-RestMethod -Uri "$($Uri)admin/faults" -Headers $Headers).injected
}

function Get-Completion ([string] $Line) {
    # What Tab offers at the end of $Line.
    @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
}

Export-ModuleMember -Function Get-BuiltModulePath, Import-BuiltModuleInto, New-ModuleRunspace, Invoke-InNewRunspace,
    Start-InNewRunspace, Wait-Until, Get-FreePort, Get-ServerJob, Get-ServerJobCount, Set-Fault, Get-InjectedFault, Get-Completion
