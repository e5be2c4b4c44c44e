# Source of the module manifest. The build copies it into artifacts/module/VideoTranslation/ with ModuleVersion
# replaced by <VersionPrefix> from Directory.Build.props (the one version number); import the built folder.
@{
    RootModule             = 'VideoTranslation.PowerShell.dll'
    ModuleVersion          = '0.0.0-dev'
    GUID                   = '5d0f3b8e-4f7e-4b52-9a1c-2a6f5b1e7c31'
    Author                 = 'VideoTranslation.PS contributors'
    CompanyName            = 'VideoTranslation.PS contributors'
    Copyright              = '(c) VideoTranslation.PS contributors. MIT License.'
    Description            = 'Wait on long-running video-translation jobs: status checks, waits on one or thousands of jobs as they arrive (long-poll, server hints, learned durations, fixed or exponential backoff), status-change callbacks, typed errors, and a local simulator of the backend for testing automation.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    HelpInfoUri            = 'https://github.com/videotranslation-ps/VideoTranslation.PS/blob/main/docs/cmdlets.md'
    FormatsToProcess       = @('VideoTranslation.format.ps1xml')
    CmdletsToExport        = @(
        'Get-TranslationStatus'
        'Wait-TranslationJob'
        'New-TranslationJob'
        'Start-TranslationSimulator'
        'Stop-TranslationSimulator'
        'Get-TranslationSimulator'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('VideoTranslation', 'Polling', 'Wait', 'Jobs', 'Simulator', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://github.com/videotranslation-ps/VideoTranslation.PS/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/videotranslation-ps/VideoTranslation.PS'
            ReleaseNotes = @'
This version:
- Wait-TranslationJob: waits on one job or thousands as they arrive on the pipeline (plain ids by value, or objects that
  carry -Uri and JobId), with strategies Auto (long-poll, group long-poll, server hints, learned durations), LongPoll,
  Adaptive, Learned, Fixed and Exponential; -OnStatusChange runs in the caller's scope; -AsJob returns a PowerShell job;
  -TimeoutSec -1 waits without a deadline; progress through held checks; -MaximumRetryCount bounds consecutive
  transport failures (then TranslationServerUnreachable), each retry a warning; a TLS failure stops at once with its reason.
- Get-TranslationStatus: one request per job; -Verbose says what was asked and answered.
- New-TranslationJob: creates jobs (on the simulator, with a known duration and outcome).
- Shared by the three: -ApiKey or -Token (refused over plain http to other hosts), -Headers, -UserAgent,
  -SkipCertificateCheck; a bad -Uri stops the command; results and statuses carry their server's Uri.
- Start-TranslationSimulator, Stop-TranslationSimulator (-All, -PassThru), Get-TranslationSimulator: a local backend
  with fixed, uniform or Gaussian delays, errors, long-poll and faults; it survives Ctrl+C in the session that started it.
Full notes: https://github.com/videotranslation-ps/VideoTranslation.PS/blob/main/README.md
'@
        }
    }
}
