# Pester 5 tests: what the cmdlets do when the server does not answer, when TLS fails, and what they send to real servers
# (-SkipCertificateCheck, -Headers, -Token, -UserAgent), on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH).
# A refused connection is a free loopback port; the TLS server and the request recorder are tests/CannedHttpServer.psm1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CannedHttpServer.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop

    $savedEnvironmentKey = $env:VIDEOTRANSLATION_API_KEY
    $env:VIDEOTRANSLATION_API_KEY = $null
    $tls = Start-CannedHttpServer -Tls
    $plain = Start-CannedHttpServer
    $token = ConvertTo-SecureString -String 'token-Zq9-secret' -AsPlainText -Force
}

AfterAll {
    $env:VIDEOTRANSLATION_API_KEY = $savedEnvironmentKey
    Stop-CannedHttpServer $tls
    Stop-CannedHttpServer $plain
}

Describe 'Wait-TranslationJob against a server that does not answer' {
    It 'ends with TranslationServerUnreachable (ConnectionError) after -MaximumRetryCount retries, each one a warning that says what failed and when the next try is' {
        $port = Get-FreePort
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $results = Wait-TranslationJob -Uri "http://127.0.0.1:$port/" -JobId x -MaximumRetryCount 2 -Strategy Fixed -Interval 0.1 -TimeoutSec 60 `
            -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue
        $clock.Stop()

        $results | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationServerUnreachable,VideoTranslation.PowerShell.WaitTranslationJobCommand'
        $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ConnectionError)
        $failures[0].Exception.Message | Should -BeLike "*3 checks in a row got no answer over *(2 retries*The last: connection refused (127.0.0.1:$port)."
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-MaximumRetryCount*'
        $warnings | Should -HaveCount 2
        $warnings[0].Message | Should -BeLike "Check 1 of job x failed: connection refused (127.0.0.1:$port). Retry 1 of 2 in *ms."
        $warnings[1].Message | Should -BeLike "Check 2 of job x failed: connection refused (127.0.0.1:$port). Retry 2 of 2 in *."
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'the retry backoff is 0.5 s then 1 s; -TimeoutSec is 60'
    }

    It 'fails at the first refused connection with -MaximumRetryCount 0, as Invoke-RestMethod does' {
        $port = Get-FreePort
        $null = Wait-TranslationJob -Uri "http://127.0.0.1:$port/" -JobId x -MaximumRetryCount 0 -TimeoutSec 60 `
            -WarningVariable warnings -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationServerUnreachable,*'
        $warnings | Should -BeNullOrEmpty
    }

    It 'says in its progress what the retried check failed on' {
        # Two retries or more (a 2 s deadline): a job's own progress shows once the input has ended, which the first failure may beat.
        $port = Get-FreePort
        $run = Invoke-InNewRunspace -Script "Wait-TranslationJob -Uri 'http://127.0.0.1:$port/' -JobId x -TimeoutSec 2 -Strategy Fixed -Interval 0.1 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue"

        $retrying = @($run.Progress | Where-Object StatusDescription -like '*retrying*')
        $retrying | Should -Not -BeNullOrEmpty
        $retrying[0].StatusDescription | Should -BeLike "*last check failed: connection refused (127.0.0.1:$port); retrying*"
    }
}

