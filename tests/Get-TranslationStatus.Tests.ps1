# Pester 5 tests of Get-TranslationStatus on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1)
# against ONE real simulator. The simulator sends its hints here (progress, etaSeconds, Retry-After): one check never
# waits, so they cost nothing, and the status object must carry them. Faults are switched on per test through
# PUT /admin/faults and off again after each.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -ErrorAction Stop
    $uri = $sim.Uri

    function Get-InjectedFaultCount {
        $injected = Get-InjectedFault $uri
        ($injected.PSObject.Properties.Value | Measure-Object -Sum).Sum
    }
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Get-TranslationStatus' {
    Context 'the original single-job endpoint' {
        It 'checks the simulator''s /status job once when -JobId is omitted' {
            $before = (Get-ServerJob $uri 'default').statusRequests

            $status = Get-TranslationStatus -Uri $uri

            $status | Should -HaveCount 1
            $status | Should -BeOfType ([VideoTranslation.TranslationStatus])
            $status.JobId | Should -BeNullOrEmpty
            $status.RequestUri | Should -Be "$($uri)status"
            $status.RawResult | Should -BeIn 'pending', 'completed'
            [string] $status.State | Should -Be $status.RawResult
            (Get-ServerJob $uri 'default').statusRequests | Should -Be ($before + 1) -Because 'exactly one GET /status was made'
        }

        It 'takes -Uri from a simulator object on the pipeline' {
            $status = $sim | Get-TranslationStatus

            $status | Should -HaveCount 1
            $status.JobId | Should -BeNullOrEmpty
            $status.RequestUri | Should -Be "$($uri)status"
        }

        It 'takes -Uri by position' {
            $status = Get-TranslationStatus $uri

            $status.RequestUri | Should -Be "$($uri)status"
        }
    }

    Context 'jobs by id' {
        It 'returns Pending with the server''s hints for a running job' {
            $job = New-TranslationJob -Uri $uri -DelaySec 30

            $status = Get-TranslationStatus -Uri $uri -JobId $job.Id

            $status.JobId | Should -Be $job.Id
            $status.State | Should -Be ([VideoTranslation.TranslationState]::Pending)
            $status.RawResult | Should -Be 'pending'
            $status.IsTerminal | Should -BeFalse
            $status.RequestUri | Should -Be "$($uri)jobs/$($job.Id)/status"
            $status.Progress | Should -BeGreaterOrEqual 0
            $status.Progress | Should -BeLessThan 1
            $status.EstimatedTimeRemaining | Should -BeGreaterThan ([timespan]::Zero)
            $status.EstimatedTimeRemaining | Should -BeLessOrEqual ([timespan]::FromSeconds(30))
            $status.RetryAfter | Should -BeGreaterOrEqual ([timespan]::FromSeconds(1))
            ([datetimeoffset]::UtcNow - $status.ObservedAt).TotalSeconds | Should -BeLessThan 60
        }

        It 'returns Completed without hints for a finished job' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $status = Get-TranslationStatus -Uri $uri -JobId $job.Id

            $status.State | Should -Be 'Completed'
            $status.RawResult | Should -Be 'completed'
            $status.IsTerminal | Should -BeTrue
            $status.Progress | Should -BeNullOrEmpty
            $status.EstimatedTimeRemaining | Should -BeNullOrEmpty
            $status.RetryAfter | Should -BeNullOrEmpty
        }

        It 'returns a job that ended in error as a status and writes no error' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Error

            $status = Get-TranslationStatus -Uri $uri -JobId $job.Id -ErrorVariable failures

            $failures | Should -BeNullOrEmpty
            $status.State | Should -Be ([VideoTranslation.TranslationState]::Error)
            $status.RawResult | Should -Be 'error'
        }

        It 'checks once and does not wait for a running job' {
            $job = New-TranslationJob -Uri $uri -DelaySec 30
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $null = Get-TranslationStatus -Uri $uri -JobId $job.Id

            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            (Get-ServerJob $uri $job.Id).statusRequests | Should -Be 1
        }

        It 'takes the job id by position and by the -Id alias' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            (Get-TranslationStatus $uri $job.Id).JobId | Should -Be $job.Id
            (Get-TranslationStatus -Uri $uri -Id $job.Id).JobId | Should -Be $job.Id
        }

        It 'returns one status per id, in the order given, for a -JobId array' {
            $running = New-TranslationJob -Uri $uri -DelaySec 30
            $done = New-TranslationJob -Uri $uri -DelaySec 0
            $failed = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Error

            $statuses = Get-TranslationStatus -Uri $uri -JobId $running.Id, $done.Id, $failed.Id

            @($statuses.JobId) | Should -Be @($running.Id, $done.Id, $failed.Id)
            @($statuses.State) | Should -Be @('Pending', 'Completed', 'Error')
        }

        It 'takes the job objects New-TranslationJob pipes in (Uri and Id by property name)' {
            $jobs = New-TranslationJob -Uri $uri -DelaySec 0 -Count 3

            $statuses = $jobs | Get-TranslationStatus

            @($statuses.JobId) | Should -Be @($jobs.Id)
            @($statuses.State | Select-Object -Unique) | Should -Be @('Completed')
        }

        It 'takes Uri and JobId from any object that has them' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $status = [pscustomobject]@{ Uri = $uri; JobId = $job.Id } | Get-TranslationStatus

            $status.JobId | Should -Be $job.Id
        }
    }

    Context 'failures' {
        AfterEach {
            Set-Fault $uri @{}
        }

        It 'writes TranslationJobNotFound (ObjectNotFound) for an unknown id and goes on with the next id' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $statuses = Get-TranslationStatus -Uri $uri -JobId 'no-such-job', $job.Id -ErrorVariable failures -ErrorAction SilentlyContinue

            $statuses | Should -HaveCount 1
            $statuses.JobId | Should -Be $job.Id
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationJobNotFound,VideoTranslation.PowerShell.GetTranslationStatusCommand'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $failures[0].TargetObject | Should -Be 'no-such-job'
            $failures[0].Exception | Should -BeOfType ([VideoTranslation.TranslationHttpException])
            $failures[0].Exception.StatusCode | Should -Be 404
        }

        It 'writes TranslationRouteNotFound (ObjectNotFound), naming the URL and the base path, when -Uri has a path the server lacks' {
            $status = Get-TranslationStatus -Uri "$($uri)api/" -JobId 'no-such-job' -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationRouteNotFound,VideoTranslation.PowerShell.GetTranslationStatusCommand'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $failures[0].Exception.IsRouteNotFound | Should -BeTrue
            $failures[0].ToString() | Should -BeLike "GET $($uri)api/jobs/no-such-job/status answered HTTP 404 Not Found, not the Simulator service's answer for an unknown job: the server has no such route, so the base address $($uri)api/ is probably wrong*"
        }

        It 'writes InvalidTranslationRequest (InvalidArgument) for a -JobId of <Id> and goes on with the next id' -ForEach @(
            @{ Id = '..' }
            @{ Id = '.' }
        ) {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $statuses = Get-TranslationStatus -Uri $uri -JobId $Id, $job.Id -ErrorVariable failures -ErrorAction SilentlyContinue

            $statuses | Should -HaveCount 1 -Because 'the dot-segment id must not read GET /status (or /jobs/status) as if it were its job'
            $statuses.JobId | Should -Be $job.Id
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidTranslationRequest,VideoTranslation.PowerShell.GetTranslationStatusCommand'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $failures[0].TargetObject | Should -Be $Id
            $failures[0].ToString() | Should -BeLike "The job id '$Id' cannot be sent: '.' and '..' are URL dot-segments*Check -JobId."
        }

        It 'throws TranslationJobNotFound with -ErrorAction Stop' {
            { Get-TranslationStatus -Uri $uri -JobId 'no-such-job' -ErrorAction Stop } | Should -Throw -ErrorId 'TranslationJobNotFound,*'
        }

        It 'writes TranslationServerUnreachable (ConnectionError) when nothing listens at -Uri' {
            $port = Get-FreePort

            $status = Get-TranslationStatus -Uri "http://127.0.0.1:$port/" -JobId 'x' -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationServerUnreachable,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ConnectionError)
        }

        It 'writes TranslationRequestTimedOut (OperationTimeout) when no answer comes within -RequestTimeoutSec' {
            # A listener that accepts connections (the kernel does) but never answers.
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            try {
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $status = Get-TranslationStatus -Uri "http://127.0.0.1:$($listener.LocalEndpoint.Port)/" -RequestTimeoutSec 0.3 -ErrorVariable failures -ErrorAction SilentlyContinue
                $clock.Stop()
            }
            finally {
                $listener.Stop()
            }

            $status | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationRequestTimedOut,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.28
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because 'the default request timeout is 5 s'
        }

        It 'keeps the password in -Uri out of its error records' {
            $port = Get-FreePort

            $null = Get-TranslationStatus -Uri "http://user:hunter2@127.0.0.1:$port/" -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].Exception.Message | Should -Not -BeLike '*hunter2*'
            $failures[0].CategoryInfo.ToString() | Should -Not -BeLike '*hunter2*'
            [string] $failures[0].TargetObject | Should -Not -BeLike '*hunter2*'
        }

        It 'writes <ErrorId> (<Category>) for <Fault>, after one request and no retry' -ForEach @(
            @{ Fault = 'an HTTP 500'; Faults = @{ internalErrorProbability = 1 }; ErrorId = 'TranslationServerBusy'; Category = 'ResourceUnavailable' }
            @{ Fault = 'an HTTP 503'; Faults = @{ serviceUnavailableProbability = 1 }; ErrorId = 'TranslationServerBusy'; Category = 'ResourceUnavailable' }
            @{ Fault = 'an HTTP 429'; Faults = @{ tooManyRequestsProbability = 1 }; ErrorId = 'TranslationServerBusy'; Category = 'ResourceUnavailable' }
            @{ Fault = 'a cut-off JSON body'; Faults = @{ malformedBodyProbability = 1 }; ErrorId = 'TranslationProtocolViolation'; Category = 'InvalidResult' }
            @{ Fault = 'an unknown result value'; Faults = @{ unknownResultProbability = 1 }; ErrorId = 'TranslationProtocolViolation'; Category = 'InvalidResult' }
            @{ Fault = 'a dropped connection'; Faults = @{ dropConnectionProbability = 1 }; ErrorId = 'TranslationServerUnreachable'; Category = 'ConnectionError' }
            @{ Fault = 'an answer slower than -RequestTimeoutSec'; Faults = @{ slowProbability = 1; slowSeconds = 2 }; ErrorId = 'TranslationRequestTimedOut'; Category = 'OperationTimeout' }
        ) {
            $job = New-TranslationJob -Uri $uri -DelaySec 30
            $injectedBefore = Get-InjectedFaultCount
            Set-Fault $uri $Faults

            $status = Get-TranslationStatus -Uri $uri -JobId $job.Id -RequestTimeoutSec 0.5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be "$ErrorId,VideoTranslation.PowerShell.GetTranslationStatusCommand"
            [string] $failures[0].CategoryInfo.Category | Should -Be $Category
            $failures[0].TargetObject | Should -Be $job.Id
            (Get-InjectedFaultCount) - $injectedBefore | Should -Be 1 -Because 'a single check is not retried by default'
        }

        It 'retries a transient failure -MaximumRetryCount times, each retry a warning, then writes its error' {
            $job = New-TranslationJob -Uri $uri -DelaySec 30
            $injectedBefore = Get-InjectedFaultCount
            Set-Fault $uri @{ serviceUnavailableProbability = 1 }

            $status = Get-TranslationStatus -Uri $uri -JobId $job.Id -MaximumRetryCount 1 -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable retries -WarningAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationServerBusy,VideoTranslation.PowerShell.GetTranslationStatusCommand'
            (Get-InjectedFaultCount) - $injectedBefore | Should -Be 2 -Because '-MaximumRetryCount 1: the check and one retry'
            $retries | Should -HaveCount 1
            [string] $retries[0] | Should -BeLike "Check 1 of job $($job.Id) failed: *. Retry 1 of 1 in *."
        }

        It 'refuses a -MaximumRetryCount of -1: there is no -TimeoutSec to retry until' {
            { Get-TranslationStatus -Uri $uri -JobId x -MaximumRetryCount -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }
}
