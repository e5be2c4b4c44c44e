# Pester 5 tests of Start-, Get- and Stop-TranslationSimulator on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH,
# see Module.Tests.ps1). They start real simulator processes (dotnet + Kestrel); every one is stopped by its test.
# The simulator registry is per PROCESS, and Invoke-Pester runs every file in one process: simulators that other files
# (or background runspaces) started may be listed too. So no test here counts Get-TranslationSimulator's whole list: a
# test marks what it starts (a -Seed nobody else uses) or compares by ProcessId.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    # Error probability 1: a job this simulator draws ends in error, which shows the error model reached it.
    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -ErrorModel Fixed -ErrorProbability 1 -ErrorAction Stop

    function New-Marker {
        # A seed no other test uses, to recognise what a test started.
        Get-Random -Minimum 1000000 -Maximum ([int]::MaxValue)
    }

    function Get-MarkedSimulator ([int] $Marker) {
        # Registered simulators and any simulator process at all that carry the marker seed.
        @(Get-TranslationSimulator | Where-Object { $_.Settings['seed'] -eq [string] $Marker })
        @(Get-Process -Name dotnet -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*VideoTranslation.Simulator.dll*--seed $Marker *" })
    }

    function Test-ProcessGone ([int] $ProcessId, [double] $TimeoutSec = 5) {
        # True as soon as the process is gone, false if it is still there after $TimeoutSec.
        Wait-Until { $null -eq (Get-Process -Id $ProcessId -ErrorAction SilentlyContinue) } $TimeoutSec
    }

    function Test-Answers ($Simulator) {
        try {
            $null = Invoke-RestMethod -Uri "$($Simulator.Uri)health" -TimeoutSec 5
            $true
        }
        catch {
            $false
        }
    }
}

