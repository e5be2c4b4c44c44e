# Run by VideoTranslation.Pwsh as the session opens (InitialSessionState.StartupScripts), after PowerShell has built
# $env:PSModulePath (which moves entries it did not expect behind its own): puts the repo's artifacts/module first,
# so `Import-Module VideoTranslation` loads the build rather than any installed copy.
& {
    param([string] $Root)
    $separator = [System.IO.Path]::PathSeparator
    $rest = @($env:PSModulePath -split $separator | Where-Object { $_ -and $_ -ne $Root })
    $env:PSModulePath = (@($Root) + $rest) -join $separator
} $global:__VideoTranslationModuleRoot
Remove-Variable -Name __VideoTranslationModuleRoot -Scope Global
