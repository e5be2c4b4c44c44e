# Pester 5 tests of the BUILT module's help and format views. Contract (docs/testing.md):
# $env:VIDEOTRANSLATION_MODULE_PATH is the absolute path of artifacts/module/VideoTranslation; the ErrorIds are read
# from the source tree next to this file (src/VideoTranslation.PowerShell/ErrorIds.cs).
# Run: ./build.ps1 -Task Pester -Path tests/Help.Tests.ps1

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # The cases must be known at discovery: one Context per exported cmdlet, one per formatted type.
    $discovered = Import-Module (Get-BuiltModulePath) -Force -PassThru -ErrorAction Stop
    $cmdletCases = @($discovered.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
    $formatCases = @(
        @{ TypeName = 'VideoTranslation.TranslationStatus'; Columns = @('JobId', 'State', 'Progress', 'ETA', 'ObservedAt') }
        @{ TypeName = 'VideoTranslation.TranslationWaitResult'; Columns = @('JobId', 'State', 'Attempts', 'Elapsed', 'Changes') }
        @{ TypeName = 'VideoTranslation.TranslationJob'; Columns = @('Id', 'State', 'Language', 'Uri', 'CreatedAt') }
        @{ TypeName = 'VideoTranslation.PowerShell.TranslationSimulator'; Columns = @('ProcessId', 'Uri', 'Service', 'DelayModel', 'IsRunning', 'StartTime') }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $module = Import-Module (Get-BuiltModulePath) -Force -PassThru -ErrorAction Stop
    $repoRoot = Split-Path -Parent $PSScriptRoot

    # Help text is a list of objects with a Text property; join it into one string.
    function Get-HelpText ($Item) {
        (@($Item) | Where-Object { $null -ne $_ } | ForEach-Object { if ($_.PSObject.Properties['Text']) { $_.Text } else { [string] $_ } }) -join "`n"
    }

    # The ErrorIds as the scripts see them: the values of the constants in ErrorIds.cs.
    function Get-ErrorIdConstant {
        $path = Join-Path $repoRoot 'src/VideoTranslation.PowerShell/ErrorIds.cs'
        $source = Get-Content -Raw -LiteralPath $path -ErrorAction Stop
        $pattern = 'public\s+const\s+string\s+(?<name>\w+)\s*=\s*(?:nameof\(\s*(?<nameof>\w+)\s*\)|"(?<literal>[^"]+)")\s*;'
        foreach ($match in [regex]::Matches($source, $pattern)) {
            if ($match.Groups['literal'].Success) { $match.Groups['literal'].Value } else { $match.Groups['nameof'].Value }
        }
    }
}

AfterAll {
    Remove-Module -Name VideoTranslation -Force -ErrorAction Ignore
}

Describe 'Module help' {
    It 'has cmdlets to document' {
        $module.ExportedCmdlets.Keys | Should -Not -BeNullOrEmpty
    }

    Context '<Name>' -ForEach $cmdletCases {
        BeforeAll {
            $command = Get-Command -Name $Name -Module VideoTranslation -ErrorAction Stop
            $help = Get-Help -Name $Name -Full -ErrorAction Stop
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters
            # -WhatIf and -Confirm are documented like the cmdlet's own parameters.
            $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $common })
            $helpParameters = @($help.parameters.parameter | Where-Object { $null -ne $_ -and $_.PSObject.Properties['name'] })
        }

        It 'has a synopsis of its own' {
            $synopsis = ([string] $help.Synopsis).Trim()
            $synopsis | Should -Not -BeNullOrEmpty
            # Without help, Get-Help makes the synopsis from the syntax: "Name [-Param] <type> ...".
            $synopsis | Should -Not -BeLike "$Name*" -Because 'a synopsis generated from the syntax means the MAML help was not found'
            $synopsis | Should -Not -Match '<CommonParameters>|\[-\w+\]'
        }

        It 'has a description' {
            Get-HelpText $help.description | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter' {
            $undocumented = @($parameters | Where-Object {
                    $parameterName = $_.Name
                    $documented = $helpParameters | Where-Object name -EQ $parameterName
                    -not $documented -or [string]::IsNullOrWhiteSpace((Get-HelpText $documented.description))
                } | ForEach-Object Name)
            $undocumented | Should -BeNullOrEmpty -Because 'every parameter needs a description in the MAML help'
        }

        It 'documents no parameter the cmdlet lacks' {
            $stale = @($helpParameters.name | Where-Object { $_ -notin $parameters.Name })
            $stale | Should -BeNullOrEmpty -Because 'help must not describe parameters that were removed or renamed'
        }

        It 'gives each parameter the type, position, required flag and pipeline input of the cmdlet' {
            $mismatches = foreach ($parameter in $parameters) {
                $documented = @($helpParameters | Where-Object name -EQ $parameter.Name)[0]
                if (-not $documented) { continue }
                $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
                $type = $parameter.ParameterType
                if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) }
                $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Select-Object -Unique)
                $pipeline = @(
                    if ($attributes | Where-Object ValueFromPipeline) { 'ByValue' }
                    if ($attributes | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' }
                )
                $expected = [ordered]@{
                    type          = $type.FullName
                    required      = ([string] [bool] ($attributes | Where-Object Mandatory)).ToLowerInvariant()
                    position      = if ($positions.Count) { [string] $positions[0] } else { 'named' }
                    pipelineInput = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
                }
                $actual = [ordered]@{
                    type          = [string] $documented.type.name
                    required      = ([string] $documented.required).ToLowerInvariant()
                    position      = ([string] $documented.position).ToLowerInvariant()
                    pipelineInput = [string] $documented.pipelineInput
                }
                foreach ($key in $expected.Keys) {
                    if ($expected[$key] -ne $actual[$key]) { "-$($parameter.Name) $($key): help says '$($actual[$key])', the cmdlet '$($expected[$key])'" }
                }
            }
            $mismatches | Should -BeNullOrEmpty
        }

        It 'has one syntax block per parameter set, with that set''s parameters' {
            $expected = @($command.ParameterSets | ForEach-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $common }) | Sort-Object) -join ' ' } | Sort-Object)
            $actual = @($help.syntax.syntaxItem | ForEach-Object { (@($_.parameter | Where-Object { $null -ne $_ } | ForEach-Object name) | Sort-Object) -join ' ' } | Sort-Object)
            $actual | Should -Be $expected
        }

        It 'documents its inputs and its output types' {
            @($help.inputTypes.inputType.type.name | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
            $documented = @($help.returnValues.returnValue.type.name | Where-Object { $_ })
            foreach ($outputType in $command.OutputType.Name) {
                $documented | Should -Contain $(if ($outputType -eq 'System.Void') { 'None' } else { $outputType })
            }
        }

        It 'has notes' {
            Get-HelpText $help.alertSet.alert | Should -Not -BeNullOrEmpty
        }

        It 'has at least two examples, each with code and remarks' {
            $examples = @($help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                [string] $example.code | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
                Get-HelpText $example.remarks | Should -Not -BeNullOrEmpty -Because "$($example.title) needs remarks"
            }
        }

        It 'links to about_VideoTranslation' {
            @($help.relatedLinks.navigationLink.linkText | ForEach-Object { "$_".Trim() }) | Should -Contain 'about_VideoTranslation'
        }

        It 'opens its own section of docs/cmdlets.md with Get-Help -Online' {
            # Get-Help -Online opens the first related link that has a URI.
            $online = @($help.relatedLinks.navigationLink | Where-Object { "$($_.uri)".Trim() })[0]
            $online.linkText | Should -Be 'Online Version:'
            $online.uri | Should -Be "https://github.com/videotranslation-ps/VideoTranslation.PS/blob/main/docs/cmdlets.md#$($Name.ToLowerInvariant())"
            Get-Content -LiteralPath (Join-Path $repoRoot 'docs/cmdlets.md') | Should -Contain "## $Name"
        }
    }

    It 'docs/cmdlets.md, which the Online links open, is what tools/New-CmdletReference.ps1 makes of the shipped help' {
        $shipped = Join-Path (Get-BuiltModulePath) 'en-US/VideoTranslation.PowerShell.dll-Help.xml'
        $expected = & (Join-Path $repoRoot 'tools/New-CmdletReference.ps1') -HelpFile $shipped -OutFile -
        Get-Content -LiteralPath (Join-Path $repoRoot 'docs/cmdlets.md') -Raw | Should -BeExactly $expected -Because 'run ./tools/New-CmdletReference.ps1 after changing the help'
    }

    It 'has a manifest that points at the online docs and says what this version does' {
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path (Get-BuiltModulePath) 'VideoTranslation.psd1')
        $manifest.HelpInfoUri | Should -Be 'https://github.com/videotranslation-ps/VideoTranslation.PS/blob/main/docs/cmdlets.md'
        $notes = $manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Not -Be 'See README.md.'
        foreach ($cmdlet in $module.ExportedCmdlets.Keys) {
            $notes | Should -Match ([regex]::Escape($cmdlet)) -Because 'the release notes say what each cmdlet does in this version'
        }
    }

    Context 'about_VideoTranslation' {
        BeforeAll {
            $about = Get-Help -Name about_VideoTranslation -ErrorAction Stop | Out-String
            $errorIds = @(Get-ErrorIdConstant)
        }

        It 'is found by Get-Help' {
            $about | Should -Match '(?m)^TOPIC\s+about_VideoTranslation\s*$'
        }

        It 'has the sections of an about topic' {
            foreach ($heading in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'EXAMPLES', 'SEE ALSO') {
                $about | Should -Match "(?m)^$heading\s*$"
            }
        }

        It 'names every ErrorId of ErrorIds.cs' {
            $errorIds.Count | Should -BeGreaterThan 10 -Because 'ErrorIds.cs must still be readable by this test'
            $missing = @($errorIds | Where-Object { $about -notmatch "\b$([regex]::Escape($_))\b" })
            $missing | Should -BeNullOrEmpty -Because 'the about topic''s error table lists every ErrorId'
        }

        It 'has every ErrorId in the notes of a cmdlet that writes it' {
            $notes = ($module.ExportedCmdlets.Keys | ForEach-Object { Get-HelpText (Get-Help -Name $_ -Full).alertSet.alert }) -join "`n"
            $missing = @($errorIds | Where-Object { $notes -notmatch "\b$([regex]::Escape($_))\b" })
            $missing | Should -BeNullOrEmpty
        }
    }
}

