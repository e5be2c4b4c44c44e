# Pester 5 tests of the module in a real terminal: tmux drives an interactive pwsh -NoProfile with the BUILT module
# ($env:VIDEOTRANSLATION_MODULE_PATH) imported, through tests/Terminal.psm1. Ctrl+C there is what a user's is: SIGINT
# to the terminal's foreground process group, which holds pwsh and every simulator it started; Tab goes to PSReadLine.
# Without tmux (or on Windows) every test is skipped and says why. One terminal serves the whole file (a pwsh and a
# simulator take seconds to start): BeforeAll starts its tmux server, AfterAll kills it, which also ends the pwsh in it
# and, through its parent watch, its simulator. A test leaves the terminal at a bare prompt.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Terminal.psm1') -Force
    $noTerminal = Get-TerminalSkipReason

    # A terminal with $sim (every job 600 s, so a wait never ends by itself) and one job of it, $job.
    $term = if (-not $noTerminal) {
        Start-TerminalSession -InitScript @'
$sim = Start-TranslationSimulator -DelayModel Fixed -DelaySec 600 -ErrorAction Stop
$job = New-TranslationJob -Uri $sim.Uri -ErrorAction Stop
'@
    }

    function Get-SimulatorReport ($Session) {
        # One line that says whether the terminal's $sim runs, is listed, and answers for $job.
        Invoke-TerminalCommand $Session '"IsRunning=$($sim.IsRunning) Listed=$(@(Get-TranslationSimulator).ProcessId -contains $sim.ProcessId) State=$((Get-TranslationStatus -Uri $sim.Uri -JobId $job.Id).State)"'
    }
}

AfterAll {
    Stop-TerminalSession $term
}

Describe 'Ctrl+C in an interactive pwsh' {

    It 'stops Start-Sleep and leaves the session''s simulator running, listed and answering' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }

        Send-TerminalKeys $term -Text "'SLE'+'EPING'; Start-Sleep 30" -Key Enter
        $null = Wait-TerminalText $term '^SLEEPING$'
        Send-TerminalKeys $term -Key C-c
        $null = Wait-TerminalPrompt $term -TimeoutSec 5

        Get-SimulatorReport $term | Should -Be 'IsRunning=True Listed=True State=Pending'
    }

    It 'stops Wait-TranslationJob at once, and the simulator still answers' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }

        Send-TerminalKeys $term -Text "'WAI'+'TING'; Wait-TranslationJob -Uri `$sim.Uri -JobId `$job.Id -TimeoutSec 300" -Key Enter
        $null = Wait-TerminalText $term '^WAITING$'
        Send-TerminalKeys $term -Key C-c
        # The wait holds 30 s checks on the server: only a wait that honours Ctrl+C gives the prompt back this soon.
        $null = Wait-TerminalPrompt $term -TimeoutSec 5

        Get-SimulatorReport $term | Should -Be 'IsRunning=True Listed=True State=Pending'
    }
}

Describe 'Tab completion in an interactive pwsh' {
    AfterEach {
        # Ctrl+C at the prompt drops the half-typed line.
        if (-not $noTerminal) { Send-TerminalKeys $term -Key C-c; $null = Wait-TerminalPrompt $term }
    }

    It 'completes -Strategy Ex to Exponential' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }

        Send-TerminalKeys $term -Text 'Wait-TranslationJob -Strategy Ex' -Key Tab

        $null = Wait-TerminalText $term '^VTPS> Wait-TranslationJob -Strategy Exponential$'
    }

    It 'completes -JobId with the id of the job New-TranslationJob created in the session' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }
        $id = Invoke-TerminalCommand $term '$job.Id'

        Send-TerminalKeys $term -Text 'Wait-TranslationJob -Uri $sim.Uri -JobId ' -Key Tab

        $null = Wait-TerminalText $term "^VTPS> Wait-TranslationJob -Uri \`$sim.Uri -JobId $([regex]::Escape($id))$"
    }
}

Describe 'Progress in an interactive pwsh' {

    It 'shows a single wait''s elapsed time through a held check, refreshed at least once a second, and clears it at the end' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }
        # The default strategy holds the first check on the server for 30 s: no answer, so no core progress event, comes
        # in the seconds this test reads the bar; only the cmdlet's own refresh can move the time it shows.
        $bar = 'Waiting for translation job .*?(\d+\.\d) s'

        Send-TerminalKeys $term -Text 'Wait-TranslationJob -Uri $sim.Uri -JobId $job.Id -TimeoutSec 300' -Key Enter
        $first = [double] [regex]::Match((Wait-TerminalText $term $bar) -join "`n", $bar).Groups[1].Value
        # Two refreshes later (each at most a second apart) the bar shows a later time; at most 4 s of waiting for it.
        $later = "Waiting for translation job .*?(?!$([regex]::Escape($first.ToString('0.0', [cultureinfo]::InvariantCulture))) s)(\d+\.\d) s"
        $second = [double] [regex]::Match((Wait-TerminalText $term $later -TimeoutSec 4) -join "`n", $later).Groups[1].Value
        $second | Should -BeGreaterThan $first

        Send-TerminalKeys $term -Key C-c
        $screen = Wait-TerminalPrompt $term -TimeoutSec 5
        ($screen -join "`n") | Should -Not -Match 'Waiting for translation job' -Because 'the bar is cleared when the command ends'
    }
}

# Last: on a module that prompts for InputObject[0] the terminal would be left at that prompt.
Describe 'Stop-TranslationSimulator in an interactive pwsh' {

    It 'says what to give when called with no argument, instead of prompting for InputObject[0]' {
        if ($noTerminal) { Set-ItResult -Skipped -Because $noTerminal; return }

        $output = Invoke-TerminalCommand $term 'Stop-TranslationSimulator' -TimeoutSec 10

        ($output -join "`n") | Should -Match 'Say which simulators to stop'
        ($output -join "`n") | Should -Not -Match 'InputObject\[0\]'
    }
}