AfterAll {
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'Start-TranslationSimulator' {
    Context 'a started simulator' {
        It 'returns an object with Uri, ProcessId and settings once the simulator answers' {
            $sim | Should -BeOfType ([VideoTranslation.PowerShell.TranslationSimulator])
            $sim.Uri.IsAbsoluteUri | Should -BeTrue
            $sim.Uri.Scheme | Should -Be 'http'
            $sim.Uri.Host | Should -Be '127.0.0.1'
            $sim.Uri.Port | Should -BeGreaterThan 0
            $sim.IsRunning | Should -BeTrue
            $sim.DelayModel | Should -Be 'Fixed'
            $sim.Settings['delay'] | Should -Be '0.3'
            $sim.Settings['error-probability'] | Should -Be '1'
            $sim.StartTime | Should -BeLessOrEqual ([datetimeoffset]::Now)
            (Get-Process -Id $sim.ProcessId).Id | Should -Be $sim.ProcessId
            (Invoke-RestMethod -Uri "$($sim.Uri)health").status | Should -Be 'healthy'
            $sim.ApiKeyRequired | Should -BeFalse -Because 'it was started without -ApiKey'
            (Invoke-RestMethod -Uri "$($sim.Uri)capabilities").apiKeyRequired | Should -BeFalse
        }

        It 'serves the /status job and new jobs with the delay and error models it was given (Fixed)' {
            $startup = Get-ServerJob $sim.Uri 'default'
            $drawn = Get-ServerJob $sim.Uri (New-TranslationJob -Uri $sim.Uri).Id

            foreach ($job in $startup, $drawn) {
                $job.delaySeconds | Should -Be 0.3
                $job.outcome | Should -Be 'error'
                $job.errorProbability | Should -Be 1
            }
        }
    }

    Context '-WhatIf' {
        It 'starts nothing with -WhatIf' {
            $marker = New-Marker

            $result = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -Seed $marker -WhatIf

            $result | Should -BeNullOrEmpty
            Get-MarkedSimulator $marker | Should -BeNullOrEmpty
        }
    }

    Context '-Port' {
        It 'listens on the free port given with -Port, and says so with -Verbose' {
            $port = Get-FreePort

            $all = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -Port $port -StartTimeoutSec 60 -Verbose 4>&1
            $onPort = @($all | Where-Object { $_ -is [VideoTranslation.PowerShell.TranslationSimulator] })
            try {
                $onPort | Should -HaveCount 1
                $onPort[0].Uri.Port | Should -Be $port
                $onPort[0].Settings['port'] | Should -Be ([string] $port)
                (Invoke-RestMethod -Uri "http://127.0.0.1:$port/health").status | Should -Be 'healthy'
                $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
                @($verbose | Where-Object Message -Like "Simulator $($onPort[0].ProcessId) is listening on http://127.0.0.1:$port/*") | Should -HaveCount 1
            }
            finally {
                $onPort | Stop-TranslationSimulator
            }
        }

        It 'fails with SimulatorStartFailed (ResourceUnavailable) when the port is taken, leaving nothing running' {
            $marker = New-Marker

            $thrown = { Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -Port $sim.Uri.Port -Seed $marker } |
                Should -Throw -ErrorId 'SimulatorStartFailed,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceUnavailable)
            $thrown.Exception.Message | Should -BeLike "*$($sim.Uri.Port)*"
            Get-MarkedSimulator $marker | Should -BeNullOrEmpty
            $sim.IsRunning | Should -BeTrue
        }
    }

    Context 'seeds, delay models and error models' {
        BeforeAll {
            $seed = New-Marker
            $uniform = @{ DelayModel = 'Uniform'; MinDelaySec = 0.1; MaxDelaySec = 5 }
            $first = Start-TranslationSimulator @uniform -Seed $seed
            $second = Start-TranslationSimulator @uniform -Seed $seed
            $other = Start-TranslationSimulator @uniform -Seed ($seed - 1) -ErrorModel Uniform -MinErrorProbability 1 -MaxErrorProbability 1
            $gaussian = Start-TranslationSimulator -DelayModel Gaussian -MeanDelaySec 0.25 -DelayStdDevSec 0 -ErrorModel Gaussian -MeanErrorProbability 1 -ErrorProbabilityStdDev 0 -NoHints -NoLongPoll
            $ungrouped = Start-TranslationSimulator @uniform -NoGroupLongPoll

            function Get-DrawnDelay ($Simulator) {
                # The startup job, then three jobs whose delays the simulator draws.
                (Get-ServerJob $Simulator.Uri 'default').delaySeconds
                foreach ($job in (New-TranslationJob -Uri $Simulator.Uri -Count 3)) {
                    (Get-ServerJob $Simulator.Uri $job.Id).delaySeconds
                }
            }
        }

        AfterAll {
            $first, $second, $other, $gaussian, $ungrouped | Where-Object { $_ } | Stop-TranslationSimulator
        }

        It 'draws the same job delays for the same -Seed' {
            $firstDelays = @(Get-DrawnDelay $first)
            $secondDelays = @(Get-DrawnDelay $second)

            $firstDelays | Should -HaveCount 4
            @($firstDelays | Select-Object -Unique).Count | Should -BeGreaterThan 1 -Because 'the delays are drawn, not fixed'
            $secondDelays | Should -Be $firstDelays
        }

        It 'draws other delays for another -Seed' {
            @(Get-DrawnDelay $other) | Should -Not -Be @(Get-DrawnDelay $first)
        }

        It 'draws delays between -MinDelaySec and -MaxDelaySec with -DelayModel Uniform' {
            foreach ($delay in (Get-DrawnDelay $other)) {
                $delay | Should -BeGreaterOrEqual 0.1
                $delay | Should -BeLessOrEqual 5
            }
        }

        It 'uses -MeanDelaySec with -DelayModel Gaussian and -DelayStdDevSec 0' {
            $job = New-TranslationJob -Uri $gaussian.Uri

            (Get-ServerJob $gaussian.Uri $job.Id).delaySeconds | Should -Be 0.25
            (Get-ServerJob $gaussian.Uri 'default').delaySeconds | Should -Be 0.25
        }

        It 'ends every job in error with error probability 1 in the <Model> error model' -ForEach @(
            @{ Model = 'Uniform'; Name = 'other' }
            @{ Model = 'Gaussian'; Name = 'gaussian' }
        ) {
            $simulator = Get-Variable -Name $Name -ValueOnly
            $jobs = New-TranslationJob -Uri $simulator.Uri -Count 2

            foreach ($job in $jobs) {
                $server = Get-ServerJob $simulator.Uri $job.Id
                $server.outcome | Should -Be 'error'
                $server.errorProbability | Should -Be 1
            }
        }

        It 'ends no job in error with the default error model' {
            $jobs = New-TranslationJob -Uri $first.Uri -Count 2

            foreach ($job in $jobs) {
                (Get-ServerJob $first.Uri $job.Id).outcome | Should -Be 'completed'
            }
        }

        It 'turns long-poll off with -NoLongPoll, and leaves it on without it' {
            $off = Invoke-RestMethod -Uri "$($gaussian.Uri)capabilities"
            $on = Invoke-RestMethod -Uri "$($first.Uri)capabilities"
            $unheld = Get-TranslationStatus -Uri $gaussian.Uri -JobId (New-TranslationJob -Uri $gaussian.Uri -DelaySec 30).Id
            $offered = Get-TranslationStatus -Uri $first.Uri -JobId (New-TranslationJob -Uri $first.Uri -DelaySec 30).Id

            $gaussian.Settings['long-poll'] | Should -Be 'false'
            $first.Settings.ContainsKey('long-poll') | Should -BeFalse
            $off.longPoll | Should -BeFalse
            $on.longPoll | Should -BeTrue
            $unheld.LongPollLimit | Should -BeNullOrEmpty -Because 'a server without long-poll sends no X-Long-Poll-Max'
            $offered.LongPollLimit | Should -Be ([timespan]::FromSeconds(60))
        }

        It 'turns group long-poll off with -NoGroupLongPoll (long-poll stays on), and leaves it on without it' {
            $off = Invoke-RestMethod -Uri "$($ungrouped.Uri)capabilities"
            $on = Invoke-RestMethod -Uri "$($first.Uri)capabilities"
            $job = New-TranslationJob -Uri $ungrouped.Uri -DelaySec 0
            $body = @{ ids = @($job.Id); wait = 1 } | ConvertTo-Json

            $ungrouped.Settings['group-long-poll'] | Should -Be 'false'
            $first.Settings.ContainsKey('group-long-poll') | Should -BeFalse
            $off.longPoll | Should -BeTrue
            $off.groupLongPoll | Should -BeNullOrEmpty
            $on.groupLongPoll.maxIds | Should -Be 500
            { Invoke-RestMethod -Method Post -Uri "$($ungrouped.Uri)jobs/status" -Body $body -ContentType 'application/json' } |
                Should -Throw -ExceptionType ([Microsoft.PowerShell.Commands.HttpResponseException])
            (Invoke-RestMethod -Method Post -Uri "$($first.Uri)jobs/status" -Body (@{ ids = @((New-TranslationJob -Uri $first.Uri -DelaySec 0).Id) } | ConvertTo-Json) -ContentType 'application/json').jobs |
                Should -HaveCount 1
        }

        It 'sends no progress, ETA or Retry-After with -NoHints, and sends them without it' {
            $quiet = Get-TranslationStatus -Uri $gaussian.Uri -JobId (New-TranslationJob -Uri $gaussian.Uri -DelaySec 30).Id
            $hinted = Get-TranslationStatus -Uri $first.Uri -JobId (New-TranslationJob -Uri $first.Uri -DelaySec 30).Id

            $quiet.State | Should -Be 'Pending'
            $quiet.Progress | Should -BeNullOrEmpty
            $quiet.EstimatedTimeRemaining | Should -BeNullOrEmpty
            $quiet.RetryAfter | Should -BeNullOrEmpty
            $hinted.State | Should -Be 'Pending'
            $hinted.Progress | Should -Not -BeNullOrEmpty
            $hinted.EstimatedTimeRemaining | Should -Not -BeNullOrEmpty
            $hinted.RetryAfter | Should -Not -BeNullOrEmpty
        }
    }

    Context 'settings the simulator rejects' {
        It 'fails with SimulatorStartFailed (InvalidArgument) naming the setting when -MinDelaySec is above -MaxDelaySec' {
            $marker = New-Marker

            $thrown = { Start-TranslationSimulator -DelayModel Uniform -MinDelaySec 5 -MaxDelaySec 1 -Seed $marker } |
                Should -Throw -ErrorId 'SimulatorStartFailed,*' -PassThru

            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $thrown.Exception.Message | Should -BeLike '*Delay:Min (5) is greater than Delay:Max (1)*'
            Get-MarkedSimulator $marker | Should -BeNullOrEmpty
        }
    }

    Context 'the runspace that started it' {
        It 'stops a simulator when the runspace that started it closes, and only that one' {
            $run = Start-InNewRunspace 'Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3 -ErrorAction Stop'
            try {
                $null = $run.PowerShell.EndInvoke($run.Handle)
                $nested = @($run.Output)
                $nested | Should -HaveCount 1
                $nestedPid = $nested[0].ProcessId
                Get-Process -Id $nestedPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
            }
            finally {
                $run.PowerShell.Dispose() # closes the runspace it created
            }

            Test-ProcessGone $nestedPid | Should -BeTrue -Because 'the simulator of a closed runspace must not outlive it'
            @(Get-TranslationSimulator).ProcessId | Should -Not -Contain $nestedPid
            $sim.IsRunning | Should -BeTrue -Because 'a simulator of this runspace is not touched'
            Test-Answers $sim | Should -BeTrue
        }
    }
}

Describe 'a simulator and the terminal''s Ctrl+C' {
    # A terminal's Ctrl+C is SIGINT to its whole foreground process group, and a simulator is a child of pwsh, so it is
    # in that group. Here a child pwsh in a session (and process group) of its own, started with setsid, stands in for
    # the interactive one; tests/Interactive.Tests.ps1 does the same in a real terminal (tmux).
    BeforeAll {
        $skipReason = if ($IsWindows) { 'POSIX process groups and signals' }
                      elseif (-not (Get-Command setsid -CommandType Application -ErrorAction Ignore)) { 'setsid (util-linux) is not installed' }
                      elseif (-not (Get-Command kill -CommandType Application -ErrorAction Ignore)) { 'kill (procps) is not installed' }
    }

    It 'keeps answering when the process group of the pwsh that started it gets SIGINT, and exits when that pwsh does' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }

        # [Console]::In.ReadLine() is a .NET call: the pipeline stop that SIGINT asks for waits until it returns, so this
        # pwsh lives on until the test closes its stdin, and then exits, which ends the simulator through its parent watch.
        $script = @'
Import-Module $env:VIDEOTRANSLATION_MODULE_PATH -ErrorAction Stop
$sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 6 -ErrorAction Stop
"$($sim.ProcessId) $($sim.Uri)"
$null = [Console]::In.ReadLine()
'@
        $info = [System.Diagnostics.ProcessStartInfo]::new('setsid')
        $info.ArgumentList.Add([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -ne 'pwsh') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $script) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $info.Environment['VIDEOTRANSLATION_MODULE_PATH'] = Get-BuiltModulePath
        $child = [System.Diagnostics.Process]::Start($info)
        try {
            $line = $child.StandardOutput.ReadLineAsync()
            $line.Wait([timespan]::FromSeconds(60)) | Should -BeTrue -Because 'the child pwsh prints its simulator''s pid and Uri once it runs'
            $simPid, $simUri = $line.Result -split ' '
            $simProcess = Get-Process -Id $simPid
            $group = [int] (ps -o pgid= -p $child.Id)
            $group | Should -Be $child.Id -Because 'setsid made the child pwsh the leader of a process group of its own'
            [int] (ps -o pgid= -p $simPid) | Should -Be $group -Because 'the simulator is in that group, as it is in a terminal''s'

            kill -INT -- "-$group"
            $LASTEXITCODE | Should -Be 0

            # A simulator that takes the signal ends within milliseconds; half a second is generous.
            $simProcess.WaitForExit(500) | Should -BeFalse -Because 'Ctrl+C meant for a command must not stop the simulator'
            (Invoke-RestMethod -Uri "${simUri}health" -TimeoutSec 10).status | Should -Be 'healthy'
            $child.HasExited | Should -BeFalse -Because 'the child pwsh is still in ReadLine'

            $child.StandardInput.Close()
            $child.WaitForExit(30000) | Should -BeTrue
            Test-ProcessGone $simPid 20 | Should -BeTrue -Because 'a simulator exits when the pwsh that started it does (--parent-pid)'
        }
        finally {
            if (-not $child.HasExited) { $child.Kill($true) }
            $child.Dispose()
            if ($simPid) { Stop-Process -Id $simPid -Force -ErrorAction Ignore }
        }
    }
}

