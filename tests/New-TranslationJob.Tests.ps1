# Pester 5 tests of New-TranslationJob on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1)
# against ONE real simulator. The simulator's own models are Fixed 0.3 s and error probability 1, so a job the server
# draws is recognisable (0.3 s, ends in error) and every -DelaySec / -Outcome override shows in GET /jobs/{id}.
# No hints: a pending answer's Retry-After (at least 1 s) would slow down the one wait here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -ErrorModel Fixed -ErrorProbability 1 -NoHints -ErrorAction Stop
    $uri = $sim.Uri
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'New-TranslationJob' {
    Context 'one job' {
        It 'creates a pending job with the -DelaySec given and returns it' {
            $before = [datetimeoffset]::UtcNow.AddSeconds(-5)

            $job = New-TranslationJob -Uri $uri -DelaySec 30

            $job | Should -HaveCount 1
            $job | Should -BeOfType ([VideoTranslation.TranslationJob])
            $job.Id | Should -Not -BeNullOrEmpty
            $job.Uri | Should -Be $uri
            $job.StatusUri | Should -Be "$($uri)jobs/$($job.Id)/status"
            $job.State | Should -Be ([VideoTranslation.TranslationState]::Pending)
            $job.CreatedAt | Should -BeGreaterThan $before
            $server = Get-ServerJob $uri $job.Id
            $server.result | Should -Be 'pending'
            $server.delaySeconds | Should -Be 30
            $server.delayOverridden | Should -BeTrue
            $server.outcomeOverridden | Should -BeFalse
        }

        It 'lets the simulator''s models decide delay and outcome without -DelaySec and -Outcome' {
            $job = New-TranslationJob -Uri $uri

            $server = Get-ServerJob $uri $job.Id
            $server.delaySeconds | Should -Be 0.3
            $server.delayOverridden | Should -BeFalse
            $server.outcome | Should -Be 'error'
            $server.outcomeOverridden | Should -BeFalse
        }

        It 'creates a job that ends in error with -Outcome Error' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Error

            $job.State | Should -Be ([VideoTranslation.TranslationState]::Error)
            $server = Get-ServerJob $uri $job.Id
            $server.outcome | Should -Be 'error'
            $server.outcomeOverridden | Should -BeTrue
            (Get-TranslationStatus -Uri $uri -JobId $job.Id).State | Should -Be 'Error'
        }

        It 'creates a job that completes with -Outcome Completed, overriding the error model' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Completed

            $job.State | Should -Be ([VideoTranslation.TranslationState]::Completed)
            $server = Get-ServerJob $uri $job.Id
            $server.outcome | Should -Be 'completed'
            $server.outcomeOverridden | Should -BeTrue
        }

        It 'accepts -Outcome in any case' {
            $job = New-TranslationJob -Uri $uri -DelaySec 30 -Outcome completed

            (Get-ServerJob $uri $job.Id).outcome | Should -Be 'completed'
        }

        It 'creates a job that is finished at once with -DelaySec 0' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Outcome Completed

            $job.State | Should -Be 'Completed'
            (Get-ServerJob $uri $job.Id).delaySeconds | Should -Be 0
        }

        It 'gives the job a delay with a fraction of a second exactly' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0.25 -Outcome Completed

            (Get-ServerJob $uri $job.Id).delaySeconds | Should -Be 0.25
            $result = $job | Wait-TranslationJob -Strategy Fixed -Interval 0.1
            $result.State | Should -Be 'Completed'
            $result.Elapsed | Should -BeLessThan ([timespan]::FromSeconds(5))
        }
    }

    Context '-Count' {
        It 'creates -Count distinct jobs with the same settings' {
            $before = Get-ServerJobCount $uri

            $jobs = New-TranslationJob -Uri $uri -DelaySec 30 -Outcome Completed -Count 3

            $jobs | Should -HaveCount 3
            @($jobs.Id | Select-Object -Unique) | Should -HaveCount 3
            (Get-ServerJobCount $uri) - $before | Should -Be 3
            foreach ($job in $jobs) {
                $server = Get-ServerJob $uri $job.Id
                $server.delaySeconds | Should -Be 30
                $server.outcome | Should -Be 'completed'
            }
        }
    }

    Context 'pipeline input by property name' {
        It 'takes -Uri from a simulator object on the pipeline' {
            $job = $sim | New-TranslationJob -DelaySec 0

            $job.Uri | Should -Be $uri
            (Get-ServerJob $uri $job.Id).id | Should -Be $job.Id
        }

        It 'creates one job per object with a Uri property' {
            $before = Get-ServerJobCount $uri

            $jobs = [pscustomobject]@{ Uri = $uri }, [pscustomobject]@{ Uri = $uri } | New-TranslationJob -DelaySec 0

            $jobs | Should -HaveCount 2
            (Get-ServerJobCount $uri) - $before | Should -Be 2
        }
    }

    Context '-WhatIf' {
        It 'creates nothing with -WhatIf' {
            $before = Get-ServerJobCount $uri

            $jobs = New-TranslationJob -Uri $uri -DelaySec 0 -Count 2 -WhatIf

            $jobs | Should -BeNullOrEmpty
            Get-ServerJobCount $uri | Should -Be $before
        }

        It 'creates the job with -Confirm:$false' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0 -Confirm:$false

            $job | Should -HaveCount 1
        }
    }

    Context 'failures' {
        It 'writes TranslationServerUnreachable (ConnectionError) once and creates no more when nothing listens' {
            $port = Get-FreePort

            $jobs = New-TranslationJob -Uri "http://127.0.0.1:$port/" -Count 3 -MaximumRetryCount 0 -ErrorVariable failures -ErrorAction SilentlyContinue

            $jobs | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1 -Because '-Count stops at the first failure'
            $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationServerUnreachable,VideoTranslation.PowerShell.NewTranslationJobCommand'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ConnectionError)
        }

        It 'writes TranslationRequestTimedOut (OperationTimeout) when no answer comes within -RequestTimeoutSec' {
            # A listener that accepts connections (the kernel does) but never answers.
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            try {
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $jobs = New-TranslationJob -Uri "http://127.0.0.1:$($listener.LocalEndpoint.Port)/" -RequestTimeoutSec 0.3 -MaximumRetryCount 0 -ErrorVariable failures -ErrorAction SilentlyContinue
                $clock.Stop()
            }
            finally {
                $listener.Stop()
            }

            $jobs | Should -BeNullOrEmpty
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationRequestTimedOut,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.28
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because 'the request timeout is 0.3 s (the default is 5 s) and -MaximumRetryCount 0 retries nothing'
        }

        It 'throws with -ErrorAction Stop' {
            $port = Get-FreePort

            { New-TranslationJob -Uri "http://127.0.0.1:$port/" -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'TranslationServerUnreachable,*'
        }
    }

    Context 'job id completion' {
        It 'offers the ids of the jobs it created for -JobId of Wait-TranslationJob and Get-TranslationStatus' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            Get-Completion "Wait-TranslationJob -Uri $uri -JobId " | Should -Contain $job.Id
            Get-Completion "Get-TranslationStatus -Uri $uri -JobId " | Should -Contain $job.Id
        }

        It 'offers only the ids that start with the typed text, on the -Uri typed' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0
            $prefix = $job.Id.Substring(0, 8)

            $matching = Get-Completion "Wait-TranslationJob -Uri $uri -JobId $prefix"
            $otherServer = Get-Completion "Wait-TranslationJob -Uri http://127.0.0.1:1/ -JobId $prefix"

            $matching | Should -Contain $job.Id
            @($matching | Where-Object { -not $_.StartsWith($prefix) }) | Should -BeNullOrEmpty
            $otherServer | Should -Not -Contain $job.Id
        }
    }
}
