# Pester 5 tests of Start-TranslationSimulator -Service / -ConcurrencyLimit on the BUILT module
# ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1): a simulator in a HeyGen mode answers HeyGen's API, here
# driven with plain Invoke-RestMethod as a user's own automation would. Every simulator is stopped by its file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -Service HeyGen -DelayModel Fixed -DelaySec 1 -ConcurrencyLimit 2 -ErrorAction Stop

    function New-V3Body ([string[]] $Language) {
        @{ video = @{ type = 'url'; url = 'https://example.com/talk.mp4' }; output_languages = $Language; title = 'Talk' } | ConvertTo-Json -Depth 4
    }
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Start-TranslationSimulator -Service' {
    Context 'HeyGen' {
        It 'shows its service on the simulator object and passes it and the limit to the simulator' {
            $sim.Service | Should -Be 'HeyGen'
            $sim.Settings['service'] | Should -Be 'HeyGen'
            $capabilities = Invoke-RestMethod "$($sim.Uri)capabilities"
            $capabilities.service | Should -Be 'HeyGen'
            $capabilities.concurrencyLimit | Should -Be 2
        }

        It 'serves v3: a create answers one id per language and the status goes to completed with a video_url' {
            $created = Invoke-RestMethod -Method Post -Uri "$($sim.Uri)v3/video-translations" -ContentType 'application/json' `
                -Body (New-V3Body 'Spanish (Spain)', 'German (Germany)') -Headers @{ 'Idempotency-Key' = [guid]::NewGuid().ToString() }
            $ids = @($created.data.video_translation_ids)
            $ids.Count | Should -Be 2

            $first = (Invoke-RestMethod "$($sim.Uri)v3/video-translations/$($ids[0])").data
            $first.id | Should -Be $ids[0]
            $first.status | Should -BeIn 'pending', 'running'
            $first.output_language | Should -Be 'Spanish (Spain)'

            Wait-Until { (Invoke-RestMethod "$($sim.Uri)v3/video-translations/$($ids[1])").data.status -eq 'completed' } 20 | Should -BeTrue
            $done = (Invoke-RestMethod "$($sim.Uri)v3/video-translations/$($ids[1])").data
            $done.video_url | Should -Match '^http://127\.0\.0\.1:\d+/simulated-results/.+Signature='
            (Get-ServerJob -Uri $sim.Uri -Id $ids[1]).statusRequests | Should -BeGreaterOrEqual 2
        }

        It 'answers 404 not_found in the v3 envelope for an unknown id' {
            $answer = Invoke-WebRequest "$($sim.Uri)v3/video-translations/no-such-job" -SkipHttpErrorCheck
            $answer.StatusCode | Should -Be 404
            ($answer.Content | ConvertFrom-Json).error.code | Should -Be 'not_found'
        }

        It 'answers 429 rate_limit_exceeded with Retry-After over -ConcurrencyLimit' {
            $null = Invoke-RestMethod -Method Post -Uri "$($sim.Uri)v3/video-translations" -ContentType 'application/json' `
                -Body (New-V3Body 'French', 'Dutch') -Headers @{ 'X-Simulator-Delay-Seconds' = '30' }
            $answer = Invoke-WebRequest -Method Post -Uri "$($sim.Uri)v3/video-translations" -ContentType 'application/json' `
                -Body (New-V3Body 'Italian') -SkipHttpErrorCheck
            $answer.StatusCode | Should -Be 429
            [int] $answer.Headers['Retry-After'][0] | Should -BeGreaterThan 0
            ($answer.Content | ConvertFrom-Json).error.code | Should -Be 'rate_limit_exceeded'
        }
    }

    Context 'parameters' {
        It 'offers the services on Tab' {
            Get-Completion 'Start-TranslationSimulator -Service HeyG' | Should -Be @('HeyGen', 'HeyGenV2', 'HeyGenVideo')
        }

        It 'refuses an unknown service and a limit below 1 at binding' {
            { Start-TranslationSimulator -Service HeyGenV4 -WhatIf } | Should -Throw -ErrorId 'ParameterArgumentValidationError,VideoTranslation.PowerShell.StartTranslationSimulatorCommand'
            { Start-TranslationSimulator -ConcurrencyLimit 0 -WhatIf } | Should -Throw -ErrorId 'ParameterArgumentValidationError,VideoTranslation.PowerShell.StartTranslationSimulatorCommand'
        }

        It 'starts Simulator mode when -Service is not given, as before' {
            $marker = Get-Random -Minimum 1000000 -Maximum ([int]::MaxValue)
            $plain = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0 -Seed $marker -ErrorAction Stop
            try {
                $plain.Service | Should -Be 'Simulator'
                $plain.Settings.ContainsKey('service') | Should -BeFalse
                (Invoke-RestMethod "$($plain.Uri)status").result | Should -Be 'completed'
            }
            finally {
                $plain | Stop-TranslationSimulator
            }
        }
    }
}
