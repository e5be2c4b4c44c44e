# Pester 5 tests of Wait-TranslationJob -Strategy Auto|LongPoll|Adaptive|Learned, -MaxHoldSec and -HistoryPath on the
# BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1), against three real simulators: one that offers
# long-poll but no hints, one that offers hints but no long-poll, one that offers neither (the original server's
# behaviour). The strategies themselves are the core's (tests/VideoTranslation.Core.Tests test them on a fake clock);
# these tests show that each -Strategy reaches the right one, with the cmdlet's parameters, end to end.
# Timing: a delay never fires early, so lower bounds on elapsed time and upper bounds on the number of checks are exact
# on any machine; the bounds that depend on the machine's speed (lateness, lower bounds on checks) are generous: this
# runs on a noisy 2-core box. Lateness is measured by the server: resultFirstServedAt - completedAt (docs/protocol.md).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $simulators = @{
        longPoll = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop
        hinted   = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoLongPoll -ErrorAction Stop
        plain    = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoLongPoll -NoHints -ErrorAction Stop
    }

    # Timer slack: Task.Delay works in whole milliseconds, so a sum of delays may come out a hair short.
    $tolerance = [timespan]::FromMilliseconds(20)

    # The exponential backoff every strategy but Fixed falls back to, made a fixed 0.2 s so it is easy to recognise.
    $fallback = @{ Interval = 0.2; BackoffFactor = 1; MaxInterval = 0.2; Jitter = 0 }

    function Get-Lateness ([string] $Server, [string] $Id) {
        # How long after the job finished the server first served its final result: the client's lateness.
        $job = Get-ServerJob $simulators[$Server].Uri $Id
        ([DateTimeOffset] $job.resultFirstServedAt - [DateTimeOffset] $job.completedAt).TotalSeconds
    }

    function New-HistoryFile ([string] $Path, [string] $Server, [double[]] $Durations, [double] $Uncertainty = 0.01) {
        # The core's file format: {"version": 1, "servers": {"<base uri>": [[seconds, uncertainty], ...]}}.
        $entries = @(foreach ($duration in $Durations) { , @($duration, $Uncertainty) })
        $servers = @{ "$($simulators[$Server].Uri)" = $entries }
        @{ version = 1; servers = $servers } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $Path -Encoding utf8
    }

    function Read-HistoryFile ([string] $Path) {
        Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json -AsHashtable
    }
}

AfterAll {
    if ($simulators) { $simulators.Values | Where-Object { $_ } | Stop-TranslationSimulator }
}

