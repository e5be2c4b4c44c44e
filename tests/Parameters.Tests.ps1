# Pester 5 tests of bad input to every cmdlet of the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see
# Module.Tests.ps1). Binding errors are PowerShell's own ErrorIds (ParameterArgumentValidationError for ValidateRange,
# ValidateSet, ValidateNotNull(OrEmpty); CannotConvertArgument* for a value of the wrong type); the module's own
# checks have the module's ErrorIds (InvalidTranslationUri, InvalidWaitParameters, InvalidSimulatorParameters,
# InvalidApiKey). Every rejection must also say clearly what is wrong: binding errors name the parameter, the module's
# own errors name it and the rule.
# Every call that could do something if the value were wrongly accepted is made harmless: waits target a job that has
# already finished, Start-TranslationSimulator binding cases run with -WhatIf, and a start that should have been
# refused is recognised by its marker seed and stopped.
BeforeDiscovery {
    $nan = [double]::NaN
    $infinity = [double]::PositiveInfinity

    function New-Case ([string] $Parameter, [string] $Case, $Value, [string] $ErrorId = 'ParameterArgumentValidationError') {
        @{ Parameter = $Parameter; Case = $Case; Value = $Value; ErrorId = $ErrorId }
    }

    function New-SecondsCase ([string] $Parameter, [double] $Minimum, [double] $Maximum, [double] $Negative = -1) {
        # Zero or below the minimum, negative, NaN, infinite, huge, above the maximum, and a string.
        if ($Minimum -gt 0) { New-Case $Parameter 'zero' 0 } else { New-Case $Parameter 'just below zero' (-0.001) }
        New-Case $Parameter 'negative' $Negative
        New-Case $Parameter 'NaN' $nan
        New-Case $Parameter 'infinite' $infinity
        New-Case $Parameter 'huge (1e308)' 1e308
        New-Case $Parameter "just above $Maximum" ($Maximum + 0.001)
        New-Case $Parameter 'of the wrong type' 'soon' 'CannotConvertArgumentNoMessage'
    }

    $uriCases = @(
        @{ Case = 'relative'; Value = 'jobs/42' }
        @{ Case = 'empty'; Value = '' }
        @{ Case = 'non-http (ftp)'; Value = 'ftp://127.0.0.1/' }
        @{ Case = 'non-http (file)'; Value = 'file:///tmp/jobs' }
        @{ Case = 'scheme-less host:port'; Value = 'localhost:5080' }
        @{ Case = 'with a query'; Value = 'http://127.0.0.1:1/?key=1' }
        @{ Case = 'with a fragment'; Value = 'http://127.0.0.1:1/#top' }
    )

    # -ApiKey takes only a SecureString: a plain string or anything else is refused with a message that says how to
    # make one; an empty SecureString (Enter pressed at Read-Host -AsSecureString) is refused at binding.
    $apiKeyCases = @(
        New-Case 'ApiKey' 'null' $null
        New-Case 'ApiKey' 'a plain string' 'hunter2' 'ParameterArgumentTransformationError'
        New-Case 'ApiKey' 'of the wrong type (a number)' 42 'ParameterArgumentTransformationError'
        New-Case 'ApiKey' 'of the wrong type (a credential)' ([pscredential]::new('user', [securestring]::new())) 'ParameterArgumentTransformationError'
        New-Case 'ApiKey' 'an empty SecureString' ([securestring]::new())
    )

    $clientCases = @(
        New-Case 'Uri' 'null' $null
        New-Case 'Uri' 'of the wrong type (an array)' @(1, 2) 'CannotConvertArgument'
        New-Case 'Uri' 'without a host (http://)' 'http://' 'CannotConvertArgumentNoMessage'
        New-SecondsCase 'RequestTimeoutSec' 0.001 86400
        $apiKeyCases
        New-Case 'AllowUnencryptedApiKey' 'of the wrong type (a string)' 'yes' 'CannotConvertArgument'
    )

    $jobIdCases = @(
        New-Case 'JobId' 'null' $null
        New-Case 'JobId' 'empty' ''
        New-Case 'JobId' 'an empty array' @()
        New-Case 'JobId' 'an array with a null' @('a', $null)
        New-Case 'JobId' 'an array with an empty string' @('a', '')
    )

    $waitCases = @(
        $clientCases
        $jobIdCases
        New-Case 'Strategy' 'unknown (Linear)' 'Linear'
        New-Case 'Strategy' 'empty' ''
        New-Case 'Strategy' 'null' $null
        New-SecondsCase 'Interval' 0.001 86400
        New-SecondsCase 'MaxInterval' 0.001 86400
        New-SecondsCase 'TimeoutSec' 0.001 86400 -Negative -2 # -1 waits without a deadline
        New-Case 'BackoffFactor' 'below 1' 0.99
        New-Case 'BackoffFactor' 'zero' 0
        New-Case 'BackoffFactor' 'negative' (-2)
        New-Case 'BackoffFactor' 'NaN' $nan
        New-Case 'BackoffFactor' 'above 100' 100.5
        New-Case 'BackoffFactor' 'infinite' $infinity
        New-Case 'BackoffFactor' 'huge (1e308)' 1e308
        New-Case 'BackoffFactor' 'of the wrong type' 'fast' 'CannotConvertArgumentNoMessage'
        New-Case 'Jitter' 'negative' (-0.1)
        New-Case 'Jitter' 'above 1' 1.01
        New-Case 'Jitter' 'NaN' $nan
        New-Case 'Jitter' 'infinite' $infinity
        New-Case 'Jitter' 'huge (1e308)' 1e308
        New-Case 'Jitter' 'of the wrong type' 'some' 'CannotConvertArgumentNoMessage'
        New-Case 'OnStatusChange' 'null' $null
        New-Case 'OnStatusChange' 'of the wrong type (a string)' 'Write-Host changed' 'CannotConvertArgumentNoMessage'
        New-SecondsCase 'MaxHoldSec' 0.001 86400
        New-Case 'ThrottleLimit' 'zero' 0
        New-Case 'ThrottleLimit' 'negative' (-1)
        New-Case 'ThrottleLimit' 'above 100000' 100001
        New-Case 'ThrottleLimit' 'too large for an int' 2147483648 'CannotConvertArgumentNoMessage'
        New-Case 'ThrottleLimit' 'NaN' $nan 'CannotConvertArgumentNoMessage'
        New-Case 'ThrottleLimit' 'a fraction (1.5 is not a count)' 'one and a half' 'CannotConvertArgumentNoMessage'
        New-Case 'HoldLimit' 'negative' (-1)
        New-Case 'HoldLimit' 'above 100000' 100001
        New-Case 'HoldLimit' 'too large for an int' 2147483648 'CannotConvertArgumentNoMessage'
        New-Case 'HoldLimit' 'of the wrong type' 'many' 'CannotConvertArgumentNoMessage'
        New-Case 'HistoryPath' 'null' $null
        New-Case 'HistoryPath' 'empty' ''
        New-Case 'HistoryPath' 'white space' '   '
    )

    $newJobCases = @(
        $clientCases
        New-Case 'DelaySec' 'null' $null
        New-Case 'DelaySec' 'negative' (-1)
        New-Case 'DelaySec' 'NaN' $nan
        New-Case 'DelaySec' 'infinite' $infinity
        New-Case 'DelaySec' 'huge (1e308)' 1e308
        New-Case 'DelaySec' 'a second above 86400' 86401
        New-Case 'DelaySec' 'of the wrong type' 'long' 'CannotConvertArgumentNoMessage'
        New-Case 'Outcome' 'unknown (Pending)' 'Pending'
        New-Case 'Outcome' 'unknown (Failed)' 'Failed'
        New-Case 'Outcome' 'empty' ''
        New-Case 'Outcome' 'null' $null
        New-Case 'Count' 'zero' 0
        New-Case 'Count' 'negative' (-1)
        New-Case 'Count' 'above 10000' 10001
        New-Case 'Count' 'too large for an int' 2147483648 'CannotConvertArgumentNoMessage'
        New-Case 'Count' 'of the wrong type' 'many' 'CannotConvertArgumentNoMessage'
        New-Case 'Count' 'NaN' $nan 'CannotConvertArgumentNoMessage'
    )

    $startCases = @(
        New-Case 'DelayModel' 'unknown (Exponential)' 'Exponential'
        New-Case 'DelayModel' 'empty' ''
        New-Case 'DelayModel' 'null' $null
        New-Case 'ErrorModel' 'unknown (Normal)' 'Normal'
        New-Case 'ErrorModel' 'empty' ''
        foreach ($parameter in 'DelaySec', 'MinDelaySec', 'MaxDelaySec', 'MeanDelaySec', 'DelayStdDevSec') {
            New-Case $parameter 'negative' (-1)
            New-Case $parameter 'NaN' $nan
            New-Case $parameter 'above 86400' 86400.5
            New-Case $parameter 'infinite' $infinity
        }
        New-Case 'DelaySec' 'of the wrong type' 'long' 'CannotConvertArgumentNoMessage'
        foreach ($parameter in 'ErrorProbability', 'MinErrorProbability', 'MaxErrorProbability', 'MeanErrorProbability', 'ErrorProbabilityStdDev') {
            New-Case $parameter 'negative' (-0.1)
            New-Case $parameter 'NaN' $nan
            New-Case $parameter 'above 1' 1.1
            New-Case $parameter 'infinite' $infinity
        }
        New-Case 'ErrorProbability' 'a percentage (50)' 50
        New-Case 'Port' 'negative' (-1)
        New-Case 'Port' 'above 65535' 65536
        New-Case 'Port' 'of the wrong type' 'http' 'CannotConvertArgumentNoMessage'
        New-Case 'Port' 'NaN' $nan 'CannotConvertArgumentNoMessage'
        New-Case 'Port' 'huge (1e308)' 1e308 'CannotConvertArgumentNoMessage'
        New-Case 'StartTimeoutSec' 'zero' 0
        New-Case 'StartTimeoutSec' 'negative' (-1)
        New-Case 'StartTimeoutSec' 'infinite' $infinity
        New-Case 'StartTimeoutSec' 'half a second' 0.5
        New-Case 'StartTimeoutSec' 'a second above 600' 601
        New-Case 'StartTimeoutSec' 'NaN' $nan
        New-Case 'Seed' 'too large for an int' 2147483648 'CannotConvertArgumentNoMessage'
        New-Case 'Seed' 'of the wrong type' 'lucky' 'CannotConvertArgumentNoMessage'
        New-Case 'Seed' 'NaN' $nan 'CannotConvertArgumentNoMessage'
        $apiKeyCases
    )

    # Keys the core refuses (blank, control characters): InvalidApiKey before any request, naming the source, not the key.
    $badKeyCases = @(
        @{ Case = 'white space'; Value = '   ' }
        @{ Case = 'a line break (header injection)'; Value = "key-Qx7`r`nX-Injected: 1" }
        @{ Case = 'a tab'; Value = "key-Qx7`tmore" }
    )

    # Fractions just outside a range whose ValidateRange bounds are written as integers (see the skipped Its).
    $newJobFractionCases = @(
        New-Case 'DelaySec' 'just below zero (-0.001)' (-0.001)
        New-Case 'DelaySec' 'just above 86400 (86400.4)' 86400.4
    )
    $startFractionCases = @(
        New-Case 'StartTimeoutSec' 'just below 1 (0.6)' 0.6
        New-Case 'StartTimeoutSec' 'just above 600 (600.4)' 600.4
    )

    $otherModelCases = @(
        @{ Model = 'DelayModel Fixed'; Parameters = @{ DelayModel = 'Fixed'; MinDelaySec = 1 }; Wrong = 'MinDelaySec' }
        @{ Model = 'DelayModel Fixed'; Parameters = @{ DelayModel = 'Fixed'; MeanDelaySec = 1 }; Wrong = 'MeanDelaySec' }
        @{ Model = 'DelayModel Uniform'; Parameters = @{ DelayModel = 'Uniform'; DelaySec = 1 }; Wrong = 'DelaySec' }
        @{ Model = 'DelayModel Uniform'; Parameters = @{ DelayModel = 'Uniform'; DelayStdDevSec = 1 }; Wrong = 'DelayStdDevSec' }
        @{ Model = 'DelayModel Gaussian'; Parameters = @{ DelayModel = 'Gaussian'; MaxDelaySec = 1 }; Wrong = 'MaxDelaySec' }
        @{ Model = 'default DelayModel (Uniform)'; Parameters = @{ DelaySec = 1 }; Wrong = 'DelaySec' }
        @{ Model = 'default ErrorModel (Fixed)'; Parameters = @{ MinErrorProbability = 0.1 }; Wrong = 'MinErrorProbability' }
        @{ Model = 'ErrorModel Fixed'; Parameters = @{ ErrorModel = 'Fixed'; ErrorProbabilityStdDev = 0.1 }; Wrong = 'ErrorProbabilityStdDev' }
        @{ Model = 'ErrorModel Uniform'; Parameters = @{ ErrorModel = 'Uniform'; ErrorProbability = 0.1 }; Wrong = 'ErrorProbability' }
        @{ Model = 'ErrorModel Gaussian'; Parameters = @{ ErrorModel = 'Gaussian'; MaxErrorProbability = 0.1 }; Wrong = 'MaxErrorProbability' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -NoHints -ErrorAction Stop
    $uri = $sim.Uri
    # A finished job: a wait that wrongly accepts a value returns at once instead of hanging.
    $done = New-TranslationJob -Uri $uri -DelaySec 0

    function Invoke-WithValue ([string] $Command, [hashtable] $Base, [string] $Parameter, $Value) {
        $arguments = $Base.Clone()
        $arguments[$Parameter] = $Value
        & $Command @arguments
    }

    # A rejection is clear when it names the parameter; some cases say more (how to give an API key, the range).
    function Assert-ClearMessage ($Thrown, [string] $Parameter, [string] $Case) {
        $message = $Thrown.Exception.Message
        $message | Should -BeLike "*'$Parameter'*" -Because 'the message names the parameter'
        switch -Wildcard ($Case) {
            'a plain string' { $message | Should -BeLike '*SecureString*Read-Host -AsSecureString*VIDEOTRANSLATION_API_KEY*' }
            'of the wrong type (a *)' { if ($Parameter -eq 'ApiKey') { $message | Should -BeLike '*takes a SecureString*' } }
            'an empty SecureString' { $message | Should -BeLike '*The API key is empty*omit -ApiKey*' }
            'negative' { $message | Should -Match 'minimum allowed range|Cannot convert' }
            'huge*' { $message | Should -Match 'maximum allowed range|too large' }
            'infinite' { $message | Should -Match 'maximum allowed range|too large' }
        }
    }

    $savedEnvironmentKey = $env:VIDEOTRANSLATION_API_KEY
}

AfterAll {
    $env:VIDEOTRANSLATION_API_KEY = $savedEnvironmentKey
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Get-TranslationStatus' {
    Context 'parameter binding' {
        It 'rejects -<Parameter> <Case> with <ErrorId>, naming the parameter' -ForEach @($clientCases; $jobIdCases) {
            $thrown = { Invoke-WithValue 'Get-TranslationStatus' @{ Uri = $uri } $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
        }
    }

    Context '-Uri' {
        It 'writes InvalidTranslationUri (InvalidArgument) for a <Case> -Uri, saying what -Uri must be' -ForEach $uriCases {
            $thrown = { Get-TranslationStatus -Uri $Value -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTranslationUri,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $thrown.ErrorDetails.Message | Should -Match '^-Uri must (be an absolute http or https address|use http or https|not have a query or fragment)'
            $thrown.ErrorDetails.Message | Should -Not -BeLike "*(Parameter '*"
        }

        It 'stops the command at an object with a bad -Uri (terminating InvalidTranslationUri), as Invoke-RestMethod does' {
            $statuses = @()
            $thrown = {
                [pscustomobject]@{ Uri = 'ftp://127.0.0.1/'; JobId = $done.Id }, [pscustomobject]@{ Uri = $uri; JobId = $done.Id } |
                    Get-TranslationStatus -ErrorAction SilentlyContinue | ForEach-Object { $statuses += $_ }
            } | Should -Throw -ErrorId 'InvalidTranslationUri,VideoTranslation.PowerShell.GetTranslationStatusCommand' -PassThru

            $statuses | Should -HaveCount 0
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        }

        It 'masks the query values of a rejected -Uri in the message' {
            $thrown = { Get-TranslationStatus -Uri 'http://127.0.0.1:1/?key=hunter2' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTranslationUri,*' -PassThru

            $thrown.Exception.Message | Should -Not -BeLike '*hunter2*'
            $thrown.ErrorDetails.Message | Should -Not -BeLike '*hunter2*'
            $thrown.ToString() | Should -Not -BeLike '*hunter2*'
        }
    }

    Context 'white-space job ids' {
        It 'rejects a white-space -JobId as invalid input: at binding, or per id without losing the other ids' {
            $thrown = $null
            try {
                $statuses = Get-TranslationStatus -Uri $uri -JobId ' ', $done.Id -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            catch {
                $thrown = $_
            }

            if ($thrown) {
                $thrown.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            }
            else {
                $statuses | Should -HaveCount 1
                $failures | Should -HaveCount 1
                [string] $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            }
        }
    }
}

Describe 'Wait-TranslationJob' {
    Context 'parameter binding' {
        It 'rejects -<Parameter> <Case> with <ErrorId>, naming the parameter' -ForEach $waitCases {
            $base = @{ Uri = $uri; JobId = $done.Id }
            $thrown = { Invoke-WithValue 'Wait-TranslationJob' $base $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
        }
    }

    Context '-Uri' {
        It 'writes InvalidTranslationUri (InvalidArgument) for a <Case> -Uri' -ForEach $uriCases {
            $thrown = { Wait-TranslationJob -Uri $Value -JobId 'x' -TimeoutSec 2 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTranslationUri,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        }

        It 'stops the command at an object with a bad -Uri (terminating InvalidTranslationUri)' {
            {
                [pscustomobject]@{ Uri = 'jobs/42'; JobId = $done.Id }, [pscustomobject]@{ Uri = $uri; JobId = $done.Id } |
                    Wait-TranslationJob -TimeoutSec 5 -ErrorAction SilentlyContinue
            } | Should -Throw -ErrorId 'InvalidTranslationUri,VideoTranslation.PowerShell.WaitTranslationJobCommand'
        }
    }

    Context 'strategy parameters that do not fit together' {
        It 'throws InvalidWaitParameters (InvalidArgument) and checks nothing when <Case>' -ForEach @(
            @{ Case = '-MaxInterval is below -Interval'; Parameters = @{ Strategy = 'Exponential'; Interval = 2; MaxInterval = 1 }; Names = 'MaxInterval', 'Interval' }
            @{ Case = '-MaxInterval is below the default -Interval (1 s)'; Parameters = @{ MaxInterval = 0.5 }; Names = 'MaxInterval', 'Interval' }
            @{ Case = '-Strategy Fixed has -BackoffFactor'; Parameters = @{ Strategy = 'Fixed'; BackoffFactor = 2 }; Names = 'BackoffFactor', 'Fixed' }
            @{ Case = '-Strategy Fixed has -MaxInterval'; Parameters = @{ Strategy = 'Fixed'; MaxInterval = 5 }; Names = 'MaxInterval', 'Fixed' }
            @{ Case = '-Strategy Fixed has -Jitter, even 0'; Parameters = @{ Strategy = 'Fixed'; Jitter = 0 }; Names = 'Jitter', 'Fixed' }
            @{ Case = '-MaxInterval is below -Interval for the fallback of -Strategy LongPoll'; Parameters = @{ Strategy = 'LongPoll'; Interval = 2; MaxInterval = 1 }; Names = 'MaxInterval', 'Interval' }
            @{ Case = '-Strategy Fixed has -HistoryPath'; Parameters = @{ Strategy = 'Fixed'; HistoryPath = 'durations.json' }; Names = 'HistoryPath', 'Fixed' }
            @{ Case = '-Strategy Exponential has -HistoryPath'; Parameters = @{ Strategy = 'Exponential'; HistoryPath = 'durations.json' }; Names = 'HistoryPath', 'Exponential' }
            @{ Case = '-Strategy LongPoll has -HistoryPath'; Parameters = @{ Strategy = 'LongPoll'; HistoryPath = 'durations.json' }; Names = 'HistoryPath', 'LongPoll' }
            @{ Case = '-Strategy Adaptive has -HistoryPath'; Parameters = @{ Strategy = 'Adaptive'; HistoryPath = 'durations.json' }; Names = 'HistoryPath', 'Adaptive' }
            @{ Case = '-Strategy Fixed has -MaxHoldSec'; Parameters = @{ Strategy = 'Fixed'; MaxHoldSec = 5 }; Names = 'MaxHoldSec', 'Fixed' }
            @{ Case = '-Strategy Exponential has -MaxHoldSec'; Parameters = @{ Strategy = 'Exponential'; MaxHoldSec = 5 }; Names = 'MaxHoldSec', 'Exponential' }
            @{ Case = '-Strategy Adaptive has -MaxHoldSec'; Parameters = @{ Strategy = 'Adaptive'; MaxHoldSec = 5 }; Names = 'MaxHoldSec', 'Adaptive' }
            @{ Case = '-Strategy Learned has -MaxHoldSec'; Parameters = @{ Strategy = 'Learned'; MaxHoldSec = 5 }; Names = 'MaxHoldSec', 'Learned' }
        ) {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            $thrown = { Wait-TranslationJob -Uri $uri -JobId $job.Id @Parameters } | Should -Throw -ErrorId 'InvalidWaitParameters,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            foreach ($name in $Names) {
                $thrown.Exception.Message | Should -BeLike "*$name*"
            }
            (Get-ServerJob $uri $job.Id).statusRequests | Should -Be 0 -Because 'the parameters are checked before any request'
        }

        It 'throws InvalidWaitParameters for -BackoffFactor with -Strategy written in lower case (fixed)' {
            $job = New-TranslationJob -Uri $uri -DelaySec 0

            { Wait-TranslationJob -Uri $uri -JobId $job.Id -Strategy fixed -BackoffFactor 2 } | Should -Throw -ErrorId 'InvalidWaitParameters,*'
        }

        It 'names -HistoryPath and the strategy when -Strategy is written in lower case (longpoll)' {
            $thrown = { Wait-TranslationJob -Uri $uri -JobId $done.Id -Strategy longpoll -HistoryPath 'durations.json' } | Should -Throw -ErrorId 'InvalidWaitParameters,*' -PassThru

            $thrown.Exception.Message | Should -BeLike '*-Strategy LongPoll*' -Because 'the message spells the strategy as the help does'
        }

        It 'accepts -MaxInterval equal to -Interval, and the range limits of -BackoffFactor and -Jitter' {
            $results = @(
                Wait-TranslationJob -Uri $uri -JobId $done.Id -Interval 0.5 -MaxInterval 0.5
                Wait-TranslationJob -Uri $uri -JobId $done.Id -BackoffFactor 1 -Jitter 0
                Wait-TranslationJob -Uri $uri -JobId $done.Id -BackoffFactor 100 -Jitter 1
                Wait-TranslationJob -Uri $uri -JobId $done.Id -Strategy Fixed -Interval 0.001 -TimeoutSec 0.001
            )

            @($results.State) | Should -Be @('Completed', 'Completed', 'Completed', 'Completed')
        }
    }

    Context '-Strategy' {
        It 'accepts -Strategy <Name> in any case' -ForEach @(
            @{ Name = 'auto' }, @{ Name = 'LONGPOLL' }, @{ Name = 'adaptive' }, @{ Name = 'Learned' }, @{ Name = 'fixed' }, @{ Name = 'exponential' }
        ) {
            $result = Wait-TranslationJob -Uri $uri -JobId $done.Id -Strategy $Name

            $result.State | Should -Be 'Completed'
        }

        It 'completes -Strategy with the six strategies on Tab' {
            $completions = Get-Completion "Wait-TranslationJob -Uri $uri -Strategy "

            @($completions | Sort-Object) | Should -Be @('Adaptive', 'Auto', 'Exponential', 'Fixed', 'Learned', 'LongPoll')
        }
    }

    Context '-ThrottleLimit and -HoldLimit (counts of checks in flight per server)' {
        It 'rejects -<Parameter> <Value> with a message that gives the allowed range' -ForEach @(
            @{ Parameter = 'ThrottleLimit'; Value = 0; Expected = '*minimum allowed range of 1*' }
            @{ Parameter = 'ThrottleLimit'; Value = -5; Expected = '*minimum allowed range of 1*' }
            @{ Parameter = 'ThrottleLimit'; Value = 100001; Expected = '*maximum allowed range of 100000*' }
            @{ Parameter = 'HoldLimit'; Value = -1; Expected = '*minimum allowed range of 0*' }
            @{ Parameter = 'HoldLimit'; Value = 100001; Expected = '*maximum allowed range of 100000*' }
        ) {
            $arguments = @{ Uri = $uri; JobId = $done.Id; $Parameter = $Value }
            $thrown = { Wait-TranslationJob @arguments } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru

            $thrown.Exception.Message | Should -BeLike "*$Parameter*"
            $thrown.Exception.Message | Should -BeLike $Expected
        }

        It 'accepts -<Parameter> <Low> and <High>' -ForEach @(
            @{ Parameter = 'ThrottleLimit'; Low = 1; High = 100000 }
            @{ Parameter = 'HoldLimit'; Low = 0; High = 100000 } # 0: never hold
        ) {
            $low = @{ $Parameter = $Low }
            $high = @{ $Parameter = $High }
            $results = @(
                Wait-TranslationJob -Uri $uri -JobId $done.Id, $done.Id @low
                Wait-TranslationJob -Uri $uri -JobId $done.Id @high
            )

            @($results.State) | Should -Be @('Completed', 'Completed', 'Completed')
        }
    }

    Context 'white-space job ids' {
        It 'rejects a white-space -JobId as invalid input: at binding, or per id without losing the other ids' {
            $thrown = $null
            try {
                $results = Wait-TranslationJob -Uri $uri -JobId ' ', $done.Id -TimeoutSec 5 -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            catch {
                $thrown = $_
            }

            if ($thrown) {
                $thrown.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            }
            else {
                $results | Should -HaveCount 1
                $failures | Should -HaveCount 1
                [string] $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            }
        }
    }
}

Describe 'New-TranslationJob' {
    Context 'parameter binding' {
        It 'rejects -<Parameter> <Case> with <ErrorId>, naming the parameter, and creates nothing' -ForEach $newJobCases {
            $before = Get-ServerJobCount $uri

            $thrown = { Invoke-WithValue 'New-TranslationJob' @{ Uri = $uri } $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
            Get-ServerJobCount $uri | Should -Be $before
        }

        It 'rejects a fraction just outside the range of -<Parameter>, <Case>, with <ErrorId>' -ForEach $newJobFractionCases {
            $thrown = { Invoke-WithValue 'New-TranslationJob' @{ Uri = $uri } $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
        }
    }

    Context '-Uri' {
        It 'writes InvalidTranslationUri (InvalidArgument) for a <Case> -Uri' -ForEach $uriCases {
            $thrown = { New-TranslationJob -Uri $Value -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTranslationUri,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        }

        It 'stops the command at an object with a bad -Uri (terminating InvalidTranslationUri)' {
            {
                [pscustomobject]@{ Uri = 'localhost:5080' }, [pscustomobject]@{ Uri = $uri } |
                    New-TranslationJob -DelaySec 0 -ErrorAction SilentlyContinue
            } | Should -Throw -ErrorId 'InvalidTranslationUri,VideoTranslation.PowerShell.NewTranslationJobCommand'
        }
    }
}

Describe 'API keys that no HTTP header can carry' {
    AfterEach {
        $env:VIDEOTRANSLATION_API_KEY = $null
    }

    It '<Command> stops with InvalidApiKey (InvalidArgument) before any request for -ApiKey with <Case>' -ForEach @(
        foreach ($command in 'Get-TranslationStatus', 'Wait-TranslationJob', 'New-TranslationJob') {
            foreach ($case in $badKeyCases) { @{ Command = $command; Case = $case.Case; Value = $case.Value } }
        }
    ) {
        $secure = ConvertTo-SecureString -String $Value -AsPlainText -Force
        $arguments = @{ Uri = $uri; ApiKey = $secure }
        if ($Command -ne 'New-TranslationJob') { $arguments['JobId'] = $done.Id }
        $checksBefore = (Get-ServerJob $uri $done.Id).statusRequests
        $jobsBefore = Get-ServerJobCount $uri

        $thrown = { & $Command @arguments } | Should -Throw -ErrorId 'InvalidApiKey,*' -PassThru

        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $thrown.Exception.Message | Should -BeLike 'The API key from -ApiKey is blank or holds control characters*omit -ApiKey for no key. The key is not shown.'
        $thrown.Exception.ToString() | Should -Not -BeLike '*key-Qx7*'
        (Get-ServerJob $uri $done.Id).statusRequests | Should -Be $checksBefore
        Get-ServerJobCount $uri | Should -Be $jobsBefore
    }

    It '<Command> stops with InvalidApiKey naming $env:VIDEOTRANSLATION_API_KEY when it holds <Case>' -ForEach @(
        foreach ($command in 'Get-TranslationStatus', 'Wait-TranslationJob', 'New-TranslationJob') {
            foreach ($case in $badKeyCases) { @{ Command = $command; Case = $case.Case; Value = $case.Value } }
        }
    ) {
        $env:VIDEOTRANSLATION_API_KEY = $Value
        $arguments = @{ Uri = $uri }
        if ($Command -ne 'New-TranslationJob') { $arguments['JobId'] = $done.Id }
        $checksBefore = (Get-ServerJob $uri $done.Id).statusRequests

        $thrown = { & $Command @arguments } | Should -Throw -ErrorId 'InvalidApiKey,*' -PassThru

        $thrown.Exception.Message | Should -BeLike 'The API key from $env:VIDEOTRANSLATION_API_KEY is blank or holds control characters*or to an empty string for no key. The key is not shown.'
        $thrown.TargetObject | Should -Be '$env:VIDEOTRANSLATION_API_KEY'
        $thrown.Exception.ToString() | Should -Not -BeLike '*key-Qx7*'
        (Get-ServerJob $uri $done.Id).statusRequests | Should -Be $checksBefore
    }

    It 'takes an empty $env:VIDEOTRANSLATION_API_KEY as no key' {
        $env:VIDEOTRANSLATION_API_KEY = ''

        (Get-TranslationStatus -Uri $uri -JobId $done.Id).State | Should -Be 'Completed'
    }

    It 'ignores -AllowUnencryptedApiKey without a key, over loopback' {
        (Get-TranslationStatus -Uri $uri -JobId $done.Id -AllowUnencryptedApiKey).State | Should -Be 'Completed'
    }

    It 'Start-TranslationSimulator stops with InvalidApiKey for -ApiKey with <Case>, and starts nothing' -ForEach $badKeyCases {
        $marker = Get-Random -Minimum 1000000 -Maximum ([int]::MaxValue)
        $secure = ConvertTo-SecureString -String $Value -AsPlainText -Force

        $thrown = { Start-TranslationSimulator -ApiKey $secure -Seed $marker } | Should -Throw -ErrorId 'InvalidApiKey,*' -PassThru

        $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $thrown.Exception.Message | Should -BeLike 'The API key from -ApiKey is blank or holds control characters*'
        @(Get-TranslationSimulator | Where-Object { $_.Settings['seed'] -eq [string] $marker }) | Should -BeNullOrEmpty
    }

    It 'Start-TranslationSimulator checks the key under -WhatIf too' {
        $secure = ConvertTo-SecureString -String '  ' -AsPlainText -Force

        { Start-TranslationSimulator -ApiKey $secure -WhatIf } | Should -Throw -ErrorId 'InvalidApiKey,*'
    }
}

Describe 'Start-TranslationSimulator' {
    BeforeAll {
        function Stop-Marked ([int] $Marker) {
            # Stops (and returns) any simulator that a refused start wrongly left running.
            Get-TranslationSimulator | Where-Object { $_.Settings['seed'] -eq [string] $Marker } | ForEach-Object {
                $_
                $_ | Stop-TranslationSimulator
            }
        }
    }

    Context 'parameter binding' {
        It 'rejects -<Parameter> <Case> with <ErrorId>, naming the parameter' -ForEach $startCases {
            $thrown = { Invoke-WithValue 'Start-TranslationSimulator' @{ WhatIf = $true } $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
        }

        It 'rejects a fraction just outside the range of -<Parameter>, <Case>, with <ErrorId>' -ForEach $startFractionCases {
            $thrown = { Invoke-WithValue 'Start-TranslationSimulator' @{ WhatIf = $true } $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
        }
    }

    Context 'parameters of another model' {
        It 'throws InvalidSimulatorParameters (InvalidArgument) naming -<Wrong> with the <Model>, and starts nothing' -ForEach $otherModelCases {
            $marker = Get-Random -Minimum 1000000 -Maximum ([int]::MaxValue)

            $thrown = { Start-TranslationSimulator @Parameters -Seed $marker } | Should -Throw -ErrorId 'InvalidSimulatorParameters,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $thrown.TargetObject | Should -Be $Wrong
            $thrown.Exception.Message | Should -BeLike "-$Wrong *"
            Stop-Marked $marker | Should -BeNullOrEmpty
        }
    }
}

Describe 'Stop-TranslationSimulator' {
    Context 'parameter binding' {
        It 'rejects -<Parameter> <Case> with <ErrorId>' -ForEach @(
            New-Case 'InputObject' 'null' $null
            New-Case 'InputObject' 'an empty array' @() 'ParameterArgumentValidationError'
            New-Case 'InputObject' 'of the wrong type' 'http://127.0.0.1:1/' 'CannotConvertArgumentNoMessage'
            New-Case 'ProcessId' 'null' $null 'ParameterArgumentValidationErrorNullNotAllowed'
            New-Case 'ProcessId' 'an empty array' @() 'ParameterArgumentValidationErrorEmptyArrayNotAllowed'
            New-Case 'ProcessId' 'of the wrong type' 'simulator' 'CannotConvertArgumentNoMessage'
        ) {
            $thrown = { Invoke-WithValue 'Stop-TranslationSimulator' @{} $Parameter $Value } | Should -Throw -ErrorId "$ErrorId,*" -PassThru

            Assert-ClearMessage $thrown $Parameter $Case
            $sim.IsRunning | Should -BeTrue
        }

        It 'writes SimulatorNotFound (ObjectNotFound) naming the id for -ProcessId <Case>' -ForEach @(
            @{ Case = 'zero'; Value = 0 }, @{ Case = 'negative'; Value = -5 }, @{ Case = 'huge (int.MaxValue)'; Value = [int]::MaxValue }
        ) {
            $thrown = { Stop-TranslationSimulator -ProcessId $Value -ErrorAction Stop } | Should -Throw -ErrorId 'SimulatorNotFound,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $thrown.Exception.Message | Should -BeLike "*process id $Value.*Get-TranslationSimulator*"
            $sim.IsRunning | Should -BeTrue
        }

        It 'rejects -InputObject and -ProcessId together (AmbiguousParameterSet)' {
            { Stop-TranslationSimulator -InputObject $sim -ProcessId $sim.ProcessId } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
            $sim.IsRunning | Should -BeTrue
        }

        It 'fails with SimulatorNotSpecified when given no simulator, -ProcessId or -All (it never prompts)' {
            # In a runspace of its own (no interactive host), as before -InputObject stopped being mandatory.
            $errors = (Invoke-InNewRunspace 'Stop-TranslationSimulator').Errors

            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'SimulatorNotSpecified,*'
            $sim.IsRunning | Should -BeTrue
        }
    }
}

Describe 'Get-TranslationSimulator' {
    Context 'parameter binding' {
        It 'takes no parameters (NamedParameterNotFound)' {
            { Get-TranslationSimulator -Name 'sim' } | Should -Throw -ErrorId 'NamedParameterNotFound,*'
        }
    }
}
