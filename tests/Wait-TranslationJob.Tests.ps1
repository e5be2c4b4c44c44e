# Pester 5 tests of Wait-TranslationJob on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1)
# against ONE real simulator. Jobs get exact durations (New-TranslationJob -DelaySec). The simulator sends no hints
# (-NoHints): a pending answer's Retry-After (at least 1 s) would otherwise be a floor under every poll. It offers
# long-poll, so the default strategy (Auto) long-polls; the strategies of issue 5 are in
# Wait-TranslationJob.Strategies.Tests.ps1, many jobs, -Any and -ThrottleLimit in Wait-TranslationJob.Batch.Tests.ps1.
# Timing: a delay never fires early, so lower bounds on elapsed time and upper bounds on the number of checks are
# exact on any machine; upper bounds on wall-clock time are generous (this runs on a noisy 2-core box). A test that
# needs to see a job pending gives it 2 s (0.5 s and even 1 s were not enough: a cold first wait on a loaded 2-core machine can start a second late), so a slow start of the wait cannot find it already done.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop
    $uri = $sim.Uri

    # Timer slack: Task.Delay works in whole milliseconds, so a sum of delays may come out a hair short.
    $tolerance = [timespan]::FromMilliseconds(20)
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Wait-TranslationJob' {
    Context 'one job by id' {
        It 'returns a Completed result with the job''s history when the job completes' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -ErrorVariable failures

            $failures | Should -BeNullOrEmpty
            $result | Should -HaveCount 1
            $result | Should -BeOfType ([VideoTranslation.TranslationWaitResult])
            $result.JobId | Should -Be $job.Id
            $result.State | Should -Be ([VideoTranslation.TranslationState]::Completed)
            $result.Succeeded | Should -BeTrue
            $result.FinalStatus.RequestUri | Should -Be "$($uri)jobs/$($job.Id)/status"
            @($result.History.State) | Should -Be @('Pending', 'Completed')
            $result.Elapsed | Should -BeGreaterThan ([timespan]::Zero)
            (Get-ServerJob $uri $job.Id).resultFirstServedAt | Should -Not -BeNullOrEmpty -Because 'the server served the final result to this wait'
        }

        It 'takes the job id by position and by the -Id alias' {
            $jobs = New-TranslationJob -Uri $uri -DelaySec 0 -Count 2

            $byPosition = Wait-TranslationJob $uri $jobs[0].Id
            $byAlias = Wait-TranslationJob -Uri $uri -Id $jobs[1].Id

            $byPosition.JobId | Should -Be $jobs[0].Id
            $byAlias.JobId | Should -Be $jobs[1].Id
        }

        It 'returns after one check when the job has already finished' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id

            $result.State | Should -Be 'Completed'
            $result.Attempts | Should -Be 1
            $result.History | Should -HaveCount 1
            (Get-ServerJob $uri $job.Id).statusRequests | Should -Be 1
        }
    }

    Context 'the original single-job endpoint' {
        It 'waits on the simulator''s /status job when -JobId is omitted' {
            $before = (Get-ServerJob $uri 'default').statusRequests

            $result = Wait-TranslationJob -Uri $uri -Strategy Fixed -Interval 0.1

            $result | Should -HaveCount 1
            $result.JobId | Should -BeNullOrEmpty
            $result.State | Should -Be 'Completed'
            $result.FinalStatus.RequestUri | Should -Be "$($uri)status"
            (Get-ServerJob $uri 'default').statusRequests | Should -Be ($before + $result.Attempts) -Because 'every check went to GET /status'
        }

        It 'takes -Uri from a simulator object on the pipeline' {
            $result = $sim | Wait-TranslationJob -Strategy Fixed -Interval 0.1

            $result.JobId | Should -BeNullOrEmpty
            $result.FinalStatus.RequestUri | Should -Be "$($uri)status"
        }
    }

    Context 'pipeline input by property name' {
        It 'waits on the job objects New-TranslationJob pipes in (Uri and Id)' {
            $results = New-TranslationJob -Uri $uri -DelaySec 0.2 -Count 3 | Wait-TranslationJob -Strategy Fixed -Interval 0.1

            $results | Should -HaveCount 3
            @($results.State | Select-Object -Unique) | Should -Be @('Completed')
            @($results.JobId | Select-Object -Unique) | Should -HaveCount 3
        }

        It 'takes Uri and JobId from any object that has them' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $result = [pscustomobject]@{ Uri = $uri; JobId = $job.Id } | Wait-TranslationJob

            $result.JobId | Should -Be $job.Id
        }
    }

    Context 'several jobs concurrently' {
        It 'waits on 5 piped jobs of 1 s concurrently, well under 5 s in total' {
            $jobs = New-TranslationJob -Uri $uri -DelaySec 1 -Count 5
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $results = $jobs | Wait-TranslationJob -Strategy Fixed -Interval 0.1

            $clock.Stop()
            $results | Should -HaveCount 5
            @($results.JobId | Sort-Object) | Should -Be @($jobs.Id | Sort-Object)
            @($results.State | Select-Object -Unique) | Should -Be @('Completed')
            # The jobs run on the server side by side, so even waiting on them one after another would end after
            # about 1 s: this bound only shows that the command returns promptly once they are done.
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
            # The proof of concurrency, exact whatever the machine's speed: every job was first seen pending before any
            # job was seen done. Waiting one job after another, jobs 2-5 would first be seen after job 1 was done.
            $firstDone = ($results | ForEach-Object { $_.FinalStatus.ObservedAt } | Measure-Object -Minimum).Minimum
            foreach ($result in $results) {
                $result.History[0].State | Should -Be 'Pending'
                $result.History[0].ObservedAt | Should -BeLessThan $firstDone
            }
        }

        It 'waits on a -JobId array concurrently' {
            $jobs = New-TranslationJob -Uri $uri -DelaySec 0.8 -Count 3

            $results = Wait-TranslationJob -Uri $uri -JobId $jobs.Id -Strategy Fixed -Interval 0.1

            $results | Should -HaveCount 3
            $firstDone = ($results | ForEach-Object { $_.FinalStatus.ObservedAt } | Measure-Object -Minimum).Minimum
            foreach ($result in $results) {
                $result.History[0].ObservedAt | Should -BeLessThan $firstDone
            }
        }

        It 'gives every job its own outcome: a result, a failed result with its error, a not-found error' {
            $good = New-TranslationJob -Uri $uri -DelaySec 0.2
            $bad = New-TranslationJob -Uri $uri -DelaySec 0.2 -Outcome Error

            $results = Wait-TranslationJob -Uri $uri -JobId $good.Id, 'no-such-job', $bad.Id -Strategy Fixed -Interval 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $results | Should -HaveCount 2
            ($results | Where-Object JobId -EQ $good.Id).State | Should -Be 'Completed'
            ($results | Where-Object JobId -EQ $bad.Id).State | Should -Be 'Error'
            $failures | Should -HaveCount 2
            ($failures | Where-Object TargetObject -EQ 'no-such-job').FullyQualifiedErrorId | Should -BeLike 'TranslationJobNotFound,*'
            ($failures | Where-Object TargetObject -EQ $bad.Id).FullyQualifiedErrorId | Should -BeLike 'TranslationJobFailed,*'
        }
    }

    Context 'strategies' {
        It 'checks no more often than -Interval with -Strategy Fixed' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.5

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.2

            $result.State | Should -Be 'Completed'
            (Get-ServerJob $uri $job.Id).statusRequests | Should -Be $result.Attempts -Because 'the server saw exactly the checks the wait counted'
            # Checks at >= 0, 0.2, 0.4, 0.6 s: the 4th is after the job's end, so there is never a 5th.
            $result.Attempts | Should -BeIn (2..4)
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(0.2 * ($result.Attempts - 1)) - $tolerance)
        }

        It 'grows each delay by -BackoffFactor from -Interval with -Strategy Exponential' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.5

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Exponential -Interval 0.15 -BackoffFactor 4 -MaxInterval 10 -Jitter 0

            $result.State | Should -Be 'Completed'
            # Delays 0.15, 0.6 s: checks at >= 0, 0.15, 0.75 s, and the third is after the job's end. A fixed 0.15 s
            # would need 4 checks; the default factor 1.5 would make its third check at 0.375 s, not 0.75 s.
            $result.Attempts | Should -BeIn (2..3)
            $startOfCheck = @(0, 0.15, 0.75)
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds($startOfCheck[$result.Attempts - 1]) - $tolerance)
        }

        It 'caps every delay at -MaxInterval' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.6

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Exponential -Interval 0.1 -BackoffFactor 100 -MaxInterval 0.2 -Jitter 0 -TimeoutSec 8

            # Uncapped, the third check would come 10.1 s after the first.
            $result.State | Should -Be 'Completed'
            $result.Attempts | Should -BeGreaterOrEqual 3
            $result.Elapsed.TotalSeconds | Should -BeLessThan 4
        }

        It 'keeps every delay at -Interval with -BackoffFactor 1 and -Jitter 0' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.5

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Exponential -Interval 0.2 -BackoffFactor 1 -MaxInterval 0.2 -Jitter 0

            # Checks at >= 0, 0.2, 0.4, 0.6 s.
            $result.Attempts | Should -BeIn (2..4)
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(0.2 * ($result.Attempts - 1)) - $tolerance)
        }

        It 'shortens delays with -Jitter 1 but never below the 100 ms floor' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.5

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Exponential -Interval 0.3 -BackoffFactor 1 -MaxInterval 0.3 -Jitter 1

            $result.State | Should -Be 'Completed'
            # Checks at least 100 ms apart over a 0.5 s job: at most 6 before it ends, and one more when the server's
            # timer ends the job a few ms late and the 6th check lands just before.
            $result.Attempts | Should -BeIn (2..7)
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(0.1 * ($result.Attempts - 1)) - $tolerance)
        }

        It 'uses Auto when no strategy is given: one held long-poll check on this simulator, which offers long-poll' {
            # The default was Exponential from 1 s until the core's Auto strategy became the default (issue 5).
            $job = New-TranslationJob -Uri $uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id

            $result.State | Should -Be 'Completed'
            $result.Attempts | Should -Be 1 -Because 'the server held the one check until the job was done'
            # The cmdlet's batch sends the hold as a group request (POST /jobs/status), asking for what is left of it.
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeGreaterThan 29 -Because 'Auto asked for the default 30 s hold'
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeLessOrEqual 30 -Because 'Auto asked for the default 30 s hold'
            (Get-ServerJob $uri $job.Id).statusRequests | Should -Be 1
        }
    }

    Context '-TimeoutSec' {
        It 'writes TranslationWaitTimedOut (OperationTimeout) and no result when the job outlasts -TimeoutSec' {
            $job = New-TranslationJob -Uri $uri -DelaySec 5
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -TimeoutSec 0.3 -Strategy Fixed -Interval 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $clock.Stop()
            $result | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationWaitTimedOut,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
            $failures[0].TargetObject | Should -Be $job.Id
            $failures[0].Exception | Should -BeOfType ([VideoTranslation.TranslationTimeoutException])
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.28
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
        }

        It 'throws TranslationWaitTimedOut with -ErrorAction Stop' {
            $job = New-TranslationJob -Uri $uri -DelaySec 5

            { Wait-TranslationJob -Uri $uri -JobId $job.Id -TimeoutSec 0.3 -Strategy Fixed -Interval 0.1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'TranslationWaitTimedOut,*'
        }

        It 'times out each job on its own: the job that finishes in time still returns its result' {
            $quick = New-TranslationJob -Uri $uri -DelaySec 0.1
            $slow = New-TranslationJob -Uri $uri -DelaySec 5

            $results = $quick, $slow | Wait-TranslationJob -TimeoutSec 0.6 -Strategy Fixed -Interval 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $results | Should -HaveCount 1
            $results.JobId | Should -Be $quick.Id
            $failures | Should -HaveCount 1
            $failures[0].TargetObject | Should -Be $slow.Id
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationWaitTimedOut,*'
        }
    }

    Context 'a job ending in error' {
        It 'writes the Error result and a non-terminating TranslationJobFailed (InvalidResult)' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2 -Outcome Error

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $result | Should -HaveCount 1
            $result.State | Should -Be ([VideoTranslation.TranslationState]::Error)
            $result.Succeeded | Should -BeFalse
            $result.FinalStatus.RawResult | Should -Be 'error'
            @($result.History.State) | Should -Be @('Pending', 'Error')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobFailed,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidResult)
            $failures[0].TargetObject | Should -Be $job.Id
        }

        It 'throws TranslationJobFailed with -ErrorAction Stop' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Error

            $thrown = { Wait-TranslationJob -Uri $uri -JobId $job.Id -ErrorAction Stop } | Should -Throw -ErrorId 'TranslationJobFailed,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be 'InvalidResult'
        }
    }

    Context 'failures other than the job''s own' {
        AfterEach {
            Set-Fault $uri @{}
        }

        It 'writes TranslationJobNotFound (ObjectNotFound) and no result for an unknown job' {
            $result = Wait-TranslationJob -Uri $uri -JobId 'no-such-job' -TimeoutSec 5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobNotFound,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $failures[0].TargetObject | Should -Be 'no-such-job'
        }

        It 'writes InvalidTranslationRequest for a -JobId of .. (never the /status job''s result) and waits on the other ids' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $results = Wait-TranslationJob -Uri $uri -JobId '..', $job.Id -TimeoutSec 5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $results | Should -HaveCount 1
            $results.JobId | Should -Be $job.Id
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTranslationRequest,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $failures[0].TargetObject | Should -Be '..'
        }

        It 'writes TranslationRouteNotFound for a -Uri whose base path the server lacks' {
            $result = Wait-TranslationJob -Uri "$($uri)api/" -JobId 'x' -TimeoutSec 5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationRouteNotFound,*'
        }

        It 'retries while the server answers 503 and completes once it recovers' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.2
            Set-Fault $uri @{ unavailableForSeconds = 2 }

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -TimeoutSec 10

            $result.State | Should -Be 'Completed'
            (Invoke-RestMethod "$($uri)admin/faults").injected.unavailable | Should -BeGreaterThan 0 -Because 'the first check met the unavailable window'
        }

        It 'keeps retrying an unreachable server until -TimeoutSec and reports the connection failure inside TranslationWaitTimedOut' {
            $closed = "http://127.0.0.1:$(Get-FreePort)/"

            $result = Wait-TranslationJob -Uri $closed -JobId 'x' -TimeoutSec 0.5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationWaitTimedOut,*'
            $failures[0].Exception.InnerException | Should -BeOfType ([VideoTranslation.TranslationConnectionException])
        }
    }

    Context '-OnStatusChange' {
        It 'runs once per state change, in order, with the status as $_ and as the first argument' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2
            $changes = [System.Collections.Generic.List[object]]::new()

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -OnStatusChange {
                $changes.Add([pscustomobject]@{ Status = $_; Argument = $args[0] })
            }

            $result.Attempts | Should -BeGreaterThan 2 -Because 'the job was seen pending several times, yet reported once'
            @($changes.Status.State) | Should -Be @('Pending', 'Completed')
            foreach ($change in $changes) {
                $change.Status | Should -BeOfType ([VideoTranslation.TranslationStatus])
                $change.Status.JobId | Should -Be $job.Id
                [object]::ReferenceEquals($change.Status, $change.Argument) | Should -BeTrue
            }
            @($changes.Status.ObservedAt) | Should -Be @($result.History.ObservedAt)
        }

        It 'runs on the pipeline thread, in the caller''s runspace' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2
            $pipelineThread = [Environment]::CurrentManagedThreadId
            $callerRunspace = [runspace]::DefaultRunspace
            $calls = [System.Collections.Generic.List[object]]::new()

            $null = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -OnStatusChange {
                $calls.Add([pscustomobject]@{ Thread = [Environment]::CurrentManagedThreadId; Runspace = [runspace]::DefaultRunspace })
            }

            $calls | Should -HaveCount 2
            foreach ($call in $calls) {
                $call.Runspace | Should -Not -BeNullOrEmpty
                $call.Runspace.InstanceId | Should -Be $callerRunspace.InstanceId
                $call.Thread | Should -Be $pipelineThread
            }
        }

        It 'keeps each job''s changes in order when several jobs are waited on' {
            $jobs = @(
                New-TranslationJob -Uri $uri -DelaySec 0.6
                New-TranslationJob -Uri $uri -DelaySec 0.8 -Outcome Error
                New-TranslationJob -Uri $uri -DelaySec 0
            )
            $pipelineThread = [Environment]::CurrentManagedThreadId
            $changes = [System.Collections.Generic.List[object]]::new()

            $null = $jobs | Wait-TranslationJob -Strategy Fixed -Interval 0.1 -OnStatusChange {
                $changes.Add([pscustomobject]@{ JobId = $_.JobId; State = [string] $_.State; Thread = [Environment]::CurrentManagedThreadId })
            } -ErrorAction SilentlyContinue

            @($changes | Where-Object JobId -EQ $jobs[0].Id | ForEach-Object State) | Should -Be @('Pending', 'Completed')
            @($changes | Where-Object JobId -EQ $jobs[1].Id | ForEach-Object State) | Should -Be @('Pending', 'Error')
            @($changes | Where-Object JobId -EQ $jobs[2].Id | ForEach-Object State) | Should -Be @('Completed')
            @($changes.Thread | Select-Object -Unique) | Should -Be @($pipelineThread)
        }

        It 'writes OnStatusChangeFailed for each failing call and still returns the result' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -OnStatusChange { throw 'the notifier is down' } -ErrorVariable failures -ErrorAction SilentlyContinue

            $result | Should -HaveCount 1
            $result.State | Should -Be 'Completed'
            $failures | Should -HaveCount 2 -Because 'the block failed for Pending and again for Completed; the wait went on'
            foreach ($failure in $failures) {
                $failure.FullyQualifiedErrorId | Should -BeLike 'OnStatusChangeFailed,*'
                $failure.TargetObject | Should -BeOfType ([VideoTranslation.TranslationStatus])
                $failure.Exception.Message | Should -BeLike '*the notifier is down*'
            }
            @($failures.TargetObject.State) | Should -Be @('Pending', 'Completed')
        }

        It 'keeps the block''s own output out of the command''s output' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $output = Wait-TranslationJob -Uri $uri -JobId $job.Id -OnStatusChange { 'noise'; 42 }

            $output | Should -HaveCount 1
            $output | Should -BeOfType ([VideoTranslation.TranslationWaitResult])
        }
    }

    Context 'progress, verbose and debug streams' {
        It 'writes progress for the job and a Completed progress record at the end' {
            # The job is created in the new runspace, after its Import-Module, so the wait sees it pending.
            $run = Invoke-InNewRunspace 'param($Uri) New-TranslationJob -Uri $Uri -DelaySec 2 | Wait-TranslationJob -Strategy Fixed -Interval 0.1' @{ Uri = $uri }

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 1
            $run.Output[0].History[0].State | Should -Be 'Pending'
            $records = @($run.Progress | Where-Object Activity -Like "*$($run.Output[0].JobId)*")
            $records.Count | Should -BeGreaterOrEqual 2
            @($records | Where-Object RecordType -EQ 'Processing').Count | Should -BeGreaterOrEqual 1
            # Before the first answer, a refresh may say 'no answer yet' (issue 11: progress through held checks).
            @($records | Where-Object StatusDescription -NotLike 'no answer yet*')[0].StatusDescription | Should -BeLike 'Pending after 1 check,*'
            $records[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
            $records[-1].StatusDescription | Should -Be 'Completed'
            @($records.ActivityId | Select-Object -Unique) | Should -HaveCount 1
        }

        It 'writes one aggregated progress activity for several jobs, not one per job, completed at the end' {
            # Per-job activities were replaced by one activity for the batch (issue 5: thousands of jobs at once).
            $run = Invoke-InNewRunspace 'param($Uri) New-TranslationJob -Uri $Uri -DelaySec 2 -Count 2 | Wait-TranslationJob -Strategy Fixed -Interval 0.1' @{ Uri = $uri }

            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 2
            foreach ($jobId in $run.Output.JobId) {
                @($run.Progress | Where-Object Activity -Like "*$jobId*") | Should -BeNullOrEmpty
            }
            @($run.Progress.Activity | Select-Object -Unique) | Should -Be @('Waiting for 2 translation jobs')
            @($run.Progress.ActivityId | Select-Object -Unique) | Should -HaveCount 1
            $run.Progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
            $run.Progress[-1].StatusDescription | Should -Be '2 of 2 done (2 completed, 0 failed, 0 errored)'
        }

        It 'writes the core''s state-change and finish log lines to the verbose stream with -Verbose' {
            $job = New-TranslationJob -Uri $uri -DelaySec 2

            $all = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -Verbose 4>&1

            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            @($all | Where-Object { $_ -is [VideoTranslation.TranslationWaitResult] }) | Should -HaveCount 1
            @($verbose | Where-Object Message -Like "*$($job.Id) is Pending*") | Should -HaveCount 1
            @($verbose | Where-Object Message -Like "*$($job.Id) is Completed*") | Should -HaveCount 1
            @($verbose | Where-Object Message -Like "*$($job.Id) finished as Completed*") | Should -HaveCount 1
        }

        It 'writes nothing to the verbose stream without -Verbose' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $all = & {
                $VerbosePreference = 'SilentlyContinue'
                Wait-TranslationJob -Uri $uri -JobId $job.Id 4>&1
            }

            @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        }

        It 'logs every check to the debug stream with -Debug' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.3

            $all = Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy Fixed -Interval 0.1 -Debug 5>&1

            $result = @($all | Where-Object { $_ -is [VideoTranslation.TranslationWaitResult] })
            $debug = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
            $result | Should -HaveCount 1
            @($debug | Where-Object Message -Like "*$($job.Id)*") | Should -HaveCount $result[0].Attempts
        }
    }

    Context 'Ctrl+C' {
        It 'stops at once when the pipeline is stopped, and no check is made afterwards' {
            # Bound: PowerShell.Stop() returns once the cmdlet has cancelled its waits; that is typically 2-20 ms
            # here. One stop must take < 1 s (a stop that waited for the next check or the job would take > 1 s
            # at best, the 30 s job at worst), and the fastest of three must take < 200 ms: that is "at once", and
            # one slow sample on this noisy 2-core machine cannot make it flaky.
            $job = New-TranslationJob -Uri $uri -DelaySec 30
            $runspace = New-ModuleRunspace
            try {
                $stopTimes = foreach ($trial in 1..3) {
                    $firstChange = [System.Threading.ManualResetEventSlim]::new($false)
                    $ps = [powershell]::Create()
                    $ps.Runspace = $runspace
                    $script = 'param($Uri, $JobId, $FirstChange) Wait-TranslationJob -Uri $Uri -JobId $JobId -Strategy Fixed -Interval 0.1 -OnStatusChange { $FirstChange.Set() }'
                    $null = $ps.AddScript($script).AddParameters(@{ Uri = $uri; JobId = $job.Id; FirstChange = $firstChange })
                    $null = $ps.BeginInvoke()
                    $firstChange.Wait([timespan]::FromSeconds(20)) | Should -BeTrue -Because 'the wait saw the job pending'

                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $ps.Stop()
                    $clock.Stop()

                    $ps.InvocationStateInfo.State | Should -Be ([System.Management.Automation.PSInvocationState]::Stopped)
                    $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
                    # Nothing keeps polling: while another wait runs for >= 0.4 s (so a leftover 0.1 s poll loop would
                    # make about 4 checks), the stopped job's check count grows by at most the one check that may
                    # have been in flight at the stop.
                    $afterStop = (Get-ServerJob $uri $job.Id).statusRequests
                    $null = Wait-TranslationJob -Uri $uri -JobId (New-TranslationJob -Uri $uri -DelaySec 0.4).Id -Strategy Fixed -Interval 0.1
                    (Get-ServerJob $uri $job.Id).statusRequests | Should -BeLessOrEqual ($afterStop + 1)
                    $ps.Dispose()
                    $clock.Elapsed.TotalMilliseconds
                }

                ($stopTimes | Measure-Object -Minimum).Minimum | Should -BeLessThan 200 -Because "stops took $($stopTimes -join ', ') ms"
            }
            finally {
                $runspace.Dispose()
            }
        }
    }
}
