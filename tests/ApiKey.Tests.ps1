# Pester 5 tests of the API key in the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH, see Module.Tests.ps1):
# -ApiKey (a SecureString) or $env:VIDEOTRANSLATION_API_KEY reaches the server as X-Api-Key; over plain http to a host
# that is not loopback it is refused before anything is sent (ApiKeyRequiresHttps) unless -AllowUnencryptedApiKey;
# Start-TranslationSimulator -ApiKey hands the key to the simulator in its environment, never on its command line;
# and the key appears NOWHERE: every cmdlet is run with a distinctive key, -Verbose and -Debug, in a runspace whose
# host records every line it is given (-WhatIf text, progress), and everything is captured — all streams merged
# (*>&1), -ErrorVariable, -WarningVariable, -InformationVariable, -OutVariable, $Error, the progress records, the
# output objects (ToString, Out-String, ConvertTo-Json -Depth 5) and each error record's exception text, target
# object and details — for a success, a 401 (wrong key) and a transport failure.
BeforeDiscovery {
    # Each cmdlet that talks to a server, with what its arguments are when it succeeds.
    $clientCommands = @(
        @{ Command = 'Get-TranslationStatus' }
        @{ Command = 'Wait-TranslationJob' }
        @{ Command = 'New-TranslationJob' }
    )
    $leakCases = foreach ($command in $clientCommands) {
        foreach ($source in '-ApiKey', '$env:VIDEOTRANSLATION_API_KEY') {
            foreach ($outcome in 'success', '401 (wrong key)', 'transport failure', 'refusal over plain http') {
                @{ Command = $command.Command; Source = $source; Outcome = $outcome }
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop

    # Distinctive keys: a match anywhere can only be a leak. Built on separate lines from the commands, so no command
    # line that an error record quotes (InvocationInfo.Line) holds them.
    $plainKey = "vtkey-RIGHT-$([guid]::NewGuid().ToString('N'))"
    $plainWrongKey = "vtkey-WRONG-$([guid]::NewGuid().ToString('N'))"
    $key = ConvertTo-SecureString -String $plainKey -AsPlainText -Force
    $wrongKey = ConvertTo-SecureString -String $plainWrongKey -AsPlainText -Force
    $savedEnvironmentKey = $env:VIDEOTRANSLATION_API_KEY
    $env:VIDEOTRANSLATION_API_KEY = $null

    $sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 0 -NoHints -ApiKey $key -ErrorAction Stop
    $uri = $sim.Uri
    $adminHeaders = @{ 'X-Api-Key' = $plainKey }

    $closedUri = "http://127.0.0.1:$(Get-FreePort)/"

    # A host that keeps every line it is given: -WhatIf text, Write-Host, progress, and the streams it is shown.
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace VideoTranslationTests
{
    public sealed class RecordingHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly RecordingHostUI _ui = new RecordingHostUI();
        public string[] TakeLines() { return _ui.Take(); }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override Guid InstanceId { get { return _id; } }
        public override string Name { get { return "RecordingHost"; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override void EnterNestedPrompt() { throw new NotSupportedException(); }
        public override void ExitNestedPrompt() { throw new NotSupportedException(); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    public sealed class RecordingHostUI : PSHostUserInterface
    {
        private readonly List<string> _lines = new List<string>();
        private void Add(string line) { lock (_lines) { _lines.Add(line); } }
        public string[] Take() { lock (_lines) { string[] all = _lines.ToArray(); _lines.Clear(); return all; } }
        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new NotSupportedException(); }
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new NotSupportedException(); }
        public override string ReadLine() { throw new NotSupportedException(); }
        public override SecureString ReadLineAsSecureString() { throw new NotSupportedException(); }
        public override void Write(string value) { Add(value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Add(value); }
        public override void WriteDebugLine(string message) { Add("DEBUG: " + message); }
        public override void WriteErrorLine(string value) { Add("ERROR: " + value); }
        public override void WriteLine(string value) { Add(value); }
        public override void WriteProgress(long sourceId, ProgressRecord record) { Add("PROGRESS: " + record.Activity + " | " + record.StatusDescription + " | " + record.CurrentOperation); }
        public override void WriteVerboseLine(string message) { Add("VERBOSE: " + message); }
        public override void WriteWarningLine(string message) { Add("WARNING: " + message); }
        public override void WriteInformation(InformationRecord record) { Add("INFORMATION: " + record); }
    }
}
'@
    $recordingHost = [VideoTranslationTests.RecordingHost]::new()
    $recorded = New-ModuleRunspace $recordingHost

    # Runs one command in the recording runspace with -Verbose -Debug and every preference on, and returns all that
    # came out of it. The key reaches the command only inside $Arguments (splatted), never as script text.
    $captureScript = {
        param([string] $Command, [hashtable] $Arguments, [switch] $NoCommonSwitches)
        $Error.Clear()
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $InformationPreference = 'Continue'
        $WarningPreference = 'Continue'
        $ProgressPreference = 'Continue'
        $merged = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        $ev = $wv = $iv = $ov = $null
        if (-not $NoCommonSwitches) {
            $Arguments = $Arguments.Clone()
            $Arguments['Verbose'] = $true
            $Arguments['Debug'] = $true
        }
        try {
            & $Command @Arguments -ErrorVariable ev -WarningVariable wv -InformationVariable iv -OutVariable ov *>&1 | ForEach-Object { $merged.Add($_) }
        }
        catch {
            $caught = $_
        }
        [pscustomobject]@{
            Merged              = $merged.ToArray()
            ErrorVariable       = @($ev | Where-Object { $_ })
            WarningVariable     = @($wv | Where-Object { $_ })
            InformationVariable = @($iv | Where-Object { $_ })
            OutVariable         = @($ov | Where-Object { $_ })
            Errors              = @($Error)
            Caught              = $caught
        }
    }.ToString()

    function Invoke-Captured ([string] $Command, [hashtable] $Arguments, [switch] $NoCommonSwitches) {
        $null = $recordingHost.TakeLines()
        $ps = [powershell]::Create()
        try {
            $ps.Runspace = $recorded
            $null = $ps.AddScript($captureScript).AddArgument($Command).AddArgument($Arguments).AddParameter('NoCommonSwitches', $NoCommonSwitches.IsPresent)
            $result = @($ps.Invoke())[0]
            $records = [System.Management.Automation.ErrorRecord], [System.Management.Automation.InformationalRecord], [System.Management.Automation.InformationRecord]
            [pscustomobject]@{
                Output              = @($result.Merged | Where-Object { $item = $_; -not ($records | Where-Object { $item -is $_ }) })
                Merged              = @($result.Merged)
                ErrorVariable       = @($result.ErrorVariable)
                WarningVariable     = @($result.WarningVariable)
                InformationVariable = @($result.InformationVariable)
                OutVariable         = @($result.OutVariable)
                Errors              = @($result.Errors)
                Caught              = $result.Caught
                Progress            = @($ps.Streams.Progress)
                Streams             = @($ps.Streams.Error) + @($ps.Streams.Verbose) + @($ps.Streams.Debug) + @($ps.Streams.Warning) + @($ps.Streams.Information)
                HostLines           = @($recordingHost.TakeLines())
            }
        }
        finally {
            $ps.Dispose()
        }
    }

    # Every text a user or a log could see of an object.
    function ConvertTo-LeakText ($Item) {
        if ($null -eq $Item) { return }
        $base = if ($Item -is [psobject]) { $Item.PSObject.BaseObject } else { $Item }
        [string] $Item
        $base.ToString()
        $Item | Out-String -Width 1000
        if ($base -is [System.Exception]) {
            # -ErrorVariable keeps a terminating error as the exception that carries its record.
            $base.ToString()
            for ($exception = $base; $exception; $exception = $exception.InnerException) {
                $exception | Format-List * -Force | Out-String -Width 1000
            }
            if ($base -is [System.Management.Automation.IContainsErrorRecord]) { ConvertTo-LeakText $base.ErrorRecord }
        }
        elseif ($base -is [System.Management.Automation.ErrorRecord]) {
            # Every exception of the chain with all its properties (status code, body excerpt, URL, last status, ...).
            $base.Exception.ToString()
            for ($exception = $base.Exception; $exception; $exception = $exception.InnerException) {
                $exception | Format-List * -Force | Out-String -Width 1000
                if ($exception.PSObject.Properties['LastStatus'] -and $exception.LastStatus) { $exception.LastStatus | ConvertTo-Json -Depth 5 -Compress -WarningAction Ignore }
            }
            [string] $base.TargetObject
            $base.TargetObject | ConvertTo-Json -Depth 5 -Compress -WarningAction Ignore
            [string] $base.ErrorDetails
            $base.ErrorDetails | Format-List * -Force | Out-String -Width 1000
            $base.CategoryInfo.ToString()
            $base.FullyQualifiedErrorId
            $base.ScriptStackTrace
            $base.InvocationInfo.PositionMessage
            $base.InvocationInfo.BoundParameters.Values | ForEach-Object { [string] $_ }
        }
        elseif ($base -is [System.Management.Automation.InformationalRecord]) {
            $base.Message
        }
        elseif ($base -is [System.Management.Automation.InformationRecord]) {
            [string] $base.MessageData
        }
        elseif ($base -is [System.Management.Automation.ProgressRecord]) {
            $base.Activity, $base.StatusDescription, $base.CurrentOperation
        }
        else {
            $Item | ConvertTo-Json -Depth 5 -Compress -WarningAction Ignore
        }
    }

    function Get-LeakText ($Captured) {
        $seen = [System.Collections.Generic.HashSet[object]]::new([System.Collections.Generic.ReferenceEqualityComparer]::Instance)
        $items = @($Captured.Merged) + @($Captured.ErrorVariable) + @($Captured.WarningVariable) + @($Captured.InformationVariable) +
            @($Captured.OutVariable) + @($Captured.Errors) + @($Captured.Caught) + @($Captured.Progress) + @($Captured.Streams)
        $texts = foreach ($item in $items) {
            if ($null -eq $item) { continue }
            $base = if ($item -is [psobject]) { $item.PSObject.BaseObject } else { $item }
            if ($seen.Add($base)) { ConvertTo-LeakText $item }
        }
        (@($texts) + @($Captured.HostLines)) -join "`n"
    }

    function Assert-NoKey ([string] $Text, [int] $AtLeast = 200) {
        $Text.Length | Should -BeGreaterThan $AtLeast -Because 'something must have been captured for the check to mean anything'
        $Text | Should -Not -Match ([regex]::Escape($plainKey))
        $Text | Should -Not -Match ([regex]::Escape($plainWrongKey))
    }

    function Use-Key ([string] $Source, [System.Security.SecureString] $Secure, [string] $Plain, [hashtable] $Arguments) {
        # -ApiKey in the arguments, or the environment variable (and no -ApiKey).
        if ($Source -eq '-ApiKey') {
            $Arguments['ApiKey'] = $Secure
        }
        else {
            $env:VIDEOTRANSLATION_API_KEY = $Plain
        }
        $Arguments
    }
}

AfterAll {
    $env:VIDEOTRANSLATION_API_KEY = $savedEnvironmentKey
    if ($recorded) { $recorded.Dispose() }
    if ($sim) { $sim | Stop-TranslationSimulator }
}

Describe 'The API key' {
    AfterEach {
        $env:VIDEOTRANSLATION_API_KEY = $null
    }

    Context 'the leak detector itself' {
        It 'finds the key in a nested property, an exception''s inner text, a verbose record and a host line' {
            $inner = [System.InvalidOperationException]::new("inner $plainKey")
            $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('outer', $inner), 'X', 'NotSpecified', $null)
            $captured = [pscustomobject]@{
                Merged = @([pscustomobject]@{ A = @{ B = @{ C = "deep $plainKey" } } }); Errors = @(); Caught = $null; ErrorVariable = @()
                WarningVariable = @(); InformationVariable = @(); OutVariable = @(); Progress = @(); Streams = @(); HostLines = @()
            }

            Get-LeakText $captured | Should -Match ([regex]::Escape($plainKey))
            $captured.Merged = @($record)
            Get-LeakText $captured | Should -Match ([regex]::Escape($plainKey))
            $captured.Merged = @([System.Management.Automation.VerboseRecord]::new("verbose $plainKey"))
            Get-LeakText $captured | Should -Match ([regex]::Escape($plainKey))
            $captured.Merged = @()
            $captured.HostLines = @("What if: $plainKey")
            Get-LeakText $captured | Should -Match ([regex]::Escape($plainKey))
        }
    }

    Context 'sent and accepted' {
        It 'reaches the server from -ApiKey: a keyed simulator answers' {
            $status = Get-TranslationStatus -Uri $uri -ApiKey $key

            $status.State | Should -Be 'Completed'
        }

        It 'reaches the server from $env:VIDEOTRANSLATION_API_KEY when -ApiKey is not given' {
            $env:VIDEOTRANSLATION_API_KEY = $plainKey

            $result = Wait-TranslationJob -Uri $uri -TimeoutSec 10

            $result.State | Should -Be 'Completed'
        }

        It 'prefers -ApiKey to the environment variable' {
            $env:VIDEOTRANSLATION_API_KEY = $plainWrongKey

            $job = New-TranslationJob -Uri $uri -DelaySec 0 -ApiKey $key

            $job.State | Should -Be 'Completed'
        }

        It 'sends no key when the environment variable is empty' {
            $env:VIDEOTRANSLATION_API_KEY = ''

            $null = Get-TranslationStatus -Uri $uri -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].ErrorDetails.Message | Should -BeLike '*No API key was sent*'
        }
    }

    Context 'refused by the server' {
        It 'writes TranslationAccessDenied (AuthenticationError) for a wrong key, saying the key from <Source> was refused' -ForEach @(
            @{ Source = '-ApiKey' }, @{ Source = '$env:VIDEOTRANSLATION_API_KEY' }
        ) {
            $arguments = Use-Key $Source $wrongKey $plainWrongKey @{ Uri = $uri }

            $null = Get-TranslationStatus @arguments -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'TranslationAccessDenied,VideoTranslation.PowerShell.GetTranslationStatusCommand'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            $failures[0].Exception.StatusCode | Should -Be 401
            $failures[0].ErrorDetails.Message | Should -BeLike "*does not match*The API key from $Source was refused*"
        }

        It 'writes TranslationAccessDenied (AuthenticationError) with a hint when no key is sent to a keyed server' {
            $null = Wait-TranslationJob -Uri $uri -TimeoutSec 10 -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationAccessDenied,*'
            $failures[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::AuthenticationError)
            $failures[0].ErrorDetails.Message | Should -BeLike '*requires an API key*No API key was sent: give one with -ApiKey, or set $env:VIDEOTRANSLATION_API_KEY.'
        }
    }

    Context 'over plain http to a host that is not loopback' {
        It '<Command> stops at once with ApiKeyRequiresHttps (SecurityError) for a key from <Source>, and sends nothing' -ForEach @(
            foreach ($command in 'Get-TranslationStatus', 'Wait-TranslationJob', 'New-TranslationJob') {
                @{ Command = $command; Source = '-ApiKey' }
                @{ Command = $command; Source = '$env:VIDEOTRANSLATION_API_KEY' }
            }
        ) {
            # A documentation address (TEST-NET-1): nothing answers there; a request would fail or hang, not be refused.
            $arguments = Use-Key $Source $key $plainKey @{ Uri = 'http://192.0.2.1/'; RequestTimeoutSec = 5 }
            $clock = [System.Diagnostics.Stopwatch]::StartNew()

            $thrown = { & $Command @arguments } | Should -Throw -ErrorId 'ApiKeyRequiresHttps,*' -PassThru

            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'nothing is sent, so nothing is waited for'
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::SecurityError)
            $thrown.Exception.Message | Should -BeLike 'Refusing to send the API key over plain http to 192.0.2.1*https*-AllowUnencryptedApiKey*'
            $thrown.ErrorDetails.Message | Should -BeLike "Refusing to send the API key over plain http to 192.0.2.1*The key came from $Source."
            [string] $thrown.TargetObject | Should -Be 'http://192.0.2.1/'
        }

        It 'opens no connection when refusing, and sends the key as X-Api-Key with -AllowUnencryptedApiKey' {
            # A listener on one of this machine's own addresses that is not loopback: what a remote server would see.
            $address = [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
                Where-Object OperationalStatus -EQ 'Up' |
                ForEach-Object { $_.GetIPProperties().UnicastAddresses.Address } |
                Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($_) } |
                Select-Object -First 1
            if (-not $address) {
                Set-ItResult -Skipped -Because 'this machine has no IPv4 address other than loopback'
                return
            }
            $listener = [System.Net.Sockets.TcpListener]::new($address, 0)
            $listener.Start()
            try {
                $remote = "http://$($address):$($listener.LocalEndpoint.Port)/"

                { Get-TranslationStatus -Uri $remote -ApiKey $key -RequestTimeoutSec 5 } | Should -Throw -ErrorId 'ApiKeyRequiresHttps,*'
                $listener.Pending() | Should -BeFalse -Because 'the refusal comes before any connection'

                $null = Get-TranslationStatus -Uri $remote -ApiKey $key -AllowUnencryptedApiKey -RequestTimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue

                $failures | Should -HaveCount 1
                $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationRequestTimedOut,*' -Because 'the listener accepts and never answers'
                $listener.Pending() | Should -BeTrue
                $client = $listener.AcceptTcpClient()
                try {
                    $buffer = [byte[]]::new(8192)
                    $read = $client.GetStream().Read($buffer, 0, $buffer.Length)
                    $request = [System.Text.Encoding]::ASCII.GetString($buffer, 0, $read)
                }
                finally {
                    $client.Dispose()
                }
                $request | Should -BeLike 'GET /status HTTP/1.1*'
                $request | Should -Match "(?m)^X-Api-Key: $([regex]::Escape($plainKey))\r?$"
            }
            finally {
                $listener.Stop()
            }
        }

        It 'goes on to the request with -AllowUnencryptedApiKey: a connection error from 192.0.2.1, not the refusal' {
            $null = Get-TranslationStatus -Uri 'http://192.0.2.1/' -ApiKey $key -AllowUnencryptedApiKey -RequestTimeoutSec 0.5 -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^(TranslationServerUnreachable|TranslationRequestTimedOut),'
            [string] $failures[0].CategoryInfo.Category | Should -BeIn 'ConnectionError', 'OperationTimeout'
        }

        It 'lets a key go over plain http to loopback (127.0.0.1, localhost) and over https without the switch' {
            $localhost = "http://localhost:$(([uri] $uri).Port)"

            (Get-TranslationStatus -Uri $uri -ApiKey $key).State | Should -Be 'Completed'
            (Get-TranslationStatus -Uri "$localhost/" -ApiKey $key).State | Should -Be 'Completed'
            # https: nothing listens on port 1, so a connection error, not the refusal.
            $null = Get-TranslationStatus -Uri 'https://127.0.0.1:1/' -ApiKey $key -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationServerUnreachable,*'
        }
    }

    Context 'redirects' {
        It 'does not follow a redirect with the key: the other address sees no request, the error says why' {
            # Server A answers 302 to B, another address (a port on localhost: another origin, as a remote host would be).
            $b = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $a = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $b.Start()
            $a.Start()
            $server = [powershell]::Create().AddScript({
                    param($Listener, [int] $Target)
                    $limit = [System.Diagnostics.Stopwatch]::StartNew()
                    while (-not $Listener.Pending()) {
                        if ($limit.Elapsed.TotalSeconds -gt 10) { return }
                        Start-Sleep -Milliseconds 10
                    }
                    $connection = $Listener.AcceptTcpClient()
                    try {
                        $stream = $connection.GetStream()
                        $null = $stream.Read([byte[]]::new(8192), 0, 8192)
                        $answer = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 302 Found`r`nLocation: http://localhost:$Target/elsewhere`r`nContent-Length: 0`r`nConnection: close`r`n`r`n")
                        $stream.Write($answer, 0, $answer.Length)
                        $stream.Flush()
                    }
                    finally {
                        $connection.Dispose()
                    }
                }).AddArgument($a).AddArgument($b.LocalEndpoint.Port)
            $serving = $server.BeginInvoke()
            try {
                $null = Get-TranslationStatus -Uri "http://127.0.0.1:$($a.LocalEndpoint.Port)/" -ApiKey $key -RequestTimeoutSec 2 -ErrorVariable failures -ErrorAction SilentlyContinue
                $null = $serving.AsyncWaitHandle.WaitOne(10000)

                $failures | Should -HaveCount 1
                $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationUnexpectedStatus,*'
                $failures[0].Exception.StatusCode | Should -Be 302
                $failures[0].ErrorDetails.Message | Should -BeLike '*follow no redirect, so that the key goes only to -Uri*'
                $b.Pending() | Should -BeFalse -Because 'HttpClient would carry X-Api-Key along to the address the redirect names'
            }
            finally {
                $server.Stop()
                $server.Dispose()
                $a.Stop()
                $b.Stop()
            }
        }
    }

    Context 'Start-TranslationSimulator -ApiKey' {
        It 'passes the key in the simulator''s environment (VTSIM_ApiKey), never on its command line' {
            # $sim was started with -ApiKey $key.
            $sim.ApiKeyRequired | Should -BeTrue
            ($sim.Settings.Keys + $sim.Settings.Values) -join ' ' | Should -Not -Match ([regex]::Escape($plainKey))
            $commandLine = (Get-Process -Id $sim.ProcessId).CommandLine
            if ($commandLine) {
                $commandLine | Should -BeLike '*VideoTranslation.Simulator.dll*'
                $commandLine | Should -Not -Match ([regex]::Escape($plainKey))
            }
            if (Test-Path -LiteralPath "/proc/$($sim.ProcessId)/environ") {
                $environment = (Get-Content -Raw -LiteralPath "/proc/$($sim.ProcessId)/environ") -split "`0"
                $environment | Should -Contain "VTSIM_ApiKey=$plainKey"
            }
            # Issue 14: the launched process object kept the key in StartInfo.Environment for the simulator's life.
            $startInfo = $sim.GetType().GetProperty('Process', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($sim).StartInfo
            $startInfo.Environment.ContainsKey('VTSIM_ApiKey') | Should -BeFalse -Because 'the key is cleared from StartInfo once the child has it'
            ($startInfo.Environment.Values -join ' ') + $startInfo.Arguments | Should -Not -Match ([regex]::Escape($plainKey))
            (Invoke-RestMethod -Uri "$($uri)capabilities").apiKeyRequired | Should -BeTrue
            { Invoke-RestMethod -Uri "$($uri)status" } | Should -Throw -Because 'the simulator answers 401 without the key'
            (Invoke-RestMethod -Uri "$($uri)status" -Headers $adminHeaders).result | Should -Be 'completed'
        }
    }

    Context 'nothing leaks' {
        It '<Command>, key from <Source>, <Outcome>: the key is in no stream, variable, object, error or host line' -ForEach $leakCases {
            $arguments = @{ Uri = $uri }
            switch ($Command) {
                'Wait-TranslationJob' { $arguments['TimeoutSec'] = 1; $arguments['Strategy'] = 'Fixed'; $arguments['Interval'] = 0.2 }
                'New-TranslationJob' { $arguments['DelaySec'] = 0 }
            }
            $secure, $plain = if ($Outcome -like '401*') { $wrongKey, $plainWrongKey } else { $key, $plainKey }
            switch -Wildcard ($Outcome) {
                'transport*' { $arguments['Uri'] = $closedUri; $arguments['RequestTimeoutSec'] = 0.5 }
                'refusal*' { $arguments['Uri'] = 'http://192.0.2.1/' }
            }
            $arguments = Use-Key $Source $secure $plain $arguments

            $captured = Invoke-Captured $Command $arguments

            $errors = @(@($captured.ErrorVariable) + @($captured.Caught) | Where-Object { $_ } |
                    ForEach-Object { if ($_ -is [System.Management.Automation.IContainsErrorRecord]) { $_.ErrorRecord } else { $_ } })
            switch -Wildcard ($Outcome) {
                'success' {
                    $errors | Should -BeNullOrEmpty
                    $captured.Output | Should -Not -BeNullOrEmpty
                    if ($Command -eq 'Wait-TranslationJob') {
                        @($captured.Merged | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }) | Should -Not -BeNullOrEmpty -Because '-Debug logs every check'
                    }
                }
                '401*' { $errors[0].FullyQualifiedErrorId | Should -BeLike 'TranslationAccessDenied,*' }
                'transport*' { $errors[0].FullyQualifiedErrorId | Should -Match '^(TranslationServerUnreachable|TranslationWaitTimedOut),' }
                'refusal*' { $errors[0].FullyQualifiedErrorId | Should -BeLike 'ApiKeyRequiresHttps,*' }
            }
            if ($Command -eq 'Wait-TranslationJob' -and $Outcome -ne 'refusal over plain http') {
                $captured.Progress | Should -Not -BeNullOrEmpty -Because 'the wait writes progress'
                @($captured.Merged | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -Not -BeNullOrEmpty
            }
            if ($Outcome -ne 'success') {
                $captured.Errors | Should -Not -BeNullOrEmpty -Because '$Error has the failure'
            }
            Assert-NoKey (Get-LeakText $captured)
        }

        It 'a server that echoes the key in its error body and reason phrase: the error record quotes it masked' {
            # Issue 14: the 4xx body was quoted as the server gave it, key and all.
            Import-Module (Join-Path $PSScriptRoot 'CannedHttpServer.psm1') -Force
            $echo = Start-CannedHttpServer -Status "400 Bad key $plainKey" -Body "{`"error`":`"bad_key`",`"message`":`"X-Api-Key $plainKey is not valid`"}"
            try {
                Get-TranslationStatus -Uri $echo.Uri -JobId a -ApiKey $key -ErrorVariable failures -ErrorAction SilentlyContinue
            }
            finally {
                Stop-CannedHttpServer $echo
            }

            $record = @($failures)[0]
            $record.FullyQualifiedErrorId | Should -BeLike 'TranslationRequestRejected,*'
            $record.Exception.BodyExcerpt | Should -BeLike '*X-Api-Key `*`*`* is not valid*'
            "$record" | Should -BeLike '*HTTP 400 Bad key `*`*`*,*'
            Assert-NoKey ((ConvertTo-LeakText $record) + ($record | Out-String) + $record.Exception.ToString()) -AtLeast 100
        }

        It 'New-TranslationJob -WhatIf with a key: the What if text is recorded, without the key' {
            $captured = Invoke-Captured 'New-TranslationJob' @{ Uri = $uri; ApiKey = $key; WhatIf = $true }

            $text = Get-LeakText $captured
            $text | Should -BeLike "*What if: Performing the operation `"Create a translation job`" on target `"$uri`"*"
            Assert-NoKey $text -AtLeast 50
        }

        It 'Start-TranslationSimulator -WhatIf with a key: the What if text says there is a key, without the key' {
            $captured = Invoke-Captured 'Start-TranslationSimulator' @{ ApiKey = $key; WhatIf = $true }

            $text = Get-LeakText $captured
            $text | Should -BeLike '*What if: Performing the operation "Start" on target "simulator (*API key in its environment, VTSIM_ApiKey*'
            Assert-NoKey $text -AtLeast 50
        }

        It 'Start-TranslationSimulator with a key, started and stopped: nothing shows the key' {
            $captured = Invoke-Captured 'Start-TranslationSimulator' @{ ApiKey = $key; DelayModel = 'Fixed'; DelaySec = 0 }
            $started = @($captured.Output)
            try {
                $started | Should -HaveCount 1
                $started[0].ApiKeyRequired | Should -BeTrue
                @($captured.Merged | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -Not -BeNullOrEmpty
                Assert-NoKey (Get-LeakText $captured)
            }
            finally {
                $started | Where-Object { $_ } | Stop-TranslationSimulator
            }
        }

        It 'Start-TranslationSimulator with a key that fails to start (port taken): its error shows the simulator''s messages, not the key' {
            $captured = Invoke-Captured 'Start-TranslationSimulator' @{ ApiKey = $key; Port = ([uri] $uri).Port }

            $captured.Caught.FullyQualifiedErrorId | Should -BeLike 'SimulatorStartFailed,*'
            $captured.Caught.Exception.Message | Should -Not -BeNullOrEmpty
            Assert-NoKey (Get-LeakText $captured)
        }

        It 'InvalidApiKey names where the bad key came from, not the key (<Case>)' -ForEach @(
            @{ Case = '-ApiKey with a line break'; Source = '-ApiKey' }
            @{ Case = 'the environment variable with a line break'; Source = '$env:VIDEOTRANSLATION_API_KEY' }
        ) {
            $bad = "$plainKey`nX-Injected: 1"
            $arguments = Use-Key $Source (ConvertTo-SecureString -String $bad -AsPlainText -Force) $bad @{ Uri = $uri }

            $captured = Invoke-Captured 'Get-TranslationStatus' $arguments

            $captured.Caught.FullyQualifiedErrorId | Should -BeLike 'InvalidApiKey,*'
            $captured.Caught.Exception.Message | Should -BeLike "The API key from $Source is blank or holds control characters*"
            Assert-NoKey (Get-LeakText $captured)
        }
    }
}
