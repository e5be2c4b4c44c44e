# Pester 5 tests: the fault matrix of issue 6 through Wait-TranslationJob on the BUILT module
# ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1) against ONE real simulator that requires an API key (so
# every wait also sends -ApiKey). Faults are changed at run time with PUT /admin/faults.
# For every fault: the outcome (completed after retries, or the error's ErrorId and category), that no wait outlives
# -TimeoutSec by more than one -RequestTimeoutSec (measured around the cmdlet), and that Retry-After is honoured.
# Healing is deterministic, never a sleep: the wait runs in a runspace of its own while this one polls the simulator's
# injected-fault counter (or, for a refused connection, the wait's own retry warnings) and heals the fault once
# it has been met twice. So a retried wait is exactly "2 faulted checks + 1 good one" however slow the machine is.
# Lower bounds on time are exact (a delay never fires early); upper bounds are the guarantee plus scheduling slack.
BeforeDiscovery {
    # Faults the wait retries until they heal: the PUT body, and the injected counter that counts them.
    $transientFaults = @(
        @{ Fault = 'HTTP 500'; Faults = @{ internalErrorProbability = 1 }; Counter = 'internalError'; Inner = 'TranslationHttpException' }
        @{ Fault = 'HTTP 503'; Faults = @{ serviceUnavailableProbability = 1 }; Counter = 'serviceUnavailable'; Inner = 'TranslationHttpException' }
        @{ Fault = 'HTTP 429 (Retry-After: 0)'; Faults = @{ tooManyRequestsProbability = 1; retryAfterSeconds = 0 }; Counter = 'tooManyRequests'; Inner = 'TranslationHttpException' }
        @{ Fault = 'an answer slower than -RequestTimeoutSec'; Faults = @{ slowProbability = 1; slowSeconds = 3 }; Counter = 'slow'; Inner = 'TranslationConnectionException' }
        @{ Fault = 'a connection dropped without an answer'; Faults = @{ dropConnectionProbability = 1 }; Counter = 'dropConnection'; Inner = 'TranslationConnectionException' }
    )

    # Faults that never heal: the wait ends with TranslationWaitTimedOut at -TimeoutSec plus at most one request.
    $lastingFaults = @(
        $transientFaults | ForEach-Object { @{ Fault = $_.Fault; Faults = $_.Faults; Inner = $_.Inner; Strategy = 'Fixed' } }
        @{ Fault = 'HTTP 429 whose Retry-After (5 s) is past the deadline'; Faults = @{ tooManyRequestsProbability = 1; retryAfterSeconds = 5 }; Inner = 'TranslationHttpException'; Strategy = 'Fixed' }
        @{ Fault = 'an unavailable window (503 + Retry-After) longer than the wait'; Faults = @{ unavailableForSeconds = 30 }; Inner = 'TranslationHttpException'; Strategy = 'Fixed' }
        @{ Fault = 'an answer slower than -RequestTimeoutSec while long-polling (-Strategy Auto holds the check)'; Faults = @{ slowProbability = 1; slowSeconds = 5 }; Inner = 'TranslationConnectionException'; Strategy = 'Auto' }
        @{ Fault = 'connection refused (nothing listens)'; Faults = $null; Inner = 'TranslationConnectionException'; Strategy = 'Fixed' }
    )

    # Answers that retrying cannot fix: the wait ends at once, after one check.
    $permanentFaults = @(
        @{ Fault = 'a malformed JSON body'; Faults = @{ malformedBodyProbability = 1 }; Counter = 'malformedBody'; ErrorId = 'TranslationProtocolViolation'; Category = 'InvalidResult'; Message = '*not valid JSON*' }
        @{ Fault = 'an unknown result value'; Faults = @{ unknownResultProbability = 1 }; Counter = 'unknownResult'; ErrorId = 'TranslationProtocolViolation'; Category = 'InvalidResult'; Message = '*"processing"*' }
        @{ Fault = '404 (unknown job)'; JobId = 'no-such-job'; ErrorId = 'TranslationJobNotFound'; Category = 'ObjectNotFound'; Message = '*no-such-job*' }
        @{ Fault = '401 (wrong API key)'; Sends = 'a wrong key'; ErrorId = 'TranslationAccessDenied'; Category = 'AuthenticationError'; Message = '*does not match*' }
        @{ Fault = '401 (no API key)'; Sends = 'no key'; ErrorId = 'TranslationAccessDenied'; Category = 'AuthenticationError'; Message = '*requires an API key*' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop

    $plainKey = "faults-$([guid]::NewGuid().ToString('N'))"
    $key = ConvertTo-SecureString -String $plainKey -AsPlainText -Force
    $wrongKey = ConvertTo-SecureString -String "wrong-$plainKey" -AsPlainText -Force
    $headers = @{ 'X-Api-Key' = $plainKey }
    $savedEnvironmentKey = $env:VIDEOTRANSLATION_API_KEY
    $env:VIDEOTRANSLATION_API_KEY = $null

    # Jobs are done at once: every check that is not faulted answers completed.
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0 -NoHints -ApiKey $key -ErrorAction Stop
    $uri = $sim.Uri

    # The deadline tests: -TimeoutSec, -RequestTimeoutSec, and the scheduling slack allowed on a loaded 2-core machine.
    $timeoutSec = 1.2
    $requestTimeoutSec = 0.5
    $slackSec = 0.5
    $tolerance = [timespan]::FromMilliseconds(20)

    function New-DoneJob {
        $job = New-TranslationJob -Uri $uri -DelaySec 0 -ApiKey $key -ErrorAction Stop
        $job
    }

    # The waits run in a runspace of their own, so this one can heal the fault while they retry.
    $waitRunspace = New-ModuleRunspace

    function Start-Wait ([hashtable] $Arguments) {
        $ps = [powershell]::Create()
        $ps.Runspace = $waitRunspace
        $null = $ps.AddScript({
                param([hashtable] $Arguments)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $results = @(Wait-TranslationJob @Arguments -Verbose -ErrorVariable failures -ErrorAction SilentlyContinue)
                $clock.Stop()
                [pscustomobject]@{ Results = $results; Errors = @($failures); Elapsed = $clock.Elapsed }
            }.ToString()).AddArgument($Arguments)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    # The wait's verbose lines so far (readable while it runs).
    function Get-WaitVerbose ($Wait) {
        $verbose = $Wait.PowerShell.Streams.Verbose
        @(for ($i = 0; $i -lt $verbose.Count; $i++) { $verbose[$i].Message })
    }

    # The wait's warnings so far: the core's RetryingAfterFailure lines, which the cmdlet writes as warnings.
    function Get-WaitWarning ($Wait) {
        $warnings = $Wait.PowerShell.Streams.Warning
        @(for ($i = 0; $i -lt $warnings.Count; $i++) { $warnings[$i].Message })
    }

    function Receive-Wait ($Wait, [double] $TimeoutSec = 30) {
        try {
            if (-not $Wait.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($TimeoutSec))) {
                $Wait.PowerShell.Stop()
                throw "The wait did not return within $TimeoutSec s."
            }
            $outcome = @($Wait.PowerShell.EndInvoke($Wait.Handle))[0]
            $verbose = Get-WaitVerbose $Wait
            [pscustomobject]@{
                Results  = @($outcome.Results)
                Errors   = @($outcome.Errors)
                Elapsed  = $outcome.Elapsed
                Verbose  = $verbose
                # The core's RetryingAfterFailure lines, as warnings: "Check N of job J failed: reason. Retry N in D."
                Retries  = @(Get-WaitWarning $Wait | Where-Object { $_ -match '^Check \d+ of job .* failed: .*\. Retry .* in .*\.$' })
            }
        }
        finally {
            $Wait.PowerShell.Dispose()
        }
    }

    function Get-RetryDelay ([string] $Line) {
        if ($Line -notmatch ' in (?<delay>[\d.]+) (?<unit>ms|s)\.$') { throw "Not a retry line: $Line" }
        $amount = [double]::Parse($Matches['delay'], [cultureinfo]::InvariantCulture)
        if ($Matches['unit'] -eq 'ms') { [timespan]::FromMilliseconds($amount) } else { [timespan]::FromSeconds($amount) }
    }

    function Get-WaitArguments ([string] $JobId) {
        # Fixed 100 ms polling: failures and the retry backoff (0.5 s, then 1 s, ...) decide the timing.
        @{ Uri = $uri; JobId = $JobId; ApiKey = $key; Strategy = 'Fixed'; Interval = 0.1; RequestTimeoutSec = $requestTimeoutSec; TimeoutSec = 20 }
    }
}

AfterAll {
    $env:VIDEOTRANSLATION_API_KEY = $savedEnvironmentKey
    if ($waitRunspace) { $waitRunspace.Dispose() }
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Wait-TranslationJob under faults' {
    AfterEach {
        Set-Fault $uri @{} $headers
    }

    Context 'a transient fault that heals' {
        It 'retries <Fault> and completes once it heals: 2 faulted checks + 1 good one' -ForEach $transientFaults {
            $job = New-DoneJob
            $before = (Get-InjectedFault $uri $headers).$Counter
            Set-Fault $uri $Faults $headers

            $wait = Start-Wait (Get-WaitArguments $job.Id)
            Wait-Until { (Get-InjectedFault $uri $headers).$Counter - $before -ge 2 } 15 | Should -BeTrue -Because "two injected $Counter faults were seen"
            Set-Fault $uri @{} $headers
            $done = Receive-Wait $wait

            $injected = (Get-InjectedFault $uri $headers).$Counter - $before
            $done.Errors | Should -BeNullOrEmpty
            $done.Results | Should -HaveCount 1
            $done.Results[0].State | Should -Be 'Completed'
            $injected | Should -BeGreaterOrEqual 2
            $done.Results[0].Attempts | Should -Be ($injected + 1) -Because 'every faulted check was retried and the first good one ended the wait'
            $done.Retries | Should -HaveCount $injected
            # The retry backoff (0.5 s, then 1 s, each shortened by up to 20 % jitter) separates the checks.
            (Get-RetryDelay $done.Retries[0]).TotalSeconds | Should -BeGreaterOrEqual 0.4
            (Get-RetryDelay $done.Retries[1]).TotalSeconds | Should -BeGreaterOrEqual 0.8
            $done.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds(1.2) - $tolerance)
            if ($Counter -ne 'slow') {
                # A slow answer is counted once the server sends it, after the client gave up; the others never are.
                (Get-ServerJob $uri $job.Id $headers).statusRequests | Should -Be 1 -Because 'the faulted answers are not counted; the one good answer is'
            }
        }

        It 'honours a 429''s Retry-After given in <Format> (2 s, where the backoff would be 0.5 s)' -ForEach @(
            @{ Format = 'seconds' }, @{ Format = 'date' }
        ) {
            $job = New-DoneJob
            $before = (Get-InjectedFault $uri $headers).tooManyRequests
            Set-Fault $uri @{ tooManyRequestsProbability = 1; retryAfterSeconds = 2; retryAfterFormat = $Format } $headers

            $wait = Start-Wait (Get-WaitArguments $job.Id)
            Wait-Until { (Get-InjectedFault $uri $headers).tooManyRequests - $before -ge 1 } 15 | Should -BeTrue -Because 'the first 429 was seen'
            $seenAt = [datetimeoffset]::UtcNow
            Set-Fault $uri @{} $headers
            $done = Receive-Wait $wait

            $done.Errors | Should -BeNullOrEmpty
            $done.Results[0].State | Should -Be 'Completed'
            $injected = (Get-InjectedFault $uri $headers).tooManyRequests - $before
            $done.Results[0].Attempts | Should -Be ($injected + 1)
            # The client's chosen delay: 2 s as seconds; as a date rounded up to the second, 2 to 3 s from the answer.
            $delay = Get-RetryDelay $done.Retries[0]
            $delay.TotalSeconds | Should -BeGreaterOrEqual $(if ($Format -eq 'seconds') { 2 } else { 1.9 })
            $delay.TotalSeconds | Should -BeLessOrEqual 3.1
            $done.Elapsed | Should -BeGreaterOrEqual ($delay - $tolerance)
            # The server's view: its first completed answer came at least ~2 s after this runspace saw the 429 (seeing it
            # late only shortens the measured gap, so 1.5 s is a safe floor that the 0.5 s backoff could not reach).
            $served = [datetimeoffset] (Get-ServerJob $uri $job.Id $headers).resultFirstServedAt
            ($served - $seenAt).TotalSeconds | Should -BeGreaterOrEqual 1.5
        }

        It 'honours the Retry-After of an unavailable window (503) and completes once it closes' {
            $job = New-DoneJob
            $before = (Get-InjectedFault $uri $headers).unavailable
            # 2 s from the PUT, so a wait that starts late on a loaded machine still meets the window.
            Set-Fault $uri @{ unavailableForSeconds = 2 } $headers

            $done = Receive-Wait (Start-Wait (Get-WaitArguments $job.Id))

            $done.Errors | Should -BeNullOrEmpty
            $done.Results[0].State | Should -Be 'Completed'
            (Get-InjectedFault $uri $headers).unavailable - $before | Should -BeGreaterOrEqual 1
            (Get-RetryDelay $done.Retries[0]).TotalSeconds | Should -BeGreaterOrEqual 0.99 -Because 'the window says Retry-After: 1 or 2 (its rest, rounded up), the backoff only 0.5 s'
        }

        It 'retries a refused connection and completes once a simulator starts on that port' {
            $port = Get-FreePort
            $arguments = Get-WaitArguments $null
            $arguments.Remove('JobId')
            $arguments['Uri'] = "http://127.0.0.1:$port/"
            # A cold simulator's first answer may take a while on a loaded machine: that is not what is tested here.
            $arguments['RequestTimeoutSec'] = 5
            # Nor how many refusals a wait takes (-MaximumRetryCount, Transport.Tests.ps1): the simulator may take longer to start.
            $arguments['MaximumRetryCount'] = -1
            $late = $null
            try {
                $wait = Start-Wait $arguments
                Wait-Until { @(Get-WaitWarning $wait | Where-Object { $_ -like '*failed: connection refused*' }).Count -ge 2 } 15 | Should -BeTrue -Because 'two refused connections were seen'
                $late = Start-TranslationSimulator -Port $port -DelayModel Fixed -DelaySec 0 -NoHints -ApiKey $key -ErrorAction Stop
                $done = Receive-Wait $wait

                $done.Errors | Should -BeNullOrEmpty
                $done.Results[0].State | Should -Be 'Completed'
                $done.Retries.Count | Should -BeGreaterOrEqual 2
                $done.Retries[0], $done.Retries[1] | ForEach-Object { $_ | Should -BeLike '*failed: connection refused (127.0.0.1:*). Retry*' }
                $done.Results[0].Attempts | Should -Be ($done.Retries.Count + 1)
                (Get-ServerJob $late.Uri 'default' $headers).statusRequests | Should -Be 1 -Because 'only the last check reached a server'
            }
            finally {
                if ($late) { $late | Stop-TranslationSimulator }
            }
        }
    }

    Context 'a fault that lasts past -TimeoutSec' {
        It 'ends with TranslationWaitTimedOut (OperationTimeout) within -TimeoutSec + one -RequestTimeoutSec: <Fault>, -Strategy <Strategy>' -ForEach $lastingFaults {
            $arguments = Get-WaitArguments (New-DoneJob).Id
            $arguments['TimeoutSec'] = $timeoutSec
            $arguments['Strategy'] = $Strategy
            # The deadline, not -MaximumRetryCount, is what ends these waits (Transport.Tests has the bound).
            $arguments['MaximumRetryCount'] = -1
            if ($Strategy -ne 'Fixed') { $arguments.Remove('Interval') }
            if ($Faults) {
                Set-Fault $uri $Faults $headers
                if ($Strategy -eq 'Auto') {
                    # A pending job, so that the first check asks the server to hold it (?wait=) for the time left.
                    $arguments['JobId'] = (New-TranslationJob -Uri $uri -DelaySec 60 -ApiKey $key).Id
                }
            }
            else {
                $arguments['Uri'] = "http://127.0.0.1:$(Get-FreePort)/"
            }

            $done = Receive-Wait (Start-Wait $arguments)

            $done.Results | Should -BeNullOrEmpty
            $done.Errors | Should -HaveCount 1
            $done.Errors[0].FullyQualifiedErrorId | Should -BeLike 'TranslationWaitTimedOut,*'
            $done.Errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::OperationTimeout)
            # The timeout names the last failure: the fault's own, or — on a loaded machine — the last check at the
            # deadline running out of its short request timeout first.
            $last = $done.Errors[0].Exception.InnerException
            $lastIsRequestTimeout = $last -is [VideoTranslation.TranslationConnectionException] -and $last.IsTimeout
            ($last.GetType().Name -eq $Inner -or $lastIsRequestTimeout) | Should -BeTrue -Because "the last failure was $($last.GetType().Name): $($last.Message)"
            @($done.Verbose | Where-Object { $_ -like '*did not finish within*' }) | Should -HaveCount 1
            $overrun = $done.Elapsed.TotalSeconds - $timeoutSec
            Write-Host ('fault matrix: {0} (-Strategy {1}): wait {2:0.000} s, overrun of -TimeoutSec {3:+0.000;-0.000} s' -f $Fault, $Strategy, $done.Elapsed.TotalSeconds, $overrun)
            $done.Elapsed | Should -BeGreaterOrEqual ([timespan]::FromSeconds($timeoutSec) - $tolerance)
            $overrun | Should -BeLessOrEqual ($requestTimeoutSec + $slackSec) -Because "a request started before the deadline may finish (at most -RequestTimeoutSec $requestTimeoutSec s), plus $slackSec s of scheduling slack"
        }
    }

    Context 'an answer that retrying cannot fix' {
        It 'ends at once with <ErrorId> (<Category>) and no retry: <Fault>' -ForEach $permanentFaults {
            $arguments = Get-WaitArguments $(if ($JobId) { $JobId } else { (New-DoneJob).Id })
            switch ($Sends) {
                'a wrong key' { $arguments['ApiKey'] = $wrongKey }
                'no key' { $arguments.Remove('ApiKey') }
            }
            if ($Faults) {
                $before = (Get-InjectedFault $uri $headers).$Counter
                Set-Fault $uri $Faults $headers
            }

            $done = Receive-Wait (Start-Wait $arguments)

            $done.Results | Should -BeNullOrEmpty
            $done.Errors | Should -HaveCount 1
            $done.Errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,VideoTranslation.PowerShell.WaitTranslationJobCommand"
            [string] $done.Errors[0].CategoryInfo.Category | Should -Be $Category
            $done.Errors[0].Exception.Message | Should -BeLike $Message
            $done.Retries | Should -BeNullOrEmpty -Because 'retrying cannot fix it'
            if ($Faults) { (Get-InjectedFault $uri $headers).$Counter - $before | Should -Be 1 -Because 'one check, no retry' }
            $done.Elapsed.TotalSeconds | Should -BeLessThan 3 -Because '-TimeoutSec is 20, and the wait ends at its first answer'
        }
    }
}
