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
            ReleaseNotes = 'See README.md.'
        }
    }
}
