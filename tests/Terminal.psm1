# Tests in a real terminal: tmux drives an interactive pwsh (PSReadLine, Ctrl+C as a signal to the terminal's
# foreground process group, Tab completion), which no runspace or redirected child process can stand in for.
# Import it next to TestHelpers.psm1:
#
#     BeforeDiscovery { Import-Module (Join-Path $PSScriptRoot 'Terminal.psm1') -Force; $noTerminal = Get-TerminalSkipReason }
#     Describe 'X' -Skip:([bool] $noTerminal) { BeforeAll { $term = Start-TerminalSession } AfterAll { Stop-TerminalSession $term } ... }
#
# Start-TerminalSession    a tmux server on a socket of its own (never the user's tmux) running pwsh -NoProfile with
#                          the built module imported ($env:VIDEOTRANSLATION_MODULE_PATH), the prompt 'VTPS> ', no
#                          history file and no predictions; returns once the prompt is there.
# Send-TerminalKeys        types text literally (-Text) and/or presses keys by tmux name (-Key Enter, C-c, Tab).
# Get-TerminalScreen       the visible screen as lines (wrapped lines joined), trailing blank lines dropped.
# Wait-TerminalText        polls the screen until a regex matches, bounded; throws with the screen when it never does.
# Wait-TerminalPrompt      polls until the last line on the screen is the prompt (the command in hand has ended).
# Invoke-TerminalCommand   clears the screen, runs one command line and returns what it printed, once the prompt is back.
# Stop-TerminalSession     kills the tmux server, and with it the pwsh and (through its parent watch) its simulators.
# Get-TerminalSkipReason   $null when tmux is there, else why the terminal tests are skipped.
#
# Screen text is matched with markers the command line itself does not contain ("'DO'+'NE'" prints DONE), so a match
# is the output, never the echo of what was typed.

$script:Prompt = 'VTPS>'

function Get-TerminalSkipReason {
    # Why terminal tests cannot run here, or $null when they can.
    if ($IsWindows) { return 'the terminal tests drive tmux, which Windows does not have' }
    if (-not (Get-Command tmux -CommandType Application -ErrorAction Ignore)) {
        return 'tmux is not installed (Debian/Ubuntu: apt-get install tmux); the terminal tests need it to drive an interactive pwsh'
    }
    $null
}

function Get-PwshCommandLine {
    # How to start the pwsh that runs these tests: its apphost, or the dotnet host with pwsh.dll (the dotnet tool).
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'pwsh') { return $exe }
    $exe
    Join-Path $PSHOME 'pwsh.dll'
}

function Invoke-Tmux ($Session, [string[]] $Arguments) {
    # tmux on the session's own socket; fails with what tmux said.
    $output = & tmux -L $Session.Socket @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "tmux $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
    $output
}

