# Pester 5 tests of Wait-TranslationJob on many jobs at once (the core's batch waits): pipeline input, -ThrottleLimit,
# -Any, jobs on two servers, aggregated progress, results as each job ends, and Ctrl+C during held long-poll checks.
# BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1); two real simulators, neither sends hints:
# $sim offers long-poll but not group long-poll (so the default strategy, Auto, holds one request per job), $other
# offers no long-poll (so waits there poll), $grouped offers both (so a batch's held checks go out as POST /jobs/status).
# What the server saw is read from GET /jobs/{id}: statusRequests (answers served) and heldRequests (long-poll checks
# held right now). A held check the client abandons is not counted as served (docs/protocol.md).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -NoGroupLongPoll -ErrorAction Stop
    $other = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -NoLongPoll -ErrorAction Stop
    $grouped = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop

    function Get-HeldRequests ($Simulator, [string[]] $Ids) {
        ($Ids | ForEach-Object { (Get-ServerJob $Simulator.Uri $_).heldRequests } | Measure-Object -Sum).Sum
    }
}

AfterAll {
    $sim, $other, $grouped | Where-Object { $_ } | Stop-TranslationSimulator
}

Describe 'Wait-TranslationJob with many jobs' {
    Context 'pipeline input' {
        It 'returns a correct result for each of 50 piped jobs, and a TranslationJobFailed for each that ended in error' {
            $good = @(New-TranslationJob -Uri $sim.Uri -DelaySec 1.5 -Count 40)
            $bad = @(New-TranslationJob -Uri $sim.Uri -DelaySec 1.5 -Outcome Error -Count 10)

            $results = @($good; $bad) | Wait-TranslationJob -ErrorVariable failures -ErrorAction SilentlyContinue

            $results | Should -HaveCount 50
            @($results.JobId | Sort-Object) | Should -Be @(@($good.Id; $bad.Id) | Sort-Object)
            @($results | Where-Object { $_.JobId -in $good.Id } | ForEach-Object State | Select-Object -Unique) | Should -Be @('Completed')
            @($results | Where-Object { $_.JobId -in $bad.Id } | ForEach-Object State | Select-Object -Unique) | Should -Be @('Error')
            $failures | Should -HaveCount 10
            @($failures.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Select-Object -Unique) | Should -Be @('TranslationJobFailed')
            @($failures.TargetObject | Sort-Object) | Should -Be @($bad.Id | Sort-Object)
            foreach ($result in $results) {
                # Long-poll (the default, Auto): one held check each; the server served exactly the checks counted.
                $result.Attempts | Should -BeLessOrEqual 2
                (Get-ServerJob $sim.Uri $result.JobId).statusRequests | Should -Be $result.Attempts
            }
        }

        It 'accounts for every one of 2,000 unknown ids piped among real jobs: each a TranslationJobNotFound, in groups of 500 (issue 14)' {
            # -HoldLimit 4: the ids go out in group long-polls of the server's 500, whose answers are over 64 KB (they
            # were each a TranslationProtocolViolation: the limit was one job's answer for the whole group).
            $real = @(New-TranslationJob -Uri $grouped.Uri -DelaySec 0.3 -Count 20)
            $ids = @(1..2000 | ForEach-Object { "no-such-job-$_" }) + @($real.Id)

            $results = @($ids | Wait-TranslationJob -Uri $grouped.Uri -HoldLimit 4 -ErrorVariable failures -ErrorAction SilentlyContinue)

            @($results.JobId | Sort-Object) | Should -Be @($real.Id | Sort-Object)
            @($results.State | Select-Object -Unique) | Should -Be @('Completed')
            $failures | Should -HaveCount 2000
            @($failures.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Select-Object -Unique) | Should -Be @('TranslationJobNotFound')
            @($failures.TargetObject | Sort-Object -Unique) | Should -HaveCount 2000
        }

        It 'takes a -JobId array and job objects piped by property name in one call' {
            $byArray = @(New-TranslationJob -Uri $sim.Uri -DelaySec 0.3 -Count 2)
            $piped = @(New-TranslationJob -Uri $sim.Uri -DelaySec 0.3 -Count 2)

            $results = @(
                [pscustomobject]@{ Uri = $sim.Uri; JobId = $byArray.Id }
                $piped
            ) | Wait-TranslationJob

            @($results.JobId | Sort-Object) | Should -Be @(@($byArray.Id; $piped.Id) | Sort-Object)
        }

        It 'writes each result as its job finishes, while the others are still waited on' {
            # The jobs are made after the runspace's Import-Module, so both are pending when the wait starts; the slow
            # job object is written first, so the test knows its id.
            $script = 'param($Uri) $slow = New-TranslationJob -Uri $Uri -DelaySec 2.5; $quick = New-TranslationJob -Uri $Uri -DelaySec 0.3; $slow; Wait-TranslationJob -Uri $Uri -JobId $slow.Id, $quick.Id'
            $run = Start-InNewRunspace $script @{ Uri = $sim.Uri }
            try {
                Wait-Until { $run.Output.Count -ge 2 } 10 | Should -BeTrue
                $slow = $run.Output[0]
                $slowWhenFirstWritten = (Get-ServerJob $sim.Uri $slow.Id).result
                $null = $run.PowerShell.EndInvoke($run.Handle)
            }
            finally {
                $run.PowerShell.Dispose()
            }

            $run.Output[1].JobId | Should -Not -Be $slow.Id
            $run.Output[1].State | Should -Be 'Completed'
            $slowWhenFirstWritten | Should -Be 'pending' -Because 'the quick job''s result was written before the slow job ended'
            $run.Output | Should -HaveCount 3
            $run.Output[2].JobId | Should -Be $slow.Id
        }

        It 'waits on jobs of two servers in one call, each at its own server' {
            $here = @(New-TranslationJob -Uri $sim.Uri -DelaySec 0.3 -Count 2)
            $there = @(New-TranslationJob -Uri $other.Uri -DelaySec 0.3 -Count 2)

            $results = @($here; $there) | Wait-TranslationJob

            $results | Should -HaveCount 4
            foreach ($job in @($here; $there)) {
                $result = $results | Where-Object JobId -EQ $job.Id
                $result.State | Should -Be 'Completed'
                # Long-poll checks at $sim carry ?wait=; polls at $other do not.
                "$($result.FinalStatus.RequestUri)" | Should -BeLike "$($job.Uri)jobs/$($job.Id)/status*"
            }
        }
    }

    Context 'group long-poll' {
        It 'holds the jobs of one batch in one request where the server offers it: each job one check, the early answer serving the others too' {
            (Invoke-RestMethod "$($grouped.Uri)capabilities").groupLongPoll.maxIds | Should -Be 500
            $quick = New-TranslationJob -Uri $grouped.Uri -DelaySec 0.5
            $slow = New-TranslationJob -Uri $grouped.Uri -DelaySec 2

            $results = @(Wait-TranslationJob -Uri $grouped.Uri -JobId $quick.Id, $slow.Id)

            @($results.JobId) | Should -Be @($quick.Id, $slow.Id)
            @($results.State | Select-Object -Unique) | Should -Be @('Completed')
            @($results.Attempts | Select-Object -Unique) | Should -Be @(1) -Because 'each job was learned of from one held check'
            # One request held both: its answer when the quick job ended served the slow one too (still pending, so no
            # attempt of its wait), and the slow job's check went on held until its end. Per-job holds serve each once.
            (Get-ServerJob $grouped.Uri $quick.Id).statusRequests | Should -Be 1
            (Get-ServerJob $grouped.Uri $slow.Id).statusRequests | Should -Be 2
        }
    }

    Context '-HoldLimit and -ThrottleLimit' {
        It 'holds at most -HoldLimit long-poll checks on the server at once; -ThrottleLimit, the limit of ordinary checks, does not bound them' {
            $observe = {
                param([hashtable] $Limits)
                # The jobs are made in the runspace after its Import-Module (and written first), so they are pending
                # when the wait starts however long the import took. The first two take 2 s, the other four 1 s: the
                # waits take the free holds in input order, so with a hold limit of 2 the first two are held while the
                # other four poll unheld and finish. (Jobs that all ended together would hand a hold from one check to
                # the next within one sampling sweep, which reads the six jobs one after another, and the sweep could
                # count a check twice.)
                $script = 'param($Uri, $Limits) $jobs = @(New-TranslationJob -Uri $Uri -DelaySec 2 -Count 2; New-TranslationJob -Uri $Uri -DelaySec 1 -Count 4); $jobs; $jobs | Wait-TranslationJob -Strategy LongPoll @Limits'
                $run = Start-InNewRunspace $script @{ Uri = $sim.Uri; Limits = $Limits }
                try {
                    Wait-Until { $run.Output.Count -ge 6 } 20 | Should -BeTrue
                    $ids = @($run.Output[0..5].Id)
                    # Sample the server's held checks until the command ends; a held check lasts until its job ends.
                    $most = 0
                    while (-not $run.Handle.IsCompleted) {
                        $most = [math]::Max($most, (Get-HeldRequests $sim $ids))
                    }
                    $null = $run.PowerShell.EndInvoke($run.Handle)
                }
                finally {
                    $run.PowerShell.Dispose()
                }
                [pscustomobject]@{ Most = $most; Results = @($run.Output | Select-Object -Skip 6) }
            }

            $holdLimited = & $observe @{ HoldLimit = 2 }
            $throttled = & $observe @{ ThrottleLimit = 2 }

            $holdLimited.Results | Should -HaveCount 6
            @($holdLimited.Results.State | Select-Object -Unique) | Should -Be @('Completed')
            $holdLimited.Most | Should -BeLessOrEqual 2
            $holdLimited.Most | Should -BeGreaterOrEqual 1 -Because 'the sampling saw the held checks'
            $throttled.Results | Should -HaveCount 6
            @($throttled.Results.State | Select-Object -Unique) | Should -Be @('Completed')
            $throttled.Most | Should -BeGreaterThan 2 -Because 'held checks do not take -ThrottleLimit slots, so the six are held side by side for 1 s and the sampling can see more than 2'
        }
    }

    Context '-Any' {
        It 'returns only the first job to finish and stops polling the others' {
            # The quick job cannot finish before the slow ones have been polled twice, however late the wait starts on a
            # loaded machine (a job of 0.5 s could be done at the first round of checks, and the others checked once):
            # it is done at once but lives on $other, whose checks fail (503, retried) until this runspace has seen each
            # slow job polled twice and heals the fault; its next retry then finds it done.
            $quick = New-TranslationJob -Uri $other.Uri -DelaySec 0
            $slow = @(New-TranslationJob -Uri $sim.Uri -DelaySec 30 -Count 2)
            Set-Fault $other.Uri @{ serviceUnavailableProbability = 1 }
            try {
                $run = Start-InNewRunspace 'param($Jobs) $Jobs | Wait-TranslationJob -Any -Strategy Fixed -Interval 0.1' @{ Jobs = @($slow[0], $quick, $slow[1]) }
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                try {
                    Wait-Until { @($slow | Where-Object { (Get-ServerJob $sim.Uri $_.Id).statusRequests -ge 2 }).Count -eq 2 } 20 |
                        Should -BeTrue -Because 'the slow jobs were polled twice each while the quick one could not finish'
                    Set-Fault $other.Uri @{}
                    $null = $run.PowerShell.EndInvoke($run.Handle)
                    $clock.Stop()
                    $results = @($run.Output)
                }
                finally {
                    $run.PowerShell.Dispose()
                }
            }
            finally {
                Set-Fault $other.Uri @{}
            }

            $results | Should -HaveCount 1
            $results.JobId | Should -Be $quick.Id
            $results.State | Should -Be 'Completed'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            # The others were polled every 0.1 s until then. While another wait's 0.1 s poll loop makes 6 checks (a
            # leftover poll loop would make about as many each), each grows by at most the one check that may have been
            # answered as it was abandoned.
            $counts = foreach ($job in $slow) { (Get-ServerJob $sim.Uri $job.Id).statusRequests }
            $counts | ForEach-Object { $_ | Should -BeGreaterThan 1 -Because 'the slow jobs were being polled' }
            $yardstick = New-TranslationJob -Uri $other.Uri -DelaySec 30
            $ruler = Start-InNewRunspace 'param($Uri, $Id) Wait-TranslationJob -Uri $Uri -JobId $Id -Strategy Fixed -Interval 0.1' @{ Uri = $other.Uri; Id = $yardstick.Id }
            try {
                Wait-Until { (Get-ServerJob $other.Uri $yardstick.Id).statusRequests -ge 6 } 20 | Should -BeTrue -Because 'the yardstick wait made its 6 checks'
            }
            finally {
                $ruler.PowerShell.Stop()
                $ruler.PowerShell.Dispose()
            }
            for ($i = 0; $i -lt $slow.Count; $i++) {
                (Get-ServerJob $sim.Uri $slow[$i].Id).statusRequests | Should -BeLessOrEqual ($counts[$i] + 1)
            }
        }

        It 'releases the other jobs'' held long-poll checks before it returns' {
            $quick = New-TranslationJob -Uri $sim.Uri -DelaySec 0.5
            $slow = @(New-TranslationJob -Uri $sim.Uri -DelaySec 30 -Count 2)
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $results = $quick, $slow[0], $slow[1] | Wait-TranslationJob -Any

            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the other waits were stopped, not waited out (30 s)'
            $results | Should -HaveCount 1
            $results.JobId | Should -Be $quick.Id
            # The abandoned checks were cancelled, so the server sees their connections close and releases them.
            Wait-Until { (Get-HeldRequests $sim $slow.Id) -eq 0 } 5 | Should -BeTrue
            Start-Sleep -Milliseconds 500
            Get-HeldRequests $sim $slow.Id | Should -Be 0 -Because 'no new long-poll check was started after the command returned'
            foreach ($job in $slow) {
                (Get-ServerJob $sim.Uri $job.Id).statusRequests | Should -Be 0 -Because 'the held checks were abandoned, never answered'
            }
        }

        It 'stops the waits on another server too' {
            $quick = New-TranslationJob -Uri $other.Uri -DelaySec 0.5
            $slow = New-TranslationJob -Uri $sim.Uri -DelaySec 30
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $results = $slow, $quick | Wait-TranslationJob -Any

            $clock.Stop()
            $results.JobId | Should -Be $quick.Id
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the wait at the other server was stopped, not waited out (30 s)'
            Wait-Until { (Get-HeldRequests $sim $slow.Id) -eq 0 } 5 | Should -BeTrue
            Start-Sleep -Milliseconds 500
            Get-HeldRequests $sim $slow.Id | Should -Be 0
        }

        It 'writes the first outcome even when it is an error, and stops the others' {
            $slow = New-TranslationJob -Uri $sim.Uri -DelaySec 30
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $results = Wait-TranslationJob -Uri $sim.Uri -JobId $slow.Id, 'no-such-job' -Any -ErrorVariable failures -ErrorAction SilentlyContinue

            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $results | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobNotFound,*'
            $failures[0].TargetObject | Should -Be 'no-such-job'
            Wait-Until { (Get-HeldRequests $sim $slow.Id) -eq 0 } 5 | Should -BeTrue
        }
    }

    Context 'progress' {
        It 'writes one activity with the totals of the batch: done, completed, failed and errored' {
            $script = {
                param($Uri)
                $ids = @(
                    (New-TranslationJob -Uri $Uri -DelaySec 1 -Count 3).Id
                    (New-TranslationJob -Uri $Uri -DelaySec 1 -Outcome Error).Id
                    'no-such-job'
                )
                Wait-TranslationJob -Uri $Uri -JobId $ids -ErrorAction SilentlyContinue
            }
            $run = Invoke-InNewRunspace $script @{ Uri = $sim.Uri }
            $output = $run.Output
            $progress = $run.Progress

            $output | Should -HaveCount 4
            $progress.Count | Should -BeGreaterOrEqual 2
            @($progress.Activity | Select-Object -Unique) | Should -Be @('Waiting for 5 translation jobs')
            @($progress.ActivityId | Select-Object -Unique) | Should -HaveCount 1
            $processing = @($progress | Where-Object RecordType -EQ 'Processing')
            $processing[-1].StatusDescription | Should -Be '5 of 5 done (3 completed, 1 failed, 1 errored)'
            $processing[-1].PercentComplete | Should -Be 100
            for ($i = 1; $i -lt $processing.Count; $i++) {
                $processing[$i].PercentComplete | Should -BeGreaterOrEqual $processing[$i - 1].PercentComplete
            }
            $progress[-1].RecordType | Should -Be ([System.Management.Automation.ProgressRecordType]::Completed)
        }
    }

    Context 'Ctrl+C' {
        It 'stops a batch of held long-poll checks at once, and the server releases them' {
            $jobs = @(New-TranslationJob -Uri $sim.Uri -DelaySec 30 -Count 3)
            $stopTimes = foreach ($trial in 1..3) {
                $run = Start-InNewRunspace 'param($Uri, $Ids) Wait-TranslationJob -Uri $Uri -JobId $Ids' @{ Uri = $sim.Uri; Ids = $jobs.Id }
                try {
                    Wait-Until { (Get-HeldRequests $sim $jobs.Id) -eq 3 } 20 | Should -BeTrue -Because 'the three checks were held'

                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    $run.PowerShell.Stop()
                    $clock.Stop()

                    $run.PowerShell.InvocationStateInfo.State | Should -Be ([System.Management.Automation.PSInvocationState]::Stopped)
                    $clock.Elapsed.TotalMilliseconds | Should -BeLessThan 1000
                    Wait-Until { (Get-HeldRequests $sim $jobs.Id) -eq 0 } 5 | Should -BeTrue -Because 'the abandoned checks were released'
                }
                finally {
                    $run.PowerShell.Dispose()
                }
                $clock.Elapsed.TotalMilliseconds
            }

            ($stopTimes | Measure-Object -Minimum).Minimum | Should -BeLessThan 200 -Because "stops took $($stopTimes -join ', ') ms"
            foreach ($job in $jobs) {
                (Get-ServerJob $sim.Uri $job.Id).statusRequests | Should -Be 0 -Because 'no held check was ever answered'
            }
        }
    }
}