Describe 'Wait-TranslationJob -Strategy' {
    Context 'long-poll, on a server that offers it' {
        It 'learns of completion from one held check with -Strategy <Strategy>' -ForEach @(
            @{ Strategy = 'LongPoll' }
            @{ Strategy = 'Auto' }
        ) {
            $job = New-TranslationJob -Uri $simulators.longPoll.Uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $simulators.longPoll.Uri -JobId $job.Id -Strategy $Strategy

            $result.State | Should -Be 'Completed'
            $result.Attempts | Should -Be 1 -Because 'the server held the check until the job was done'
            # The default hold is 30 s; the cmdlet's batch sends it as a group request (POST /jobs/status), which asks
            # for what is left of it when it goes out, a few ms later.
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeGreaterThan 29 -Because 'the default hold is 30 s'
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeLessOrEqual 30 -Because 'the default hold is 30 s'
            (Get-ServerJob $simulators.longPoll.Uri $job.Id).statusRequests | Should -Be 1
            # A held check is answered within milliseconds of the end (a sanity bound here, loose for a loaded
            # machine; the single check is the proof).
            Get-Lateness longPoll $job.Id | Should -BeLessThan 1
        }

        It 'asks for holds of at most -MaxHoldSec' {
            $job = New-TranslationJob -Uri $simulators.longPoll.Uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $simulators.longPoll.Uri -JobId $job.Id -Strategy LongPoll -MaxHoldSec 0.5

            $result.State | Should -Be 'Completed'
            # The server echoes the hold it honoured: a group request asks for what is left of the 0.5 s.
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeGreaterThan 0.4 -Because 'the server echoes the hold it honoured'
            $result.FinalStatus.LongPollHeld.TotalSeconds | Should -BeLessOrEqual 0.5 -Because 'holds are at most -MaxHoldSec'
            # Holds of 0.5 s on a 2 s job: about 4 checks (fewer if the wait started late), never 1 as with the 30 s
            # default.
            $result.Attempts | Should -BeGreaterOrEqual 2
            $result.Attempts | Should -BeLessOrEqual 6
            # Every check but the last was held its full 0.5 s.
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(0.5 * ($result.Attempts - 1)) - $tolerance)
            # One request per check, except that a hold the server's timer ends early (by more than the client's 1 ms
            # slack, as on a loaded machine) goes out again for the rest of it: one more request, not one more check
            # (GroupHolds). It failed once as "Expected 4, but got 5".
            $requests = (Get-ServerJob $simulators.longPoll.Uri $job.Id).statusRequests
            $requests | Should -BeGreaterOrEqual $result.Attempts
            $requests | Should -BeLessOrEqual (2 * $result.Attempts)
        }
    }

    Context 'the server''s hints, on a server without long-poll' {
        It 'sleeps until the server''s ETA with -Strategy <Strategy>: a few checks, seen done soon after the end' -ForEach @(
            @{ Strategy = 'Adaptive' }
            @{ Strategy = 'Auto' }
        ) {
            $job = New-TranslationJob -Uri $simulators.hinted.Uri -DelaySec 3

            $result = Wait-TranslationJob -Uri $simulators.hinted.Uri -JobId $job.Id -Strategy $Strategy @fallback

            $result.State | Should -Be 'Completed'
            $result.FinalStatus.LongPollLimit | Should -BeNullOrEmpty -Because 'this server offers no long-poll'
            # Exact ETAs: a check at 0 (ETA 3 s, not yet trusted: no longer than the 0.2 s fallback), one at 0.2 s (ETA
            # 2.8 s, agrees: trusted, but slept at most 4x the 0.2 s that confirmed it), one at 1.0 s (ETA 2 s, agrees:
            # slept in full), one just after the end: 4 checks, 5 if a pair of ETAs fails to agree on a loaded
            # machine. Without the hints, the 0.2 s fallback would take about 15 checks.
            $result.Attempts | Should -BeLessOrEqual 5
            # Typically 10-30 ms; the bound is loose for a loaded machine.
            Get-Lateness hinted $job.Id | Should -BeLessThan 1
            (Get-ServerJob $simulators.hinted.Uri $job.Id).statusRequests | Should -Be $result.Attempts
        }
    }

    Context 'learned durations, on a server with neither long-poll nor hints' {
        It 'plans its checks from the durations in the -HistoryPath file with -Strategy <Strategy>' -ForEach @(
            @{ Strategy = 'Learned' }
            @{ Strategy = 'Auto' }
        ) {
            $history = Join-Path $TestDrive "learned-$Strategy.json"
            New-HistoryFile $history plain @(2.0, 2.01, 2.02, 2.03, 2.04, 2.05, 2.06, 2.07)
            $job = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 2

            $result = Wait-TranslationJob -Uri $simulators.plain.Uri -JobId $job.Id -Strategy $Strategy -HistoryPath $history @fallback

            $result.State | Should -Be 'Completed'
            # Jobs of this server took 2.0-2.07 s, so the checks go at 0 and around 2 s. Without the history it would
            # fall back to a check every 0.2 s: about 11 checks.
            $result.Attempts | Should -BeLessOrEqual 4
            (Get-ServerJob $simulators.plain.Uri $job.Id).statusRequests | Should -Be $result.Attempts
            @((Read-HistoryFile $history).servers["$($simulators.plain.Uri)"]) | Should -HaveCount 9 -Because 'the wait added its own duration'
        }
    }

    Context 'the exponential fallback, on a server with neither long-poll nor hints' {
        It 'checks at the pace of -Interval, -BackoffFactor, -MaxInterval and -Jitter with -Strategy <Strategy>, and never holds' -ForEach @(
            @{ Strategy = 'Auto' }
            @{ Strategy = 'LongPoll' }
            @{ Strategy = 'Adaptive' }
            @{ Strategy = 'Learned' }
        ) {
            # Learned and Auto get an empty history of their own: this server's durations in the process-wide history
            # would otherwise depend on the tests before.
            $historyParameter = if ($Strategy -in 'Auto', 'Learned') { @{ HistoryPath = Join-Path $TestDrive "empty-$Strategy.json" } } else { @{} }
            $job = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 2.5

            $result = Wait-TranslationJob -Uri $simulators.plain.Uri -JobId $job.Id -Strategy $Strategy @fallback @historyParameter

            $result.State | Should -Be 'Completed'
            $result.FinalStatus.LongPollHeld | Should -BeNullOrEmpty
            # A check every 0.2 s over 2.5 s: about 13 checks, at most 14 (checks never come early). The default
            # fallback (1 s x1.5) would take 3 or 4; long-poll checks that the server does not hold, sent back to back,
            # would take about 25 (one per 0.1 s floor): "detect it, don't loop".
            $result.Attempts | Should -BeGreaterOrEqual 5
            $result.Attempts | Should -BeLessOrEqual 14
            $result.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(0.2 * ($result.Attempts - 1)) - $tolerance)
            (Get-ServerJob $simulators.plain.Uri $job.Id).statusRequests | Should -Be $result.Attempts
        }
    }
}

