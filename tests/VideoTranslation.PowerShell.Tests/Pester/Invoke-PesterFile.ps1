# Runs ONE Pester file with the real Pester module and hands back a flat, host-independent description of what
# happened. Executed by PesterHost in a fresh runspace per call (embedded resource; see PesterHost.cs).
#   -SkipRun: discovery only (Pester's Run.SkipRun): the It blocks are found but nothing is executed.
# Output: one object { Tests = @(...); Errors = @(...) }. Every test appears in Pester's own order (the order of
# $result.Tests), which is the same in discovery and in a run of an unchanged file; the bridge keys tests by it.
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $Path,
    [switch] $SkipRun
)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($Path)
$configuration.Run.PassThru = $true
$configuration.Run.SkipRun = [bool] $SkipRun
$configuration.Output.Verbosity = 'None'
$result = Invoke-Pester -Configuration $configuration

$templatePattern = '(?<!`)<([^>^`]+)>'

function Get-BlockChain ($Item) {
    # The Describe/Context blocks around an It or a block, outermost first, without Pester's root block.
    $chain = [System.Collections.Generic.List[object]]::new()
    $block = if ($Item.PSObject.Properties['Block']) { $Item.Block } else { $Item }
    while ($null -ne $block -and -not $block.IsRoot) {
        $chain.Insert(0, $block)
        $block = $block.Parent
    }
    , $chain
}

function Expand-Name ([string] $Name, [string] $ExpandedName, [object[]] $DataChain) {
    # After a run Pester has expanded '<name>' templates itself. Discovery has not, so expand them here from the
    # -ForEach data alone; a template that needs anything else (a variable from BeforeAll) is left as written.
    if (-not [string]::IsNullOrEmpty($ExpandedName) -and ($SkipRun -eq $false -or $ExpandedName -ne $Name)) {
        return $ExpandedName
    }
    if ($Name -notmatch $templatePattern) { return $Name }
    $variables = @{}
    foreach ($data in $DataChain) {
        if ($null -eq $data) { continue }
        if ($data -is [System.Collections.IDictionary]) {
            foreach ($key in $data.Keys) { $variables[[string] $key] = $data[$key] }
        }
        $variables['_'] = $data
    }
    foreach ($match in [regex]::Matches($Name, $templatePattern)) {
        $head = ($match.Groups[1].Value -split '[.\[]', 2)[0]
        if (-not $variables.ContainsKey($head)) { return $Name }
    }
    # The same expansion Pester applies: each <expr> becomes $(expr) inside a double-quoted string.
    $template = '"' + ($Name -replace '\$', '`$' -replace '"', '`"' -replace $templatePattern, '$$($$$1)') + '"'
    try {
        & {
            param($____variables, $____template)
            foreach ($____key in $____variables.Keys) { Set-Variable -Name $____key -Value $____variables[$____key] }
            & ([scriptblock]::Create($____template))
        } $variables $template
    }
    catch {
        $Name
    }
}

function ConvertTo-BridgeError ($ErrorRecord, [string] $Where) {
    $message = if ($ErrorRecord.PSObject.Properties['DisplayErrorMessage']) { $ErrorRecord.DisplayErrorMessage } else { $null }
    if ([string]::IsNullOrWhiteSpace($message)) { $message = [string] $ErrorRecord.Exception.Message }
    if ([string]::IsNullOrWhiteSpace($message)) { $message = [string] $ErrorRecord }
    $trace = if ($ErrorRecord.PSObject.Properties['DisplayStackTrace']) { $ErrorRecord.DisplayStackTrace } else { $null }
    if ([string]::IsNullOrWhiteSpace($trace)) { $trace = [string] $ErrorRecord.ScriptStackTrace }
    [pscustomobject]@{ Where = $Where; Message = [string] $message; StackTrace = [string] $trace; Exception = [string] $ErrorRecord.Exception.Message }
}

function Get-BlockTitle ($Block) {
    $kind = if ($Block.PSObject.Properties['FrameworkData'] -and $Block.FrameworkData.CommandUsed) { $Block.FrameworkData.CommandUsed } else { 'Describe' }
    "$kind '$($Block.ExpandedName)'"
}

$errors = [System.Collections.Generic.List[object]]::new()
foreach ($container in $result.Containers) {
    foreach ($record in $container.ErrorRecord) {
        $errors.Add((ConvertTo-BridgeError $record 'the file itself (discovery, or code outside any block)'))
    }
}
foreach ($block in $result.FailedBlocks) {
    foreach ($record in $block.ErrorRecord) {
        $errors.Add((ConvertTo-BridgeError $record "$(Get-BlockTitle $block) outside its It blocks (BeforeAll, AfterAll, BeforeEach, AfterEach)"))
    }
}

$tests = [System.Collections.Generic.List[object]]::new()
$index = 0
foreach ($test in $result.Tests) {
    $blocks = Get-BlockChain $test
    $dataChain = @($blocks | ForEach-Object { $_.Data }) + @(, $test.Data)
    $names = [System.Collections.Generic.List[string]]::new()
    for ($i = 0; $i -lt $blocks.Count; $i++) {
        $blockData = @($blocks | Select-Object -First ($i + 1) | ForEach-Object { $_.Data })
        $names.Add((Expand-Name $blocks[$i].Name $blocks[$i].ExpandedName $blockData))
    }
    $names.Add((Expand-Name $test.Name $test.ExpandedName $dataChain))

    # An It that failed without an error of its own failed because a block around it did (say, its BeforeAll).
    $ownErrors = @($test.ErrorRecord | Where-Object { $null -ne $_ } | ForEach-Object { ConvertTo-BridgeError $_ 'It' })
    $blockErrors = @(foreach ($block in $blocks) {
            foreach ($record in $block.ErrorRecord) { ConvertTo-BridgeError $record (Get-BlockTitle $block) }
        })

    $tests.Add([pscustomobject]@{
            Index       = $index
            Path        = [string[]] @($test.Path)
            Names       = [string[]] $names
            ExpandedPath = [string] $test.ExpandedPath
            Result      = [string] $test.Result
            StaticSkip  = [bool] $test.Skip
            Line        = [int] $test.StartLine
            Errors      = $ownErrors
            BlockErrors = $blockErrors
        })
    $index++
}

[pscustomobject]@{ Tests = $tests.ToArray(); Errors = $errors.ToArray() }
