# Pester 5 tests of Wait-TranslationJob on pipeline input that is still arriving: waits start as jobs arrive, a result
# comes out while later jobs are still being created, and Select-Object -First 1 stops the upstream and the other waits.
# BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see docs/testing.md); one real simulator with long-poll.
# The tests are ordered, not timed: the upstream holds its next job back until the server has served job 1's result
# (GET /jobs/{id}: resultFirstServedAt), so the collect-then-wait code of the past, which waited on nothing before the
# input ended, fails them whatever the machine's speed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop

    function Wait-ResultServed ([uri] $Uri, [string] $Id) {
        # Until the server has answered a check of the job with its final result: the wait has seen it end.
        Wait-Until { (Get-ServerJob $Uri $Id).resultFirstServedAt } 20 | Should -BeTrue -Because "job $Id ends in 0.2 s and is waited on as it arrives"
    }
}

AfterAll {
    $sim | Where-Object { $_ } | Stop-TranslationSimulator
}

Describe 'Wait-TranslationJob on input that is still arriving' {
    It 'writes the first job''s result while the later jobs are still being created' {
        $log = [System.Collections.Generic.List[string]]::new()
        $uri = $sim.Uri

        $results = @(
            & {
                $first = New-TranslationJob -Uri $uri -DelaySec 0.2
                $log.Add("created $($first.Id)")
                $first
                Wait-ResultServed $uri $first.Id
                foreach ($n in 2..6) {
                    # Each job arriving lets the cmdlet write what has ended meanwhile.
                    Start-Sleep -Milliseconds 100
                    $job = New-TranslationJob -Uri $uri -DelaySec 0.5
                    $log.Add("created $($job.Id)")
                    $job
                }
            } | Wait-TranslationJob | ForEach-Object { $log.Add("result $($_.JobId)"); $_ }
        )

        $results | Should -HaveCount 6
        @($results.State | Select-Object -Unique) | Should -Be @('Completed')
        $firstId = ($log[0] -split ' ')[1]
        $results[0].JobId | Should -Be $firstId -Because 'job 1 ended first'
        $lastCreated = $log.LastIndexOf(@($log | Where-Object { $_ -like 'created *' })[-1])
        $log.IndexOf("result $firstId") | Should -BeLessThan $lastCreated -Because "job 1's result comes out before the last job is created: $($log -join ', ')"
    }

    It 'with Select-Object -First 1, returns the first job to end, stops the upstream and releases the other waits'' held checks' {
        $created = [System.Collections.Generic.List[object]]::new()
        $uri = $sim.Uri

        $results = @(
            & {
                $quick = New-TranslationJob -Uri $uri -DelaySec 0.2
                $created.Add($quick)
                $quick
                Wait-ResultServed $uri $quick.Id
                foreach ($n in 1..20) {
                    $job = New-TranslationJob -Uri $uri -DelaySec 30
                    $created.Add($job)
                    $job
                    Start-Sleep -Milliseconds 100
                }
            } | Wait-TranslationJob | Select-Object -First 1
        )

        $results | Should -HaveCount 1
        $results[0].JobId | Should -Be $created[0].Id
        $results[0].State | Should -Be 'Completed'
        $created.Count | Should -BeLessOrEqual 5 -Because 'the upstream is stopped at the first result, not run to its 21 jobs'
        $slow = @($created | Select-Object -Skip 1)
        $slow | Should -Not -BeNullOrEmpty -Because 'a slow job arrived after the quick one ended (its arrival let the result out)'
        Wait-Until { ($slow | ForEach-Object { (Get-ServerJob $uri $_.Id).heldRequests } | Measure-Object -Sum).Sum -eq 0 } 10 |
            Should -BeTrue -Because 'the slow jobs'' 30 s held checks are abandoned when the pipeline stops'
    }

    It 'writes the latest totals again each second while nothing changes, so the last of a burst is drawn' {
        # The console host draws a progress record only if the one before is 200 ms old: the totals written when the
        # input ended, right after the ones written as it arrived, would stay undrawn until a job ended.
        $jobs = @(New-TranslationJob -Uri $sim.Uri -DelaySec 30 -Count 3)
        $run = Start-InNewRunspace 'param($Ids, $Uri) Wait-TranslationJob -Uri $Uri -JobId $Ids' @{ Ids = $jobs.Id; Uri = $sim.Uri }
        try {
            $same = { @($run.PowerShell.Streams.Progress | Where-Object StatusDescription -Like '0 of 3 done*').Count }
            Wait-Until { (& $same) -ge 3 } 10 | Should -BeTrue -Because "the totals are written again each idle second (seen $(& $same))"
            @($run.PowerShell.Streams.Progress | Select-Object -Last 1).Activity | Should -Be 'Waiting for 3 translation jobs'
        }
        finally {
            $run.PowerShell.Stop()
            $run.PowerShell.Dispose()
        }
    }
}