Describe 'TLS' {
    It 'fails at once, without retrying, with the reason when the certificate is self-signed' {
        $before = $tls.Connections.Count
        $null = Wait-TranslationJob -Uri $tls.Uri -JobId j -TimeoutSec 5 -Strategy Fixed -Interval 0.1 `
            -WarningVariable warnings -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationSecureConnectionFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
        $failures[0].Exception.Message | Should -BeLike "*the TLS connection to 127.0.0.1:$($tls.Uri.Port) could not be established: the server's certificate was rejected*UntrustedRoot*"
        $failures[0].Exception.Message | Should -Not -BeLike '*see inner exception*'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-SkipCertificateCheck*'
        $warnings | Should -BeNullOrEmpty
        Wait-Until { $tls.Connections.Count -gt $before } 5 | Should -BeTrue
        $tls.Connections.Count - $before | Should -Be 1 -Because 'one handshake, no retry'
    }

    It 'gets the answer with -SkipCertificateCheck, and the next command without it checks the certificate again' {
        $status = Get-TranslationStatus -Uri $tls.Uri -JobId j -SkipCertificateCheck
        $status.State | Should -Be 'Completed'
        { Get-TranslationStatus -Uri $tls.Uri -JobId j -ErrorAction Stop } | Should -Throw -ErrorId 'TranslationSecureConnectionFailed,*'
    }
}

Describe 'What the cmdlets send: -Headers, -Token, -UserAgent' {
    It 'sends -Headers, -Token as a Bearer token and -UserAgent, and never shows the values in verbose, debug or error output' {
        $before = $tls.Connections.Count
        $output = Wait-TranslationJob -Uri $plain.Uri -JobId j -Strategy Fixed -Headers @{ 'X-Tenant' = 'tenant-Zq9-secret' } -Token $token -UserAgent 'OpsScript/2.0' -Verbose -Debug 4>&1 5>&1

        @($output | Where-Object { $_ -is [VideoTranslation.TranslationWaitResult] }).State | Should -Be 'Completed'
        $request = @($plain.Connections)[-1]
        $request | Should -BeLike '*X-Tenant: tenant-Zq9-secret*'
        $request | Should -BeLike '*Authorization: Bearer token-Zq9-secret*'
        $request | Should -BeLike '*User-Agent: OpsScript/2.0*'
        $request | Should -Not -BeLike '*VideoTranslation.PS*'
        $text = ($output | Where-Object { $_ -isnot [VideoTranslation.TranslationWaitResult] } | Out-String)
        $text | Should -Not -BeNullOrEmpty -Because 'the command wrote verbose and debug lines'
        $text | Should -Not -BeLike '*Zq9-secret*'
    }

    It 'sends the module''s own User-Agent without -UserAgent' {
        $null = Get-TranslationStatus -Uri $plain.Uri -JobId j
        @($plain.Connections)[-1] | Should -BeLike '*User-Agent: VideoTranslation.PS/*'
    }

    It 'refuses -Headers that set <Header>, naming it and <Instead>, before sending anything' -ForEach @(
        @{ Header = 'X-Api-Key'; Instead = '-ApiKey' }
        @{ Header = 'Authorization'; Instead = '-Token' }
        @{ Header = 'user-agent'; Instead = '-UserAgent' }
    ) {
        $before = $plain.Connections.Count
        $thrown = { Wait-TranslationJob -Uri $plain.Uri -JobId j -Headers @{ $Header = 'value-Zq9-secret' } } | Should -Throw -ErrorId 'InvalidRequestHeaders,*' -PassThru

        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        "$thrown" | Should -BeLike "-Headers must not set '$Header'*$Instead*"
        "$thrown" | Should -Not -BeLike '*Zq9-secret*'
        $plain.Connections.Count | Should -Be $before
    }

    It 'refuses a header name that HTTP cannot carry, and a value with a line break, without showing the value' {
        { Get-TranslationStatus -Uri $plain.Uri -JobId j -Headers @{ 'Bad Name' = 'v' } } | Should -Throw -ErrorId 'InvalidRequestHeaders,*' -ExpectedMessage "*'Bad Name'*"
        $thrown = { Get-TranslationStatus -Uri $plain.Uri -JobId j -Headers @{ 'X-Tenant' = "value-Zq9-secret`r`nX-Injected: 1" } } | Should -Throw -ErrorId 'InvalidRequestHeaders,*' -PassThru
        "$thrown" | Should -BeLike "*'X-Tenant'*control characters*"
        "$thrown" | Should -Not -BeLike '*Zq9-secret*'
    }

    It 'refuses -Token over plain http to a host that is not loopback, before sending anything' {
        $thrown = { Get-TranslationStatus -Uri 'http://jobs.example.invalid/' -JobId j -Token $token } | Should -Throw -ErrorId 'TokenRequiresHttps,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
        "$thrown" | Should -BeLike '*bearer token over plain http to jobs.example.invalid*'
    }

    It 'takes -AllowUnencryptedAuthentication, as Invoke-RestMethod spells it, for -AllowUnencryptedApiKey' {
        (Get-Command Get-TranslationStatus).Parameters['AllowUnencryptedApiKey'].Aliases | Should -Contain 'AllowUnencryptedAuthentication'
    }
}

Describe 'Retry lines with -Debug' {
    It 'are debug lines, not warnings that ask before going on, when -Debug is given without -WarningAction' {
        $port = Get-FreePort
        $run = Invoke-InNewRunspace -Script "Wait-TranslationJob -Uri 'http://127.0.0.1:$port/' -JobId x -MaximumRetryCount 1 -Strategy Fixed -Interval 0.1 -Debug -ErrorAction SilentlyContinue 5>&1 | ForEach-Object { `"`$_`" }"

        $run.Errors | Should -BeNullOrEmpty -Because 'a warning under -Debug would prompt, which this host cannot'
        @($run.Output -like 'Check 1 of job x failed: connection refused*Retry 1 of 1 in *') | Should -HaveCount 1
    }
}