Describe 'Wait-TranslationJob -HistoryPath' {
    Context 'a history that is written and read again' {
        It 'creates the file at the end, relative to the current location, and reads and extends it on the next run' {
            Push-Location -LiteralPath $TestDrive
            try {
                $first = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 1 -Count 5
                $firstResults = $first | Wait-TranslationJob -Strategy Learned -HistoryPath 'round-trip.json' @fallback
                $written = Read-HistoryFile (Join-Path $TestDrive 'round-trip.json')

                $second = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 1
                $secondResult = Wait-TranslationJob -Uri $simulators.plain.Uri -JobId $second.Id -Strategy Learned -HistoryPath 'round-trip.json' @fallback
                $rewritten = Read-HistoryFile (Join-Path $TestDrive 'round-trip.json')
            }
            finally {
                Pop-Location
            }

            @($firstResults.State | Select-Object -Unique) | Should -Be @('Completed')
            $written.version | Should -Be 1
            $entries = @($written.servers["$($simulators.plain.Uri)"])
            $entries | Should -HaveCount 5 -Because 'each of the five waits learned its job''s duration'
            foreach ($entry in $entries) {
                $entry[0] | Should -BeGreaterThan 0.5 -Because 'the jobs took 1 s from their creation'
                $entry[0] | Should -BeLessThan 1.5
                $entry[1] | Should -BeLessThan 0.5 -Because 'the job was seen to end between two checks 0.2 s apart'
            }
            # Read, not started afresh: the second run wrote the five durations back with its own. (That a read history
            # plans the checks is the Learned test above.)
            $secondResult.State | Should -Be 'Completed'
            @($rewritten.servers["$($simulators.plain.Uri)"]) | Should -HaveCount 6
        }

        It 'learns into the process-wide DurationHistory.Shared without -HistoryPath, and leaves it alone with one' {
            # A duration is learned from a wait that saw its job pending (here the fallback polls every 0.2 s; a wait
            # whose only check is a held long-poll check learns nothing: it cannot tell when the job started).
            $server = [uri] $simulators.plain.Uri
            $before = [VideoTranslation.DurationHistory]::Shared.Count($server)

            $null = New-TranslationJob -Uri $server -DelaySec 1 -Count 3 | Wait-TranslationJob @fallback
            $afterShared = [VideoTranslation.DurationHistory]::Shared.Count($server)
            $null = New-TranslationJob -Uri $server -DelaySec 1 -Count 2 | Wait-TranslationJob -HistoryPath (Join-Path $TestDrive 'own.json') @fallback

            $afterShared | Should -Be ($before + 3)
            [VideoTranslation.DurationHistory]::Shared.Count($server) | Should -Be $afterShared
            @((Read-HistoryFile (Join-Path $TestDrive 'own.json')).servers["$server"]) | Should -HaveCount 2
        }

        It 'saves what was learned when -ErrorAction Stop ends the command' {
            $history = Join-Path $TestDrive 'stopped-by-error.json'
            $quick = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 0.6
            $failing = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 1.2 -Outcome Error

            { $quick, $failing | Wait-TranslationJob -HistoryPath $history -ErrorAction Stop @fallback } | Should -Throw -ErrorId 'TranslationJobFailed,*'

            Test-Path -LiteralPath $history | Should -BeTrue
            @((Read-HistoryFile $history).servers["$($simulators.plain.Uri)"]) | Should -HaveCount 2 -Because 'both waits saw their job finish before the failure stopped the command'
        }

        It 'saves what was learned when the command is stopped (Ctrl+C)' {
            $history = Join-Path $TestDrive 'stopped-by-ctrl-c.json'
            # The jobs are made after the runspace's Import-Module, so the quick one is seen pending.
            $script = 'param($Uri, $History) $ids = (New-TranslationJob -Uri $Uri -DelaySec 0.6).Id, (New-TranslationJob -Uri $Uri -DelaySec 30).Id; Wait-TranslationJob -Uri $Uri -JobId $ids -HistoryPath $History -Interval 0.2 -BackoffFactor 1 -MaxInterval 0.2 -Jitter 0'
            $run = Start-InNewRunspace $script @{ Uri = $simulators.plain.Uri; History = $history }
            try {
                # The quick job's result is written after its duration was learned.
                $null = Wait-Until { $run.Output.Count -ge 1 } 20
                $run.Output.Count | Should -Be 1 -Because 'the quick job finished while the slow one still ran'
                Test-Path -LiteralPath $history | Should -BeFalse -Because 'the history is written when the command ends'

                $run.PowerShell.Stop()

                $run.PowerShell.InvocationStateInfo.State | Should -Be ([System.Management.Automation.PSInvocationState]::Stopped)
            }
            finally {
                $run.PowerShell.Dispose()
            }
            Test-Path -LiteralPath $history | Should -BeTrue
            @((Read-HistoryFile $history).servers["$($simulators.plain.Uri)"]) | Should -HaveCount 1
        }
    }

    Context 'a file that cannot be used' {
        It 'throws InvalidDurationHistory (InvalidData) naming the file, checks nothing and leaves the file alone when it <Case>' -ForEach @(
            @{ Case = 'is not JSON'; Content = 'durations: 2, 3, 4' }
            @{ Case = 'has another version'; Content = '{"version": 2, "servers": {}}' }
            @{ Case = 'has a negative duration'; Content = '{"version": 1, "servers": {"http://127.0.0.1:1/": [[1.5, 0.1], [-2, 0.1]]}}' }
            @{ Case = 'has a server that is not an address'; Content = '{"version": 1, "servers": {"jobs": [[1.5, 0.1]]}}' }
            @{ Case = 'is a JSON array'; Content = '[1, 2, 3]' }
        ) {
            $history = Join-Path $TestDrive 'invalid.json'
            Set-Content -LiteralPath $history -Value $Content -NoNewline
            $job = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 0

            $thrown = { Wait-TranslationJob -Uri $simulators.plain.Uri -JobId $job.Id -HistoryPath $history } |
                Should -Throw -ErrorId 'InvalidDurationHistory,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $thrown.TargetObject | Should -Be $history
            $thrown.Exception.Message | Should -BeLike "*$history*"
            (Get-ServerJob $simulators.plain.Uri $job.Id).statusRequests | Should -Be 0 -Because 'the file is read before any request'
            Get-Content -Raw -LiteralPath $history | Should -BeExactly $Content
        }

        It 'throws DurationHistoryInaccessible (<Category>) and checks nothing when -HistoryPath <Case>' -ForEach @(
            @{ Case = 'is in a folder that does not exist'; Relative = 'no-such-folder/durations.json'; Category = 'ObjectNotFound' }
            @{ Case = 'is a folder'; Relative = '.'; Category = 'InvalidArgument' }
        ) {
            $path = Join-Path $TestDrive $Relative
            $job = New-TranslationJob -Uri $simulators.plain.Uri -DelaySec 0

            $thrown = { Wait-TranslationJob -Uri $simulators.plain.Uri -JobId $job.Id -HistoryPath $path } |
                Should -Throw -ErrorId 'DurationHistoryInaccessible,*' -PassThru

            [string] $thrown.CategoryInfo.Category | Should -Be $Category
            (Get-ServerJob $simulators.plain.Uri $job.Id).statusRequests | Should -Be 0
        }

        It 'throws DurationHistoryInaccessible (InvalidArgument) at once, naming it, when -HistoryPath is a FIFO or a device' {
            # Before issue 14 a FIFO with no writer blocked the command in open() for good, and /dev/zero read until out of memory.
            $fifo = Join-Path $TestDrive 'durations.fifo'
            & mkfifo $fifo
            $LASTEXITCODE | Should -Be 0
            $script = 'param($Uri, $Paths) foreach ($p in $Paths) { try { Wait-TranslationJob -Uri $Uri -JobId x -HistoryPath $p -ErrorAction Stop } catch { $_ } }'
            $run = Start-InNewRunspace $script @{ Uri = $simulators.plain.Uri; Paths = @($fifo, '/dev/zero') }
            try {
                $run.Handle.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue -Because 'the path is checked before it is opened'
                $records = @($run.Output)
            }
            finally {
                if ($run.Handle.IsCompleted) { $run.PowerShell.Dispose() } else { $null = $run.PowerShell.BeginStop($null, $null) }
            }

            $records | Should -HaveCount 2
            foreach ($case in @{ Record = $records[0]; Path = $fifo; Kind = 'a named pipe (FIFO)' }, @{ Record = $records[1]; Path = '/dev/zero'; Kind = 'a character device' }) {
                $case.Record.FullyQualifiedErrorId | Should -BeLike 'DurationHistoryInaccessible,*'
                [string] $case.Record.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $case.Record.Exception.Message | Should -BeLike "*'$($case.Path)' is $($case.Kind), not a regular file*"
            }
        }

        It 'throws DurationHistoryInaccessible (InvalidArgument) for a path on a drive that is not a file system' {
            { Wait-TranslationJob -Uri $simulators.plain.Uri -JobId 'x' -HistoryPath 'Env:/durations' } |
                Should -Throw -ErrorId 'DurationHistoryInaccessible,*'
        }
    }
}