Describe 'Get-TranslationSimulator' {
    It 'lists the running simulators started in this session' {
        $listed = @(Get-TranslationSimulator)

        $listed.ProcessId | Should -Contain $sim.ProcessId
        foreach ($simulator in $listed) {
            $simulator | Should -BeOfType ([VideoTranslation.PowerShell.TranslationSimulator])
            $simulator.IsRunning | Should -BeTrue
        }
    }

    It 'no longer lists a simulator whose process has exited' {
        $short = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3
        @(Get-TranslationSimulator).ProcessId | Should -Contain $short.ProcessId

        Stop-Process -Id $short.ProcessId -Force
        Test-ProcessGone $short.ProcessId | Should -BeTrue

        @(Get-TranslationSimulator).ProcessId | Should -Not -Contain $short.ProcessId
    }
}

Describe 'Stop-TranslationSimulator' {
    It 'stops the simulators piped in' {
        $a = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3
        $b = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        $output = $a, $b | Stop-TranslationSimulator

        $output | Should -BeNullOrEmpty
        foreach ($stopped in $a, $b) {
            Test-ProcessGone $stopped.ProcessId | Should -BeTrue
            $stopped.IsRunning | Should -BeFalse
            Test-Answers $stopped | Should -BeFalse
            @(Get-TranslationSimulator).ProcessId | Should -Not -Contain $stopped.ProcessId
        }
    }

    It 'stops the simulator given by position' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        Stop-TranslationSimulator $one

        Test-ProcessGone $one.ProcessId | Should -BeTrue
    }

    It 'stops the simulator Get-TranslationSimulator pipes in' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        Get-TranslationSimulator | Where-Object ProcessId -EQ $one.ProcessId | Stop-TranslationSimulator

        Test-ProcessGone $one.ProcessId | Should -BeTrue
    }

    It 'takes ProcessId by property name from any object on the pipeline' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        [pscustomobject]@{ ProcessId = $one.ProcessId } | Stop-TranslationSimulator

        Test-ProcessGone $one.ProcessId | Should -BeTrue
    }

    It 'stops the simulators given by -ProcessId, writing SimulatorNotFound (ObjectNotFound) for an id that is not one' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        Stop-TranslationSimulator -ProcessId $PID, $one.ProcessId -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'SimulatorNotFound,VideoTranslation.PowerShell.StopTranslationSimulatorCommand'
        $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        $failures[0].TargetObject | Should -Be $PID
        Get-Process -Id $PID | Should -Not -BeNullOrEmpty -Because 'a process that is not a simulator is never touched'
        Test-ProcessGone $one.ProcessId | Should -BeTrue
        @(Get-TranslationSimulator).ProcessId | Should -Not -Contain $one.ProcessId
    }

    It 'throws SimulatorNotFound for an unknown -ProcessId with -ErrorAction Stop' {
        { Stop-TranslationSimulator -ProcessId $PID -ErrorAction Stop } | Should -Throw -ErrorId 'SimulatorNotFound,*'
    }

    It 'leaves the simulator running with -WhatIf' {
        $sim | Stop-TranslationSimulator -WhatIf
        Stop-TranslationSimulator -ProcessId $sim.ProcessId -WhatIf

        $sim.IsRunning | Should -BeTrue
        Test-Answers $sim | Should -BeTrue
        @(Get-TranslationSimulator).ProcessId | Should -Contain $sim.ProcessId
    }

    It 'writes the simulators it stopped with -PassThru, and none with -WhatIf' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        $one | Stop-TranslationSimulator -PassThru -WhatIf | Should -BeNullOrEmpty
        $one.IsRunning | Should -BeTrue
        $stopped = @($one | Stop-TranslationSimulator -PassThru)

        $stopped | Should -HaveCount 1
        $stopped[0] | Should -BeOfType ([VideoTranslation.PowerShell.TranslationSimulator])
        $stopped[0].ProcessId | Should -Be $one.ProcessId
        $stopped[0].IsRunning | Should -BeFalse
    }

    It 'fails with SimulatorNotSpecified (InvalidArgument) when given no simulator, instead of prompting for InputObject[0]' {
        $failure = { Stop-TranslationSimulator } | Should -Throw -ErrorId 'SimulatorNotSpecified,*' -PassThru

        $failure.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $failure.Exception.Message | Should -BeLike '*-All*'
        $sim.IsRunning | Should -BeTrue
    }

    It 'stops nothing and says nothing when the pipeline brings no simulator' {
        @() | Stop-TranslationSimulator -ErrorVariable failures
        Get-TranslationSimulator | Where-Object { $false } | Stop-TranslationSimulator -ErrorVariable +failures

        $failures | Should -BeNullOrEmpty
        $sim.IsRunning | Should -BeTrue
    }
}

