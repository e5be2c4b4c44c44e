# Pester 5 tests of the BUILT module. Contract (docs/testing.md): $env:VIDEOTRANSLATION_MODULE_PATH is the absolute
# path of artifacts/module/VideoTranslation; `./build.ps1 -Task Test` (and -Task Pester) sets it. The files share their
# helpers in TestHelpers.psm1.
Describe 'VideoTranslation module' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $modulePath = Get-BuiltModulePath
        $repoRoot = Split-Path -Parent $PSScriptRoot
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $modulePath 'VideoTranslation.psd1')
        $module = Import-Module $modulePath -Force -PassThru -ErrorAction Stop
    }

    AfterAll {
        Remove-Module -Name VideoTranslation -Force -ErrorAction Ignore
    }

    Context 'import' {
        It 'imports from the built module folder' {
            [System.IO.Path]::IsPathRooted($modulePath) | Should -BeTrue -Because 'the env var names the built folder by its absolute path'
            $separators = [System.IO.Path]::DirectorySeparatorChar, [System.IO.Path]::AltDirectorySeparatorChar
            $module.ModuleBase.TrimEnd($separators) | Should -Be ([System.IO.Path]::GetFullPath($modulePath).TrimEnd($separators))
            @(Get-Module -Name VideoTranslation).Count | Should -Be 1
        }

        It 'exports exactly the cmdlets the manifest lists' {
            $listed = @($manifest.CmdletsToExport)
            $exported = @($module.ExportedCmdlets.Keys)
            $listed | Should -Not -BeNullOrEmpty -Because 'the manifest lists the module''s cmdlets explicitly'
            $differences = @($listed | Where-Object { $_ -notin $exported } | ForEach-Object { "$_ is listed but not exported" }) +
                @($exported | Where-Object { $_ -notin $listed } | ForEach-Object { "$_ is exported but not listed" })
            $differences | Should -BeNullOrEmpty
        }

        It 'takes its version from Directory.Build.props' {
            [xml] $props = Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'Directory.Build.props')
            $versionPrefix = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })
            $versionPrefix.Count | Should -Be 1 -Because 'Directory.Build.props holds the one version number'
            $module.Version | Should -Be ([version] $versionPrefix[0])
        }

        It 'exports no functions, aliases or variables' {
            $module.ExportedFunctions.Keys | Should -BeNullOrEmpty
            $module.ExportedAliases.Keys | Should -BeNullOrEmpty
            $module.ExportedVariables.Keys | Should -BeNullOrEmpty
        }
    }
}