Describe 'Format views' {
    BeforeAll {
        # The core assembly loads on first use; load it the way the module does, through a cmdlet's OutputType.
        $null = (Get-Command -Name Get-TranslationStatus -Module VideoTranslation).OutputType.Type
        $observedAt = [DateTimeOffset]::new(2026, 1, 2, 3, 4, 5, 678, [TimeSpan]::Zero)
        $pending = [VideoTranslation.TranslationStatus]::new(
            [VideoTranslation.TranslationState]::Pending, 'pending', $observedAt, [uri] 'http://127.0.0.1:5080/jobs/job-1/status',
            'job-1', 0.4, [TimeSpan]::FromSeconds(6), [TimeSpan]::FromSeconds(6))
        $completed = [VideoTranslation.TranslationStatus]::new(
            [VideoTranslation.TranslationState]::Completed, 'completed', $observedAt.AddSeconds(12.5), [uri] 'http://127.0.0.1:5080/jobs/job-1/status',
            'job-1', $null, $null, $null)
        $simulator = [pscustomobject]@{
            PSTypeName = 'VideoTranslation.PowerShell.TranslationSimulator'
            Uri        = [uri] 'http://127.0.0.1:5080/'
            ProcessId  = 4242
            StartTime  = $observedAt
            DelayModel = 'Fixed'
            Service    = 'HeyGen'
            Settings   = [ordered]@{ 'delay-model' = 'Fixed'; delay = '1'; service = 'HeyGen' }
            IsRunning  = $true
        }
        $time = $observedAt.LocalDateTime.ToString('HH:mm:ss.fff')
        $samples = @{
            'VideoTranslation.TranslationStatus'               = @{ Object = $pending; Cells = @('job-1', 'Pending', '40%', ('{0:0.0} s' -f 6), $time) }
            'VideoTranslation.TranslationWaitResult'           = @{
                Object = [VideoTranslation.TranslationWaitResult]::new($completed, 3, [TimeSpan]::FromSeconds(12.5), [VideoTranslation.TranslationStatus[]] @($pending, $completed))
                Cells  = @('job-1', 'Completed', '3', ('{0:0.00} s' -f 12.5), "Pending$([char] 0x2192)Completed")
            }
            'VideoTranslation.TranslationJob'                  = @{
                Object = [VideoTranslation.TranslationJob]::new('job-1', [uri] 'http://127.0.0.1:5080/', [uri] 'http://127.0.0.1:5080/jobs/job-1/status', [VideoTranslation.TranslationState]::Pending, $observedAt)
                Cells  = @('job-1', 'Pending', 'http://127.0.0.1:5080/', $time)
            }
            'VideoTranslation.PowerShell.TranslationSimulator' = @{ Object = $simulator; Cells = @('4242', 'http://127.0.0.1:5080/', 'HeyGen', 'Fixed', 'True', $time) }
        }
    }

    Context '<TypeName>' -ForEach $formatCases {
        It 'has a table view with the columns <Columns>' {
            $views = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition)
            $table = @($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
            $table.Count | Should -BeGreaterOrEqual 1 -Because 'the module''s format file defines a table view for the type'
            @($table[0].Control.Headers.Label) | Should -Be $Columns
        }

        It 'is the view Format-Table uses' {
            $sample = $samples[$TypeName]
            $lines = @(($sample.Object | Format-Table | Out-String -Width 200) -split '\r?\n' | Where-Object { $_.Trim() })
            $lines.Count | Should -Be 3 -Because 'a header, its underline and one row'
            @($lines[0] -split '\s+' | Where-Object { $_ }) | Should -Be $Columns
            foreach ($cell in $sample.Cells) {
                $lines[2] | Should -Match "(^|\s)$([regex]::Escape($cell))(\s|$)"
            }
        }

        It 'has a list view that Format-List uses' {
            $list = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.ListControl] })
            $list.Count | Should -BeGreaterOrEqual 1
            $labels = @($list[0].Control.Entries[0].Items | ForEach-Object { if ($_.Label) { $_.Label } else { $_.DisplayEntry.Value } })
            $shown = @(($samples[$TypeName].Object | Format-List | Out-String -Width 200) -split '\r?\n' | Where-Object { $_ -match '^(\w+)\s*:' } | ForEach-Object { $Matches[1] })
            $shown | Should -Be $labels
        }
    }
}
