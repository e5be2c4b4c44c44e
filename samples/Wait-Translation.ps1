<#
.SYNOPSIS
    The main job: start a simulator with Gaussian delays, create a translation job, wait for it with the
    exponential strategy printing each status change, show the result, then wait for a batch of jobs at once with
    the default strategy (Auto: long-poll on this simulator), and stop the simulator. Then the same job as HeyGen
    users run it, offline: a simulator speaking HeyGen's v3 API, one job per output language created with
    New-TranslationJob -Service HeyGen and piped into Wait-TranslationJob, each result with its VideoUrl.
.DESCRIPTION
    Runs with any pwsh 7 (or Windows PowerShell 5.1) that can import the module, or on a machine that has only the
    .NET SDK through the repo's pinned pwsh:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
    which builds the module and runs this script with $env:VIDEOTRANSLATION_MODULE_PATH set to the built folder (and
    artifacts/module first on $env:PSModulePath). Without the variable, `Import-Module VideoTranslation` finds the
    module on $env:PSModulePath.
.EXAMPLE
    ./samples/Wait-Translation.ps1 -MeanDelaySec 5 -Jobs 3 -Verbose
.EXAMPLE
    ./samples/Wait-Translation.ps1 -ApiKey (Read-Host -Prompt 'API key' -AsSecureString)
    The same against a simulator that requires an API key: every cmdlet sends it as X-Api-Key.
#>
[CmdletBinding()]
param(
    # Mean job duration in seconds (Gaussian delay model).
    [ValidateRange(0.1, 600)]
    [double] $MeanDelaySec = 3,

    # Standard deviation of job durations in seconds.
    [ValidateRange(0, 600)]
    [double] $DelayStdDevSec = 1,

    # How many jobs to create and wait on concurrently.
    [ValidateRange(1, 100)]
    [int] $Jobs = 2,

    # How many jobs the batch at the end waits on at once (0 skips it).
    [ValidateRange(0, 10000)]
    [int] $BatchJobs = 20,

    # The output languages of the HeyGen part (none skips it).
    [string[]] $HeyGenLanguage = @('Spanish (Spain)', 'German (Germany)'),

    # Seed for reproducible durations.
    [int] $Seed = 7,

    # An API key for the simulator to require and every cmdlet to send (X-Api-Key). The cmdlets would also take it
    # from $env:VIDEOTRANSLATION_API_KEY; the simulator gets it in its environment, never on its command line.
    [System.Security.SecureString] $ApiKey
)
$ErrorActionPreference = 'Stop'

$module = if ($env:VIDEOTRANSLATION_MODULE_PATH) {
    Import-Module -Name $env:VIDEOTRANSLATION_MODULE_PATH -PassThru -Verbose:$false
}
else {
    Import-Module -Name VideoTranslation -PassThru -Verbose:$false
}
Write-Host "VideoTranslation $($module.Version) on PowerShell $($PSVersionTable.PSVersion)"

# With -ApiKey, the simulator requires the key and every call below sends it.
$key = if ($ApiKey) { @{ ApiKey = $ApiKey } } else { @{} }

$simulator = Start-TranslationSimulator @key -DelayModel Gaussian -MeanDelaySec $MeanDelaySec -DelayStdDevSec $DelayStdDevSec -Seed $Seed
try {
    Write-Host "Simulator $($simulator.ProcessId) listening on $($simulator.Uri)$(if ($simulator.ApiKeyRequired) { ' (API key required)' })"

    # The original single-job endpoint, GET /status, works too:
    Get-TranslationStatus @key -Uri $simulator.Uri | Format-Table | Out-Host

    $created = New-TranslationJob @key -Uri $simulator.Uri -Count $Jobs
    Write-Host "Created $($created.Count) job(s): $($created.Id -join ', ')"

    $results = $created | Wait-TranslationJob @key -Strategy Exponential -Interval 0.25 -BackoffFactor 2 -MaxInterval 2 -TimeoutSec 120 -OnStatusChange {
        Write-Host ('{0:HH:mm:ss.fff}  job {1}  {2}' -f $_.ObservedAt.ToLocalTime(), $_.JobId, $_.State)
    }

    $results | Format-Table | Out-Host
    foreach ($result in $results) {
        Write-Host ('Job {0}: {1} after {2} checks in {3:0.00} s' -f $result.JobId, $result.State, $result.Attempts, $result.Elapsed.TotalSeconds)
    }

    if ($BatchJobs -gt 0) {
        # Many jobs at once with the default strategy, Auto. This simulator offers long-poll, so each job's check is
        # held by the server until the job is done: about one request per job, seen done within milliseconds. A held
        # check keeps its request slot, so -ThrottleLimit is the number of jobs.
        $batch = New-TranslationJob @key -Uri $simulator.Uri -Count $BatchJobs
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $batchResults = $batch | Wait-TranslationJob @key -Strategy Auto -ThrottleLimit $BatchJobs -TimeoutSec 120
        $clock.Stop()
        $checks = ($batchResults | Measure-Object -Property Attempts -Sum).Sum
        Write-Host ('Batch of {0} jobs with -Strategy Auto: {1} completed in {2:0.00} s, {3:0.0} checks per job' -f
            $BatchJobs, @($batchResults | Where-Object Succeeded).Count, $clock.Elapsed.TotalSeconds, ($checks / $BatchJobs))
    }
}
finally {
    $simulator | Stop-TranslationSimulator
    Write-Host "Simulator stopped."
}

if ($HeyGenLanguage) {
    # HeyGen's v3 API, offline: the simulator serves its paths, JSON, status words, errors and Idempotency-Key.
    # Against HeyGen itself the same two commands run with -Uri https://api.heygen.com and $env:HEYGEN_API_KEY;
    # without a strategy the wait then follows HeyGen's advice (a check after 30 s, then every 60 s, for up to
    # 60 minutes). Here the jobs take about 2 s, so the wait checks every 0.25 s instead.
    $heygen = Start-TranslationSimulator @key -Service HeyGen -DelayModel Gaussian -MeanDelaySec 2 -DelayStdDevSec 0.5 -Seed $Seed
    try {
        Write-Host "HeyGen-shaped simulator $($heygen.ProcessId) listening on $($heygen.Uri)"
        $translations = New-TranslationJob @key -Uri $heygen.Uri -Service HeyGen -VideoUrl 'https://example.com/talk.mp4' -OutputLanguage $HeyGenLanguage |
            Wait-TranslationJob @key -Strategy Fixed -Interval 0.25 -TimeoutSec 60 -OnStatusChange {
                Write-Host ('{0:HH:mm:ss.fff}  {1}  {2} ({3})' -f $_.ObservedAt.ToLocalTime(), $_.JobId, $_.State, $_.RawResult)
            }
        foreach ($translation in $translations) {
            Write-Host ('{0} [{1}]: {2} after {3} checks, {4}' -f $translation.JobId, $translation.FinalStatus.Language, $translation.State,
                $translation.Attempts, $(if ($translation.VideoUrl) { $translation.VideoUrl.GetLeftPart([UriPartial]::Path) } else { $translation.FailureMessage }))
        }
    }
    finally {
        $heygen | Stop-TranslationSimulator
        Write-Host "HeyGen-shaped simulator stopped."
    }
}
