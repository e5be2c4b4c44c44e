# Pester 5 tests of how the cmdlets chain on the pipeline (issue 11, items 4, 5 and 7, and output that reads well),
# on the BUILT module against ONE real simulator whose jobs finish at once (-DelaySec 0): plain ids pipe by value,
# the module's own objects carry -Uri, a CSV export imports back, a bad -Uri stops the command, -Verbose says what
# Get-TranslationStatus did.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0 -ErrorAction Stop
    $uri = $sim.Uri
    $jobs = New-TranslationJob -Uri $uri -DelaySec 0 -Count 2
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Plain ids on the pipeline' {
    It 'Wait-TranslationJob takes the lines of a file as job ids' {
        $file = Join-Path $TestDrive 'ids.txt'
        Set-Content -Path $file -Value $jobs.Id

        $results = Get-Content $file | Wait-TranslationJob -Uri $uri -TimeoutSec 10

        $results | Should -HaveCount 2
        $results.JobId | Should -Be $jobs.Id
        $results.State | ForEach-Object { $_ | Should -Be ([VideoTranslation.TranslationState]::Completed) }
    }

    It 'Get-TranslationStatus takes an array of ids' {
        $statuses = $jobs.Id | Get-TranslationStatus -Uri $uri

        $statuses.JobId | Should -Be $jobs.Id
    }

    It 'fails a blank line alone, with a message that says how to skip blank lines, and goes on with the others' {
        $file = Join-Path $TestDrive 'ids-with-blanks.txt'
        Set-Content -Path $file -Value $jobs[0].Id, '', $jobs[1].Id, ''

        $results = Get-Content $file | Wait-TranslationJob -Uri $uri -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue

        $results.JobId | Should -Be $jobs.Id
        $failures | Should -HaveCount 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $failures[0].Exception.Message | Should -BeLike '*Where-Object*'
    }

    It 'does not make an object without a job id into an id: a simulator object still asks the single-job /status' {
        $statuses = $sim, [pscustomobject]@{ Uri = $uri; Name = 'no id here' } | Get-TranslationStatus

        $statuses | Should -HaveCount 2
        $statuses.RequestUri | ForEach-Object { "$_" | Should -Be "$($uri)status" }
    }
}

Describe 'The module''s own objects carry -Uri' {
    It 'a status pipes to Wait-TranslationJob without -Uri' {
        $status = Get-TranslationStatus -Uri $uri -JobId $jobs[0].Id

        $result = $status | Wait-TranslationJob -TimeoutSec 10

        "$($status.Uri)" | Should -Be "$uri"
        $result.JobId | Should -Be $jobs[0].Id
    }

    It 'results pipe to Get-TranslationStatus without -Uri' {
        $results = $jobs | Wait-TranslationJob -TimeoutSec 10

        $statuses = $results | Get-TranslationStatus

        "$($results[0].Uri)" | Should -Be "$uri"
        $statuses.JobId | Should -Be $jobs.Id
    }

    It 'results exported with Export-Csv import back into Get-TranslationStatus, and History reads as states' {
        $file = Join-Path $TestDrive 'results.csv'
        $jobs | Wait-TranslationJob -TimeoutSec 10 | Export-Csv -Path $file

        $rows = Import-Csv $file
        $statuses = $rows | Get-TranslationStatus

        $statuses.JobId | Should -Be $jobs.Id
        $rows[0].History | Should -Be 'Completed'
        $rows[0].History | Should -Not -BeLike '*VideoTranslation*'
    }

    It 'carries the address without user info, so that no password ends up in an export' {
        $withUser = [uri] ("$uri" -replace '^http://', 'http://someone:hunter2@')

        $status = Get-TranslationStatus -Uri $withUser -JobId $jobs[0].Id

        "$($status.Uri)" | Should -Be "$uri"
        $status.Uri.UserInfo | Should -BeNullOrEmpty
        ($status | ConvertTo-Csv) -join "`n" | Should -Not -BeLike '*hunter2*'
    }

    It 'an explicit -Uri wins over the piped object''s' {
        $status = [pscustomobject]@{ Uri = 'http://127.0.0.1:1/'; JobId = $jobs[0].Id } | Get-TranslationStatus -Uri $uri

        $status.JobId | Should -Be $jobs[0].Id
    }
}

