# Placeholder manifest: the module (compiled cmdlets, format file, help) arrives with the module issue.
# ModuleVersion will be filled at build time from <VersionPrefix> in Directory.Build.props.
@{
    RootModule           = ''
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3b8e-4f7e-4b52-9a1c-2a6f5b1e7c31'
    Author               = 'VideoTranslation.PS contributors'
    Description          = 'Wait on long-running video-translation jobs from PowerShell.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    CmdletsToExport      = @()
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
}
