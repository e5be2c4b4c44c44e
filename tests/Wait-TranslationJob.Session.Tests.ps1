# Pester 5 tests of Wait-TranslationJob as a PowerShell user meets it in a session (issue 11): progress of a single job
# through held checks, -OnStatusChange in the caller's scope, -AsJob with the job cmdlets, -TimeoutSec -1. Built module
# ($env:VIDEOTRANSLATION_MODULE_PATH), one simulator without hints that offers long-poll (so the default strategy,
# Auto, holds each check until the job changes). Elapsed-time figures are read from the records, never timed here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop
    $uri = $sim.Uri

    # The seconds a progress record says have passed: "…, 1.5 s" in its status or current operation.
    function Get-ElapsedSeconds ([string] $Text) {
        if ($Text -match '(\d+(?:\.\d+)?) s\b') { [double] $Matches[1] } else { $null }
    }

    $started = [System.Collections.Generic.List[object]]::new()
}

AfterAll {
    $started | Remove-Job -Force -ErrorAction SilentlyContinue
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Wait-TranslationJob' {
    Context 'progress' {
        It 'refreshes a single job''s progress with its elapsed time through one held check, and completes it at the end' {
            # The job is created in the new runspace, after its Import-Module, so the wait sees all of its 2.5 s.
            $run = Invoke-InNewRunspace 'param($Uri) Wait-TranslationJob -Uri $Uri -JobId (New-TranslationJob -Uri $Uri -DelaySec 2.5).Id' @{ Uri = $uri }

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 1
            $run.Output[0].Attempts | Should -Be 1 -Because 'the server held the one check until the job was done: the core reported no progress'
            $records = @($run.Progress | Where-Object Activity -Like "*$($run.Output[0].JobId)*")
            $waiting = @($records | Where-Object RecordType -EQ 'Processing')
            $waiting.Count | Should -BeGreaterOrEqual 2 -Because 'a record at least every second of the 2.5 s hold'
            $elapsed = @($waiting | ForEach-Object { Get-ElapsedSeconds $_.StatusDescription })
            $elapsed | Should -Not -Contain $null
            for ($i = 1; $i -lt $elapsed.Count; $i++) {
                $elapsed[$i] | Should -BeGreaterThan $elapsed[$i - 1] -Because "each refresh shows more time passed ($($elapsed -join ', ') s)"
            }
            $waiting[0].StatusDescription | Should -BeLike 'no answer yet*'
            $records[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
            $records[-1].StatusDescription | Should -Be 'Completed'
        }

        It 'refreshes the totals line of a batch with its elapsed time while every check is held' {
            $run = Invoke-InNewRunspace 'param($Uri) New-TranslationJob -Uri $Uri -DelaySec 1.5 -Count 2 | Wait-TranslationJob' @{ Uri = $uri }

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 2
            @($run.Progress.Activity | Select-Object -Unique) | Should -Be @('Waiting for 2 translation jobs')
            $elapsed = @($run.Progress | Where-Object RecordType -EQ 'Processing' | ForEach-Object { Get-ElapsedSeconds $_.CurrentOperation } | Where-Object { $null -ne $_ })
            $elapsed.Count | Should -BeGreaterOrEqual 2
            $elapsed[-1] | Should -BeGreaterThan $elapsed[0]
            $run.Progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
        }
    }

    Context '-OnStatusChange runs in the caller''s scope' {
        It 'counts the changes in a variable of the caller: $n++' {
            $n = 0

            $result = New-TranslationJob -Uri $uri -DelaySec 0.3 | Wait-TranslationJob -Strategy Fixed -Interval 0.1 -OnStatusChange { $n++ }

            $n | Should -BeGreaterThan 0
            $n | Should -Be $result.History.Count -Because 'one call per change of state'
        }

        It 'sets a local variable of the function that calls it' {
            function Measure-Change ([uri] $Uri, [string] $JobId) {
                $changes = @()
                $result = Wait-TranslationJob -Uri $Uri -JobId $JobId -Strategy Fixed -Interval 0.1 -OnStatusChange { $changes += [string] $_.State }
                [pscustomobject]@{ Changes = $changes; Result = $result }
            }

            $measured = Measure-Change $uri (New-TranslationJob -Uri $uri -DelaySec 0.3).Id

            @($measured.Changes) | Should -Be @([string[]] $measured.Result.History.State)
            $measured.Changes[-1] | Should -Be 'Completed'
        }

        It 'sees the variables of a module''s function that calls it' {
            $module = New-Module -Name 'OnStatusChangeCaller' -ScriptBlock {
                function Wait-Counted ([uri] $Uri, [string] $JobId) {
                    $count = 0
                    $result = Wait-TranslationJob -Uri $Uri -JobId $JobId -Strategy Fixed -Interval 0.1 -OnStatusChange { $count++ }
                    [pscustomobject]@{ Count = $count; Changes = $result.History.Count }
                }
            }

            $counted = & $module { param($Uri, $JobId) Wait-Counted $Uri $JobId } $uri (New-TranslationJob -Uri $uri -DelaySec 0.3).Id

            $counted.Count | Should -BeGreaterThan 0
            $counted.Count | Should -Be $counted.Changes
        }

        It 'has the status as $_ and as the first argument, and puts the caller''s $_ back afterwards' {
            $seen = [System.Collections.Generic.List[object]]::new()
            $_ = 'the caller''s'

            $result = New-TranslationJob -Uri $uri -DelaySec 0.3 | Wait-TranslationJob -Strategy Fixed -Interval 0.1 -OnStatusChange {
                $seen.Add([pscustomobject]@{ DollarUnder = $_; Argument = $args[0] })
            }

            $seen | Should -HaveCount $result.History.Count
            foreach ($change in $seen) {
                $change.DollarUnder | Should -BeOfType ([VideoTranslation.TranslationStatus])
                [object]::ReferenceEquals($change.DollarUnder, $change.Argument) | Should -BeTrue
            }
            $_ | Should -Be 'the caller''s'
        }

        It 'stops the command with OnStatusChangeFailed when the block stops on -ErrorAction Stop' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2

            # -ErrorAction SilentlyContinue on the command: the stop comes from the block's own -ErrorAction Stop.
            $thrown = { Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -OnStatusChange { Write-Error 'the notifier is down' -ErrorAction Stop } -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'OnStatusChangeFailed,*' -PassThru

            $thrown.Exception.Message | Should -BeLike '*the notifier is down*'
            $thrown.TargetObject.State | Should -Be 'Pending' -Because 'it stopped at the first change'
        }
    }

    Context '-AsJob' {
        It 'returns a TranslationWaitJob that Get-Job lists and whose results and errors Receive-Job gives' {
            $jobs = @(New-TranslationJob -Uri $uri -DelaySec 0.3 -Count 2; New-TranslationJob -Uri $uri -DelaySec 0.3 -Outcome Error)

            $job = $jobs | Wait-TranslationJob -AsJob -Strategy Fixed -Interval 0.1
            $started.Add($job)

            $job | Should -BeOfType ([System.Management.Automation.Job])
            $job.PSJobTypeName | Should -Be 'TranslationWaitJob'
            $job.Location | Should -Be "$uri"
            [object]::ReferenceEquals((Get-Job -Id $job.Id), $job) | Should -BeTrue
            $job | Wait-Job -Timeout 30 | Should -Not -BeNullOrEmpty -Because 'the job ended within 30 s'
            $job.State | Should -Be 'Completed' -Because 'a translation job that failed is an error in the output, as with Start-ThreadJob'
            $results = Receive-Job $job -ErrorVariable failures -ErrorAction SilentlyContinue
            $results | Should -HaveCount 3
            $results | Should -BeOfType ([VideoTranslation.TranslationWaitResult])
            @($results.JobId | Sort-Object) | Should -Be @($jobs.Id | Sort-Object)
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobFailed,*'
            $failures[0].TargetObject | Should -Be $jobs[2].Id

            Remove-Job $job
            Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'runs -OnStatusChange in the job, its Write-Host going to the job''s information stream' {
            $job = Wait-TranslationJob -Uri $uri -JobId (New-TranslationJob -Uri $uri -DelaySec 0.3).Id -AsJob -Strategy Fixed -Interval 0.1 -OnStatusChange { Write-Host "now $($_.State)" }
            $started.Add($job)

            $null = $job | Wait-Job -Timeout 30
            $all = Receive-Job $job 6>&1

            $result = @($all | Where-Object { $_ -is [VideoTranslation.TranslationWaitResult] })
            $result | Should -HaveCount 1
            @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$_" }) |
                Should -Be @($result[0].History | ForEach-Object { "now $($_.State)" })
        }

        It 'is Failed when the command stops with a terminating error, and Receive-Job gives that error' {
            $job = Wait-TranslationJob -Uri $uri -JobId 'no-such-job' -AsJob -ErrorAction Stop
            $started.Add($job)

            $null = $job | Wait-Job -Timeout 30
            $job.State | Should -Be 'Failed'
            $null = Receive-Job $job -ErrorVariable failures -ErrorAction SilentlyContinue
            @($failures.FullyQualifiedErrorId) | Should -BeLike 'TranslationJobNotFound,*'
        }

        It 'stops at once with Stop-Job, with no check after, and Remove-Job removes it' {
            $long = New-TranslationJob -Uri $uri -DelaySec 60
            $job = Wait-TranslationJob -Uri $uri -JobId $long.Id -AsJob -Strategy Fixed -Interval 0.1 -TimeoutSec -1
            $started.Add($job)
            Wait-Until { (Get-ServerJob $uri $long.Id).statusRequests -ge 2 } -TimeoutSec 20 | Should -BeTrue -Because 'the job is polling'

            Stop-Job $job

            Wait-Until { $job.State -eq 'Stopped' } -TimeoutSec 2 | Should -BeTrue -Because "Stop-Job stops it at once (state: $($job.State))"
            # While another wait runs for >= 0.4 s (a leftover 0.1 s poll loop would make about 4 checks), the stopped
            # job's count grows by at most the one check that may have been in flight at the stop.
            $afterStop = (Get-ServerJob $uri $long.Id).statusRequests
            $null = Wait-TranslationJob -Uri $uri -JobId (New-TranslationJob -Uri $uri -DelaySec 0.4).Id -Strategy Fixed -Interval 0.1
            (Get-ServerJob $uri $long.Id).statusRequests | Should -BeLessOrEqual ($afterStop + 1)
            Receive-Job $job | Should -BeNullOrEmpty
            Remove-Job $job
            Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Context '-TimeoutSec' {
        It 'waits without a deadline with -TimeoutSec -1' {
            $result = Wait-TranslationJob -Uri $uri -JobId (New-TranslationJob -Uri $uri -DelaySec 0.3).Id -TimeoutSec -1

            $result.State | Should -Be 'Completed'
        }

        It 'rejects -TimeoutSec <Value> with a message that names the range and -1' -ForEach @(
            @{ Value = 0 }
            @{ Value = -2 }
            @{ Value = -0.5 }
        ) {
            $thrown = { Wait-TranslationJob -Uri $uri -JobId 'x' -TimeoutSec $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru

            $thrown.Exception.Message | Should -BeLike "*'TimeoutSec'*0.001 to 86400 seconds, or -1 to wait without a deadline*"
        }
    }
}