Describe 'A bad -Uri stops the command' {
    It '<Command> throws a terminating InvalidTranslationUri that try/catch catches, naming -Uri, for a <Case> -Uri' -ForEach @(
        @{ Command = 'Get-TranslationStatus'; Case = 'relative'; Value = 'jobs/42' }
        @{ Command = 'Get-TranslationStatus'; Case = 'ftp'; Value = 'ftp://127.0.0.1/' }
        @{ Command = 'Wait-TranslationJob'; Case = 'scheme-less host:port'; Value = 'localhost:5080' }
        @{ Command = 'Wait-TranslationJob'; Case = 'query'; Value = 'http://127.0.0.1:1/?key=1' }
        @{ Command = 'New-TranslationJob'; Case = 'fragment'; Value = 'http://127.0.0.1:1/#top' }
    ) {
        $ErrorActionPreference = 'Continue' # PowerShell's default: only a terminating error reaches the catch
        $caught = $null
        $after = $false
        try {
            & $Command -Uri $Value # no -ErrorAction Stop: the error itself must stop the command
            $after = $true
        }
        catch {
            $caught = $_
        }

        $after | Should -BeFalse -Because 'a terminating error skips the rest of the try block'
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidTranslationUri,*'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $caught.Exception.Message | Should -BeLike '-Uri *'
        "$caught" | Should -BeLike '-Uri *'
        "$caught $($caught.Exception.Message)" | Should -Not -BeLike '*baseUri*'
    }

    It 'stops at a bad -Uri of a piped object: the objects after it are not waited on' {
        $ErrorActionPreference = 'Continue'
        $caught = $null
        $results = @()
        try {
            [pscustomobject]@{ Uri = 'jobs/42'; JobId = $jobs[0].Id }, [pscustomobject]@{ Uri = $uri; JobId = $jobs[1].Id } |
                Wait-TranslationJob -TimeoutSec 5 | ForEach-Object { $results += $_ }
        }
        catch {
            $caught = $_
        }

        $caught.FullyQualifiedErrorId | Should -Be 'InvalidTranslationUri,VideoTranslation.PowerShell.WaitTranslationJobCommand'
        $results | Should -HaveCount 0
    }
}

Describe 'Output that reads well' {
    It 'a result says "1 check", not "1 checks"' {
        $result = Wait-TranslationJob -Uri $uri -JobId $jobs[0].Id -TimeoutSec 10

        "$result" | Should -Match '^Completed after 1 check in '
    }

    It 'ConvertTo-Json of a result has the duration as a number of seconds, and state names with -EnumsAsStrings' {
        $result = Wait-TranslationJob -Uri $uri -JobId $jobs[0].Id -TimeoutSec 10

        $json = $result | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue | ConvertFrom-Json
        $named = $result | ConvertTo-Json -Depth 1 -EnumsAsStrings -WarningAction SilentlyContinue | ConvertFrom-Json

        $json.ElapsedSeconds | Should -BeOfType ([double])
        $json.ElapsedSeconds | Should -Be $result.Elapsed.TotalSeconds
        "$($json.Uri)" | Should -Be "$uri"
        $named.State | Should -Be 'Completed'
    }

    It 'Get-TranslationStatus -Verbose says which URL it asked, the state it got and how long it took' {
        $out = Invoke-InNewRunspace 'param($Uri, $Id) Get-TranslationStatus -Uri $Uri -JobId $Id -Verbose 4>&1' @{ Uri = $uri; Id = $jobs[0].Id }

        $verbose = @($out.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $verbose | Should -HaveCount 1
        $verbose[0].Message | Should -Match "^GET $([regex]::Escape("$($uri)jobs/$($jobs[0].Id)/status")) answered Completed in [\d.]+ (ms|s)$"
    }
}