function Start-TerminalSession {
    # Starts pwsh in a new tmux server of its own, with the built module imported, and waits for its prompt.
    param(
        [int] $Width = 200,
        [int] $Height = 50,
        # Run after the module is imported, before the first prompt.
        [string] $InitScript = '',
        [double] $TimeoutSec = 60
    )
    $modulePath = $env:VIDEOTRANSLATION_MODULE_PATH
    if ([string]::IsNullOrWhiteSpace($modulePath)) { throw 'VIDEOTRANSLATION_MODULE_PATH is not set: point it at the built module folder.' }
    $name = 'vtps-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $session = [pscustomobject]@{ PSTypeName = 'VideoTranslation.Tests.TerminalSession'; Socket = $name; Target = "${name}:0.0" }
    $init = @"
Set-PSReadLineOption -HistorySaveStyle SaveNothing -PredictionSource None -BellStyle None
function global:prompt { '$script:Prompt ' }
Import-Module `$env:VIDEOTRANSLATION_MODULE_PATH -ErrorAction Stop
$InitScript
"@
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($init))
    # tmux runs the command through sh -c; every part is a plain word (paths are quoted), the script is base64.
    $pwsh = (Get-PwshCommandLine | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
    $command = "$pwsh -NoLogo -NoProfile -NoExit -EncodedCommand $encoded"
    $null = Invoke-Tmux $session @('new-session', '-d', '-s', $name, '-x', $Width, '-y', $Height,
        '-e', "VIDEOTRANSLATION_MODULE_PATH=$modulePath", $command)
    try {
        $null = Wait-TerminalPrompt $session -TimeoutSec $TimeoutSec
    }
    catch {
        Stop-TerminalSession $session
        throw
    }
    $session
}

function Send-TerminalKeys {
    # Types -Text as it is (no key names), then presses each -Key (tmux names: Enter, C-c, Tab, Escape, ...).
    param([Parameter(Mandatory, Position = 0)] $Session, [string] $Text, [string[]] $Key = @())
    if ($Text) { $null = Invoke-Tmux $Session @('send-keys', '-t', $Session.Target, '-l', '--', $Text) }
    foreach ($k in $Key) { $null = Invoke-Tmux $Session @('send-keys', '-t', $Session.Target, $k) }
}

function Get-TerminalScreen {
    # The visible screen, one string per line, wrapped lines joined and trailing blank lines dropped.
    param([Parameter(Mandatory, Position = 0)] $Session)
    $lines = @(Invoke-Tmux $Session @('capture-pane', '-p', '-J', '-t', $Session.Target) | ForEach-Object { "$_".TrimEnd() })
    $last = $lines.Count - 1
    while ($last -ge 0 -and $lines[$last] -eq '') { $last-- }
    if ($last -ge 0) { $lines[0..$last] }
}

function Wait-TerminalText {
    # Polls the screen until -Pattern (a regex, multiline) matches its text; returns the screen's lines. Throws, with the
    # screen, when it never does within -TimeoutSec.
    param([Parameter(Mandatory, Position = 0)] $Session, [Parameter(Mandatory, Position = 1)] [string] $Pattern, [double] $TimeoutSec = 10)
    $regex = [regex]::new($Pattern, 'Multiline')
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $screen = @(Get-TerminalScreen $Session)
        if ($regex.IsMatch($screen -join "`n")) { return $screen }
        if ($clock.Elapsed.TotalSeconds -ge $TimeoutSec) {
            throw "The terminal did not show /$Pattern/ within $TimeoutSec s. The screen:`n$($screen -join "`n")"
        }
        Start-Sleep -Milliseconds 50
    }
}

function Wait-TerminalPrompt {
    # Polls until the last line on the screen is the bare prompt: the command in hand has ended. Returns the screen.
    # Only meaningful while the last line is something else (output, or a typed line), e.g. after Ctrl+C.
    param([Parameter(Mandatory, Position = 0)] $Session, [double] $TimeoutSec = 10)
    Wait-TerminalText $Session -Pattern "^$([regex]::Escape($script:Prompt))\z" -TimeoutSec $TimeoutSec
}

function Invoke-TerminalCommand {
    # Clears the screen, types one command line and Enter, waits for the prompt and returns the lines the command
    # printed (the screen above the new prompt, without the command line).
    param([Parameter(Mandatory, Position = 0)] $Session, [Parameter(Mandatory, Position = 1)] [string] $Command, [double] $TimeoutSec = 20)
    # Enter only once the typed Clear-Host is drawn: then a screen that is a bare prompt can only be the cleared one.
    $prompt = [regex]::Escape($script:Prompt)
    Send-TerminalKeys $Session -Text 'Clear-Host'
    $null = Wait-TerminalText $Session -Pattern "^$prompt Clear-Host\z" -TimeoutSec $TimeoutSec
    Send-TerminalKeys $Session -Key Enter
    $null = Wait-TerminalText $Session -Pattern "\A$prompt\z" -TimeoutSec $TimeoutSec
    Send-TerminalKeys $Session -Text $Command -Key Enter
    # The command line first, a bare prompt last: until tmux has drawn the typed line the screen is a bare prompt too.
    $screen = @(Wait-TerminalText $Session -Pattern "\A$prompt $([regex]::Escape($Command.TrimEnd()))\n[\s\S]*^$prompt\z" -TimeoutSec $TimeoutSec)
    if ($screen.Count -gt 2) { $screen[1..($screen.Count - 2)] }
}

function Stop-TerminalSession {
    # Ends the session's tmux server and everything running in it; safe to call twice or with $null.
    param([Parameter(Position = 0)] $Session)
    if ($null -eq $Session) { return }
    & tmux -L $Session.Socket kill-server 2>&1 | Out-Null
}

Export-ModuleMember -Function Get-TerminalSkipReason, Start-TerminalSession, Send-TerminalKeys, Get-TerminalScreen,
    Wait-TerminalText, Wait-TerminalPrompt, Invoke-TerminalCommand, Stop-TerminalSession