Describe 'about_VideoTranslation: testing your own automation with Pester' {
    It 'runs the example of the about topic as a Pester file of its own, and both of its tests pass' {
        # The example is the first block indented 8 spaces after the section's heading, up to the next less indented text.
        $about = Get-Content (Join-Path (Get-BuiltModulePath) 'en-US/about_VideoTranslation.help.txt')
        $heading = [array]::IndexOf($about, '  TESTING YOUR OWN AUTOMATION WITH PESTER')
        $heading | Should -BeGreaterThan 0 -Because 'the about topic has the section'
        $example = foreach ($line in $about[($heading + 1)..($about.Count - 1)]) {
            if ($line -match '^        ') { $inBlock = $true; $line.Substring(8) }
            elseif ($line -match '^\s*$') { if ($inBlock) { '' } }
            elseif ($inBlock) { break }
        }
        ($example -join "`n") | Should -Match "-ErrorId 'TranslationWaitTimedOut,\*'"
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('vtps-about-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $file = Join-Path $folder 'MyAutomation.Tests.ps1'
        Set-Content -Path $file -Value $example
        $savedModulePath = $env:PSModulePath
        # As a user has it: Import-Module VideoTranslation finds the module by name.
        $env:PSModulePath = (Split-Path (Get-BuiltModulePath)) + [IO.Path]::PathSeparator + $savedModulePath
        try {
            # Pester in a runspace of its own, so this run's state is not the nested run's.
            $nested = Invoke-InNewRunspace -Script 'param($Pester, $File) Import-Module $Pester; Invoke-Pester -Path $File -PassThru -Output None' -Parameters @{
                Pester = (Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'); File = $file }
        }
        finally {
            $env:PSModulePath = $savedModulePath
            Remove-Item -Recurse -Force $folder
        }

        $nested.Errors | Should -BeNullOrEmpty
        $run = $nested.Output | Where-Object { $_.PSObject.TypeNames -contains 'Pester.Run' }
        $run.FailedCount | Should -Be 0 -Because ($run.Failed.ErrorRecord | Out-String)
        $run.PassedCount | Should -Be 2
    }
}

# -All stops every simulator of this PowerShell process, the file's own $sim too: it runs last.
Describe 'Stop-TranslationSimulator -All' {
    It 'leaves every simulator running with -WhatIf, then stops all that Get-TranslationSimulator lists, writing them with -PassThru' {
        $one = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0.3

        Stop-TranslationSimulator -All -WhatIf -PassThru | Should -BeNullOrEmpty
        $one.IsRunning, $sim.IsRunning | Should -Be $true, $true

        $stopped = @(Stop-TranslationSimulator -All -PassThru)

        $stopped.ProcessId | Should -Contain $one.ProcessId
        $stopped.ProcessId | Should -Contain $sim.ProcessId
        foreach ($simulator in $stopped) { $simulator.IsRunning | Should -BeFalse }
        @(Get-TranslationSimulator) | Should -BeNullOrEmpty
        Test-Answers $one | Should -BeFalse
    }
}
