# Pester 5 tests of the services on the BUILT module ($env:VIDEOTRANSLATION_MODULE_PATH): -Service and -ServiceProfile
# on Get-TranslationStatus, Wait-TranslationJob and New-TranslationJob. Most run against a scripted loopback server of
# this file (Start-ScriptedServer below): it answers each path with the answers given for it, in order (the last one
# repeats), 404 with a made-up error envelope for any other path, and records every request (head and body) — so a test
# can serve a service that exists nowhere in the code ("Renders": GET /api/v2/renders/{id} →
# {"render":{"state":…,"output":{"href":…},"problem":…}}) and HeyGen's v3 shapes (docs/services.md), and show that a
# refused parameter or profile sent nothing. The HeyGen simulator's tests run once Start-TranslationSimulator has -Service.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $noHeyGenSimulator = -not (Get-Command Start-TranslationSimulator).Parameters.ContainsKey('Service')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop

    function Start-ScriptedServer {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $routes = [hashtable]::Synchronized(@{})
        $hits = [hashtable]::Synchronized(@{})
        $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Listener, $Routes, $Hits, $Requests)
                while ($true) {
                    try { $client = $Listener.AcceptTcpClient() } catch { return } # stopped
                    try {
                        $stream = $client.GetStream()
                        $stream.ReadTimeout = 5000
                        $received = [System.IO.MemoryStream]::new()
                        $buffer = [byte[]]::new(8192)
                        $text = ''
                        while (($end = $text.IndexOf("`r`n`r`n")) -lt 0) {
                            $read = $stream.Read($buffer, 0, $buffer.Length)
                            if ($read -le 0) { break }
                            $received.Write($buffer, 0, $read)
                            $text = [System.Text.Encoding]::UTF8.GetString($received.ToArray())
                        }
                        if ($end -lt 0) { continue }
                        $head = $text.Substring(0, $end)
                        $length = if ($head -match '(?im)^content-length:\s*(\d+)') { [int]$Matches[1] } else { 0 }
                        while ([System.Text.Encoding]::UTF8.GetByteCount($text) - $end - 4 -lt $length) {
                            $read = $stream.Read($buffer, 0, $buffer.Length)
                            if ($read -le 0) { break }
                            $received.Write($buffer, 0, $read)
                            $text = [System.Text.Encoding]::UTF8.GetString($received.ToArray())
                        }
                        $method, $target, $null = ($head -split "`r`n")[0] -split ' '
                        $Requests.Enqueue([pscustomobject]@{ Method = $method; Path = $target; Head = $head; Body = $text.Substring($end + 4) })
                        $answers = $Routes["$method $target"]
                        if ($answers) {
                            $n = [int]$Hits["$method $target"]
                            $Hits["$method $target"] = $n + 1
                            $answer = $answers[[math]::Min($n, $answers.Count - 1)]
                        }
                        else {
                            $answer = @{ Status = 404; Body = "{`"fault`":{`"id`":`"no_such_render`",`"text`":`"Nothing at $target`"}}" }
                        }
                        $status = if ($answer.Status) { $answer.Status } else { 200 }
                        $body = [System.Text.Encoding]::UTF8.GetBytes($answer.Body)
                        $bytes = [System.Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status Scripted`r`nContent-Type: application/json`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n")
                        $stream.Write($bytes, 0, $bytes.Length)
                        $stream.Write($body, 0, $body.Length)
                        $stream.Flush()
                    }
                    catch { $Requests.Enqueue([pscustomobject]@{ Method = 'FAILED'; Path = "$_"; Head = ''; Body = '' }) }
                    finally { $client.Dispose() }
                }
            }.ToString()).AddArgument($listener).AddArgument($routes).AddArgument($hits).AddArgument($requests)
        [pscustomobject]@{
            Uri = [uri]"http://127.0.0.1:$($listener.LocalEndpoint.Port)/"; Routes = $routes; Requests = $requests
            Listener = $listener; PowerShell = $ps; Handle = $ps.BeginInvoke()
        }
    }

    function Stop-ScriptedServer ($Server) {
        if (-not $Server) { return }
        $Server.Listener.Stop()
        $null = $Server.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(10))
        $Server.PowerShell.Dispose()
    }

    # Serves $Answers (JSON texts, or @{ Status = 402; Body = … }) at "GET /path" (or "POST /path"), one per request.
    function Set-Route ([string] $Route, [object[]] $Answers) {
        $server.Routes[$Route] = @($Answers | ForEach-Object { if ($_ -is [string]) { @{ Body = $_ } } else { $_ } })
    }

    function Get-Request ([string] $Like = '*') { @($server.Requests.ToArray() | Where-Object { "$($_.Method) $($_.Path)" -like $Like }) }

    function Render ([string] $State, [string] $Href, [string] $Problem, [double] $Progress = -1, [string] $FinishedAt) {
        $render = [ordered]@{ state = $State }
        if ($FinishedAt) { $render.finished = $FinishedAt }
        if ($Progress -ge 0) { $render.progress = $Progress }
        if ($Href) { $render.output = @{ href = $Href } }
        if ($Problem) { $render.problem = $Problem }
        ConvertTo-Json -Compress -Depth 5 @{ render = $render }
    }

    function HeyGenStatus ([string] $Id, [string] $Status, [string] $Language = 'Spanish (Spain)', [string] $VideoUrl, [string] $FailureMessage) {
        $data = [ordered]@{ id = $Id; status = $Status; output_language = $Language; video_url = $VideoUrl; failure_message = $FailureMessage }
        ConvertTo-Json -Compress @{ data = $data }
    }

    # A service that exists nowhere in the code: only this hashtable says how to read it.
    $renders = @{
        Name               = 'Renders'
        StatusUrl          = 'api/v2/renders/{id}'
        StatusPath         = 'render.state'
        PendingValues      = 'QUEUED', 'RENDERING'
        CompletedValues    = 'DONE'
        FailedValues       = 'BROKEN'
        VideoUrlPath       = 'render.output.href'
        FailureMessagePath = 'render.problem'
        ProgressPath       = 'render.progress'
        ErrorCodePath      = 'fault.id'
        ErrorMessagePath   = 'fault.text'
        CompletedAtPath    = 'render.finished'
    }
    $fast = @{ Strategy = 'Fixed'; Interval = 0.05 }

    $savedKeys = @{ VIDEOTRANSLATION_API_KEY = $env:VIDEOTRANSLATION_API_KEY; HEYGEN_API_KEY = $env:HEYGEN_API_KEY }
    $env:VIDEOTRANSLATION_API_KEY = $null
    $env:HEYGEN_API_KEY = $null
    $server = Start-ScriptedServer
    $uri = $server.Uri
}

AfterAll {
    Stop-ScriptedServer $server
    $env:VIDEOTRANSLATION_API_KEY = $savedKeys.VIDEOTRANSLATION_API_KEY
    $env:HEYGEN_API_KEY = $savedKeys.HEYGEN_API_KEY
}

Describe 'A service profile' {
    Context 'a service that exists nowhere in the code, described by a hashtable' {
        It 'waits on a job from pending to done over a few checks, with its result URL' {
            Set-Route 'GET /api/v2/renders/r-ok' (Render QUEUED), (Render RENDERING -Progress 0.5), (Render RENDERING -Progress 0.9), (Render DONE -Href 'https://cdn.example/r-ok.mp4')

            $result = Wait-TranslationJob -Uri $uri -JobId r-ok -ServiceProfile $renders @fast

            $result.State | Should -Be Completed
            $result.Succeeded | Should -BeTrue
            $result.VideoUrl | Should -Be 'https://cdn.example/r-ok.mp4'
            $result.Service | Should -Be 'Renders'
            $result.FinalStatus.RawResult | Should -Be 'DONE'
            $result.Attempts | Should -Be 4
            @($result.History.RawResult) -join ',' | Should -Be 'QUEUED,RENDERING,DONE' -Because "a change of the service's word is a status change"
            $result.History.ToString() | Should -Be 'Pending->Completed'
            (Get-Request 'GET /api/v2/renders/r-ok').Count | Should -Be 4
        }

        It 'measures the detection lateness from the end time the profile''s CompletedAtPath finds' {
            $finished = [datetimeoffset]::UtcNow.AddSeconds(-30)
            Set-Route 'GET /api/v2/renders/r-late' (Render DONE -Href 'https://cdn.example/r-late.mp4' -FinishedAt $finished.ToString('o'))

            $result = Wait-TranslationJob -Uri $uri -JobId r-late -ServiceProfile $renders @fast

            $result.FinalStatus.CompletedAt | Should -Be $finished
            $result.DetectionLateness.TotalSeconds | Should -BeGreaterOrEqual 30
            $result.DetectionLateness.TotalSeconds | Should -BeLessThan 120
        }

        It 'reads one status with Get-TranslationStatus: the service''s word, its progress' {
            Set-Route 'GET /api/v2/renders/r-mid' (Render RENDERING -Progress 0.25)

            $status = Get-TranslationStatus -Uri $uri -JobId r-mid -ServiceProfile $renders

            $status.State | Should -Be Pending
            $status.RawResult | Should -Be 'RENDERING'
            $status.Progress | Should -Be 0.25
            $status.Service | Should -Be 'Renders'
            $status.RequestUri | Should -Be "$($uri)api/v2/renders/r-mid"
        }

        It 'ends a failed job with its result and a TranslationJobFailed error that says the service''s failure message' {
            Set-Route 'GET /api/v2/renders/r-bad' (Render QUEUED), (Render BROKEN -Problem 'The codec HEVC-12 is not supported')

            $result = Wait-TranslationJob -Uri $uri -JobId r-bad -ServiceProfile $renders @fast -ErrorVariable failures -ErrorAction SilentlyContinue

            $result.State | Should -Be Error
            $result.FailureMessage | Should -Be 'The codec HEVC-12 is not supported'
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobFailed,*'
            $failures[0].ToString() | Should -BeLike "*'BROKEN': The codec HEVC-12 is not supported"
            $failures[0].Exception.Message | Should -BeLike '*The codec HEVC-12 is not supported'
        }

        It 'shows VideoUrl and FailureMessage in the list view of a result' {
            Set-Route 'GET /api/v2/renders/r-view' (Render BROKEN -Problem 'Out of disk')

            $text = Wait-TranslationJob -Uri $uri -JobId r-view -ServiceProfile $renders @fast -ErrorAction SilentlyContinue | Format-List | Out-String

            $text | Should -Match '(?m)^FailureMessage\s*: Out of disk'
            $text | Should -Match '(?m)^Service\s*: Renders'
            $text | Should -Match '(?m)^VideoUrl\s*:'
        }

        It 'stops at an unknown status word with TranslationProtocolViolation naming the word and the words it knows' {
            Set-Route 'GET /api/v2/renders/r-odd' (Render EXPLODED)

            $null = Wait-TranslationJob -Uri $uri -JobId r-odd -ServiceProfile $renders @fast -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationProtocolViolation,*'
            $failures[0].CategoryInfo.Category | Should -Be InvalidResult
            $message = $failures[0].Exception.Message
            $message | Should -BeLike '*"EXPLODED"*'
            foreach ($word in 'QUEUED', 'RENDERING', 'DONE', 'BROKEN') { $message | Should -BeLike "*`"$word`"*" }
            (Get-Request 'GET /api/v2/renders/r-odd').Count | Should -Be 1 -Because 'an unknown word is not retried'
        }

        It 'reads the service''s error envelope by the profile''s ErrorCodePath and ErrorMessagePath' {
            $null = Get-TranslationStatus -Uri $uri -JobId r-none -ServiceProfile $renders -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobNotFound,*'
            $failures[0].Exception.ErrorCode | Should -Be 'no_such_render'
            $failures[0].ToString() | Should -BeLike '*no_such_render: Nothing at /api/v2/renders/r-none*'
        }

        It 'takes a piped status of the profile''s service with the same -ServiceProfile, and refuses it without one' {
            Set-Route 'GET /api/v2/renders/r-pipe' (Render DONE -Href 'https://cdn.example/r-pipe.mp4')
            $status = Get-TranslationStatus -Uri $uri -JobId r-pipe -ServiceProfile $renders
            $before = (Get-Request 'GET /api/v2/renders/r-pipe').Count

            ($status | Wait-TranslationJob -ServiceProfile $renders @fast).VideoUrl | Should -Be 'https://cdn.example/r-pipe.mp4'
            $null = $status | Wait-TranslationJob @fast -ErrorVariable failures -ErrorAction SilentlyContinue

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnknownTranslationService,*'
            $failures[0].ToString() | Should -BeLike "*'Renders'*-ServiceProfile*"
            (Get-Request 'GET /api/v2/renders/r-pipe').Count | Should -Be ($before + 1) -Because 'the refused record sent nothing'
        }
    }

    Context 'in the background' {
        It 'waits with -AsJob on the profile given, also from a relative path' {
            Set-Route 'GET /api/v2/renders/r-job' (Render QUEUED), (Render DONE -Href 'https://cdn.example/r-job.mp4')
            $renders | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $TestDrive 'job.json')
            Push-Location $TestDrive
            try {
                $job = Wait-TranslationJob -Uri $uri -JobId r-job -ServiceProfile ./job.json @fast -AsJob
            }
            finally {
                Pop-Location
            }
            try {
                $result = $job | Wait-Job -Timeout 30 | Receive-Job
                $result.VideoUrl | Should -Be 'https://cdn.example/r-job.mp4'
                $result.Service | Should -Be 'Renders'
            }
            finally {
                $job | Remove-Job -Force
            }
        }
    }

    Context 'from a file' {
        It 'waits with the same profile from a <Kind> file' -ForEach @(
            @{ Kind = '.psd1' }
            @{ Kind = '.json' }
        ) {
            $path = Join-Path $TestDrive "renders$Kind"
            if ($Kind -eq '.json') {
                $renders | ConvertTo-Json | Set-Content -LiteralPath $path
            }
            else {
                $lines = foreach ($key in $renders.Keys) { "    $key = $((@($renders[$key]) | ForEach-Object { "'$_'" }) -join ', ')" }
                "@{`n$($lines -join "`n")`n}" | Set-Content -LiteralPath $path
            }
            Set-Route "GET /api/v2/renders/file$Kind" (Render QUEUED), (Render DONE -Href "https://cdn.example/file$Kind.mp4")

            $result = Wait-TranslationJob -Uri $uri -JobId "file$Kind" -ServiceProfile $path @fast

            $result.VideoUrl | Should -Be "https://cdn.example/file$Kind.mp4"
            $result.Service | Should -Be 'Renders'
        }
    }

    Context 'a wrong profile is refused before any request' {
        BeforeAll {
            Set-Content -LiteralPath (Join-Path $TestDrive 'broken.json') -Value '{ "StatusUrl": "api/{id}", '
            Set-Content -LiteralPath (Join-Path $TestDrive 'script.psd1') -Value '@{ StatusUrl = (Get-Date) }'
            function Changed ([hashtable] $Set = @{}, [string[]] $Remove = @()) {
                $p = $renders.Clone()
                foreach ($k in $Remove) { $p.Remove($k) }
                foreach ($k in $Set.Keys) { $p[$k] = $Set[$k] }
                $p
            }
        }

        It '<Command> refuses <Case> with InvalidServiceProfile (<Category>): <Expected>' -ForEach @(
            @{ Case = 'a URL with no {id}'; Profile = { Changed @{ StatusUrl = 'api/v2/renders' } }; Expected = '*StatusUrl*has no {id}*'; Category = 'InvalidArgument' }
            @{ Case = 'a path that is not one'; Profile = { Changed @{ StatusPath = 'render..state' } }; Expected = '*StatusPath*is not a path*'; Category = 'InvalidArgument' }
            @{ Case = 'a missing StatusPath'; Profile = { Changed -Remove StatusPath }; Expected = '*StatusPath is missing*'; Category = 'InvalidArgument' }
            @{ Case = 'a missing word list'; Profile = { Changed -Remove CompletedValues }; Expected = '*CompletedValues is empty*'; Category = 'InvalidArgument' }
            @{ Case = 'an unknown key'; Profile = { Changed @{ StatusWord = 'x' } }; Expected = "*'StatusWord' is not a key of a service profile; the keys are Name, StatusUrl*"; Category = 'InvalidArgument' }
            @{ Case = 'a word in two lists'; Profile = { Changed @{ FailedValues = 'BROKEN', 'done' } }; Expected = "*FailedValues has 'done', which is also in CompletedValues*"; Category = 'InvalidArgument' }
            @{ Case = 'a word list of the wrong type'; Profile = { Changed @{ PendingValues = @{ a = 1 } } }; Expected = "*'PendingValues' must be a list of status words (strings), not a hashtable*"; Category = 'InvalidArgument' }
            @{ Case = 'a number for a path'; Profile = { Changed @{ StatusPath = 42 } }; Expected = "*'StatusPath' must be a string, not a Int32*"; Category = 'InvalidArgument' }
            @{ Case = 'a .json file that is not JSON'; Profile = { Join-Path $TestDrive 'broken.json' }; Expected = '*broken.json* is wrong: it is not JSON*'; Category = 'InvalidData' }
            @{ Case = 'a .psd1 file that runs code'; Profile = { Join-Path $TestDrive 'script.psd1' }; Expected = '*script.psd1* is wrong: it holds something that is not a constant*'; Category = 'InvalidData' }
            @{ Case = 'a path that does not exist'; Profile = { Join-Path $TestDrive 'missing.json' }; Expected = '*missing.json* is wrong: there is no such file.'; Category = 'ObjectNotFound' }
            @{ Case = 'a file that is neither .psd1 nor .json'; Profile = { $p = Join-Path $TestDrive 'p.txt'; Set-Content $p 'x'; $p }; Expected = "*is a .psd1 (a PowerShell hashtable) or a .json file, not '.txt'*"; Category = 'InvalidArgument' }
            @{ Case = 'an object that is no profile'; Profile = { 42 }; Expected = '*takes a hashtable, or the path of a .psd1 or .json file, not a Int32*'; Category = 'InvalidArgument' }
        ) {
            $profile = & $Profile
            $before = $server.Requests.Count
            foreach ($command in 'Wait-TranslationJob', 'Get-TranslationStatus') {
                $failure = $null
                $extra = if ($command -eq 'Wait-TranslationJob') { $fast } else { @{} }
                try { & $command -Uri $uri -JobId r-ok -ServiceProfile $profile @extra } catch { $failure = $_ }

                $failure | Should -Not -BeNullOrEmpty -Because "$command must stop"
                $failure.FullyQualifiedErrorId | Should -Be "InvalidServiceProfile,VideoTranslation.PowerShell.$($command -replace '-')Command"
                $failure.CategoryInfo.Category | Should -Be $Category
                $failure.ToString() | Should -BeLike $Expected
            }
            $server.Requests.Count | Should -Be $before -Because 'a wrong profile sends nothing'
        }
    }
}

Describe '-Service' {
    It 'refuses a name that is no built-in service with UnknownTranslationService, before any request' {
        $before = $server.Requests.Count
        { Get-TranslationStatus -Uri $uri -JobId x -Service Renders } | Should -Throw -ErrorId 'UnknownTranslationService,*' -ExpectedMessage '*Simulator, HeyGen, HeyGenV2, HeyGenVideo*'
        { Wait-TranslationJob -Uri $uri -JobId x -Service Nope } | Should -Throw -ErrorId 'UnknownTranslationService,*'
        { New-TranslationJob -Uri $uri -Service Nope } | Should -Throw -ErrorId 'UnknownTranslationService,*'
        $server.Requests.Count | Should -Be $before
    }

    It 'refuses -Service with -ServiceProfile with ConflictingServiceParameters, before any request' {
        $before = $server.Requests.Count
        { Wait-TranslationJob -Uri $uri -JobId x -Service HeyGen -ServiceProfile $renders } | Should -Throw -ErrorId 'ConflictingServiceParameters,*' -ExpectedMessage '*cannot be used together*'
        { Get-TranslationStatus -Uri $uri -JobId x -Service Simulator -ServiceProfile $renders } | Should -Throw -ErrorId 'ConflictingServiceParameters,*'
        $server.Requests.Count | Should -Be $before
    }

    It 'completes -Service with the built-in names on <Command>' -ForEach @(
        @{ Command = 'Wait-TranslationJob' }, @{ Command = 'Get-TranslationStatus' }, @{ Command = 'New-TranslationJob' }
    ) {
        Get-Completion "$Command -Service " | Should -Be @('Simulator', 'HeyGen', 'HeyGenV2', 'HeyGenVideo')
        Get-Completion "$Command -Service heygenv" | Should -Be @('HeyGenV2', 'HeyGenVideo')
    }

    It 'speaks HeyGen v3 with -Service HeyGen (any case): the path, the status words, the result URL' {
        Set-Route 'GET /v3/video-translations/t-1' (HeyGenStatus t-1 pending), (HeyGenStatus t-1 running), (HeyGenStatus t-1 completed -VideoUrl 'https://cdn.example/t-1.mp4')

        $result = Wait-TranslationJob -Uri $uri -JobId t-1 -Service heygen @fast

        $result.State | Should -Be Completed
        $result.VideoUrl | Should -Be 'https://cdn.example/t-1.mp4'
        $result.Service | Should -Be 'HeyGen'
        $result.FinalStatus.Language | Should -Be 'Spanish (Spain)'
        (Get-Request 'GET /v3/video-translations/t-1').Count | Should -Be 3
    }

    It 'speaks HeyGen v2 (-Service HeyGenV2) and HeyGen''s video status (-Service HeyGenVideo)' {
        Set-Route 'GET /v2/video_translate/v2-1' '{"error":null,"data":{"video_translate_id":"v2-1","status":"running","url":null,"message":null}}', '{"error":null,"data":{"video_translate_id":"v2-1","status":"success","url":"https://cdn.example/v2-1.mp4","message":null}}'
        Set-Route 'GET /v1/video_status.get?video_id=v1-1' '{"code":100,"data":{"id":"v1-1","status":"waiting","video_url":null,"error":null},"message":"Success"}', '{"code":100,"data":{"id":"v1-1","status":"failed","video_url":null,"error":{"code":40119,"detail":"Video is too long","message":"Video is too long (> 3600.0s)."}},"message":"Success"}'

        $v2 = Wait-TranslationJob -Uri $uri -JobId v2-1 -Service HeyGenV2 @fast
        $v1 = Wait-TranslationJob -Uri $uri -JobId v1-1 -Service HeyGenVideo @fast -ErrorAction SilentlyContinue

        $v2.VideoUrl | Should -Be 'https://cdn.example/v2-1.mp4'
        $v2.Service | Should -Be 'HeyGenV2'
        $v1.State | Should -Be Error
        $v1.FailureMessage | Should -Be 'Video is too long (> 3600.0s).'
        @($v1.History.RawResult) -join ',' | Should -Be 'waiting,failed'
    }

    It 'waits with HeyGen''s own polling when no strategy parameter is given: the next check is about 30 s away' {
        Set-Route 'GET /v3/video-translations/slow' (HeyGenStatus slow pending)
        $run = Start-InNewRunspace 'param($Uri) Wait-TranslationJob -Uri $Uri -JobId slow -Service HeyGen' @{ Uri = $uri }
        try {
            $planned = { @($run.PowerShell.Streams.Progress | Where-Object CurrentOperation -Like 'next check in *') }
            Wait-Until { (& $planned).Count -ge 1 } 10 | Should -BeTrue -Because 'the wait plans its next check after the first'
            $next = [double]((& $planned)[0].CurrentOperation -replace '^next check in ([\d.]+) s$', '$1')
        }
        finally {
            $run.PowerShell.Stop()
            $run.PowerShell.Dispose()
        }
        $next | Should -BeGreaterThan 20 -Because 'HeyGen advises a check every 30 s at first (10 % jitter); the cmdlet''s own -Interval default is 1 s'
        $next | Should -BeLessOrEqual 30
    }

    It 'asks for a -JobId where the service has no single-job endpoint (InvalidTranslationRequest), before any request' {
        $before = $server.Requests.Count
        { Get-TranslationStatus -Uri $uri -Service HeyGen } | Should -Throw -ErrorId 'InvalidTranslationRequest,*' -ExpectedMessage '*-JobId*'
        { Wait-TranslationJob -Uri $uri -ServiceProfile $renders } | Should -Throw -ErrorId 'InvalidTranslationRequest,*'
        $server.Requests.Count | Should -Be $before
    }

    It 'writes TranslationQuotaExceeded (QuotaExceeded) for a 402, with HeyGen''s code and message' {
        Set-Route 'GET /v3/video-translations/t-402' @{ Status = 402; Body = '{"error":{"code":"insufficient_credit","message":"Your account has 5 credits but this video requires 10 credits.","doc_url":"https://developers.heygen.com/docs/error-codes#insufficient-credit"}}' }

        $null = Get-TranslationStatus -Uri $uri -JobId t-402 -Service HeyGen -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationQuotaExceeded,*'
        $failures[0].CategoryInfo.Category | Should -Be QuotaExceeded
        $failures[0].ToString() | Should -BeLike '*insufficient_credit: Your account has 5 credits but this video requires 10 credits.*'
    }
}

Describe 'The API key for a service' {
    BeforeAll {
        Set-Route 'GET /jobs/k/status' '{"result":"completed"}'
        Set-Route 'GET /v3/video-translations/k' (HeyGenStatus k completed -VideoUrl 'https://cdn.example/k.mp4')
        function KeyOf ([string] $Service) {
            $null = Get-TranslationStatus -Uri $uri -JobId k -Service $Service
            $head = (Get-Request "GET /*/k*")[-1].Head
            if ($head -match '(?im)^x-api-key:\s*(.+)$') { $Matches[1].Trim() } else { '(none)' }
        }
    }
    AfterEach {
        $env:VIDEOTRANSLATION_API_KEY = $null
        $env:HEYGEN_API_KEY = $null
    }

    It 'sends $env:HEYGEN_API_KEY to the HeyGen services only' {
        $env:HEYGEN_API_KEY = 'hg-key-1'

        KeyOf HeyGen | Should -Be 'hg-key-1'
        KeyOf Simulator | Should -Be '(none)'
    }

    It 'prefers $env:VIDEOTRANSLATION_API_KEY to $env:HEYGEN_API_KEY, and -ApiKey to both' {
        $env:HEYGEN_API_KEY = 'hg-key-2'
        $env:VIDEOTRANSLATION_API_KEY = 'vt-key-2'

        KeyOf HeyGen | Should -Be 'vt-key-2'
        KeyOf Simulator | Should -Be 'vt-key-2'
        $null = Get-TranslationStatus -Uri $uri -JobId k -Service HeyGen -ApiKey (ConvertTo-SecureString 'arg-key-2' -AsPlainText -Force)
        (Get-Request 'GET /v3/video-translations/k')[-1].Head | Should -Match '(?im)^x-api-key:\s*arg-key-2\s*$'
    }

    It 'says, for a 401 without a key, that $env:HEYGEN_API_KEY is one way to give it (HeyGen only)' {
        Set-Route 'GET /v3/video-translations/k401' @{ Status = 401; Body = '{"error":{"code":"unauthorized","message":"API key provided is invalid, expired, or missing"}}' }
        Set-Route 'GET /jobs/k401/status' @{ Status = 401; Body = '{"error":"unauthorized"}' }

        $null = Get-TranslationStatus -Uri $uri -JobId k401 -Service HeyGen -ErrorVariable heygen -ErrorAction SilentlyContinue
        $null = Get-TranslationStatus -Uri $uri -JobId k401 -ErrorVariable simulator -ErrorAction SilentlyContinue

        $heygen[0].FullyQualifiedErrorId | Should -BeLike 'TranslationAccessDenied,*'
        $heygen[0].ToString() | Should -BeLike '*unauthorized: API key provided is invalid*No API key was sent*$env:HEYGEN_API_KEY*'
        $simulator[0].ToString() | Should -Not -BeLike '*HEYGEN_API_KEY*'
    }

    It 'names $env:HEYGEN_API_KEY as where a refused key came from' {
        $env:HEYGEN_API_KEY = 'hg-wrong'
        Set-Route 'GET /v3/video-translations/k401b' @{ Status = 401; Body = '{"error":{"code":"unauthorized","message":"API key provided is invalid, expired, or missing"}}' }

        $null = Get-TranslationStatus -Uri $uri -JobId k401b -Service HeyGen -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].ToString() | Should -BeLike '*The API key from $env:HEYGEN_API_KEY was refused*'
        $failures[0].ToString() | Should -Not -BeLike '*hg-wrong*'
    }
}

Describe 'New-TranslationJob -Service HeyGen' {
    BeforeAll {
        Set-Route 'POST /v3/video-translations' '{"data":{"video_translation_ids":["es-1","de-1"]}}'
        Set-Route 'GET /v3/video-translations/es-1' (HeyGenStatus es-1 running), (HeyGenStatus es-1 completed -VideoUrl 'https://cdn.example/es-1.mp4')
        Set-Route 'GET /v3/video-translations/de-1' (HeyGenStatus de-1 pending 'German (Germany)'), (HeyGenStatus de-1 failed 'German (Germany)' -FailureMessage 'Speech could not be detected')
    }

    It 'creates one job per language, each with its Language and Service, and pipes them into Wait-TranslationJob' {
        $jobs = New-TranslationJob -Uri $uri -Service HeyGen -VideoUrl 'https://videos.example/talk.mp4' -OutputLanguage 'Spanish (Spain)', 'German (Germany)' -Mode Precision -Title 'Talk' -CallbackUrl 'https://hooks.example/heygen' -CallbackId 'run-7'

        $jobs | Should -HaveCount 2
        $jobs.Id | Should -Be @('es-1', 'de-1')
        $jobs.Language | Should -Be @('Spanish (Spain)', 'German (Germany)')
        $jobs.Service | Should -Be @('HeyGen', 'HeyGen')
        $create = (Get-Request 'POST /v3/video-translations')[-1]
        $create.Head | Should -Match '(?im)^idempotency-key:\s*\S+'
        $body = $create.Body | ConvertFrom-Json
        $body.video.url | Should -Be 'https://videos.example/talk.mp4'
        $body.output_languages | Should -Be @('Spanish (Spain)', 'German (Germany)')
        $body.mode | Should -Be 'precision'
        $body.title | Should -Be 'Talk'
        $body.callback_url | Should -Be 'https://hooks.example/heygen'
        $body.callback_id | Should -Be 'run-7'

        $results = $jobs | Wait-TranslationJob @fast -ErrorVariable failures -ErrorAction SilentlyContinue

        $results | Should -HaveCount 2
        ($results | Where-Object JobId -EQ es-1).VideoUrl | Should -Be 'https://cdn.example/es-1.mp4'
        ($results | Where-Object JobId -EQ de-1).FailureMessage | Should -Be 'Speech could not be detected'
        $results.Service | Should -Be @('HeyGen', 'HeyGen')
        $failures | Should -HaveCount 1
        $failures[0].ToString() | Should -BeLike "*de-1 failed*'failed': Speech could not be detected"
    }

    It 'retries a create that may heal -MaximumRetryCount times, every time with the same Idempotency-Key' {
        # Own routes under a base path of their own: each retry count starts at the first answer.
        $busy = @{ Status = 503; Body = '{"error":{"code":"service_unavailable","message":"try again"}}' }
        $made = '{"data":{"video_translation_ids":["r-1"]}}'
        Set-Route 'POST /once/v3/video-translations' @($busy, $busy, $made)
        Set-Route 'POST /twice/v3/video-translations' @($busy, $busy, $made)
        $create = @{ Service = 'HeyGen'; VideoUrl = 'https://videos.example/a.mp4'; OutputLanguage = 'French'; WarningAction = 'SilentlyContinue' }

        $none = New-TranslationJob @create -Uri "$($uri)once/" -MaximumRetryCount 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $job = New-TranslationJob @create -Uri "$($uri)twice/" -MaximumRetryCount 2

        $none | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationServerBusy,*'
        $failures[0].ToString() | Should -BeLike '*service_unavailable: try again*'
        (Get-Request 'POST /once/*') | Should -HaveCount 2 -Because '-MaximumRetryCount 1: the create and one retry'
        $job.Id | Should -Be 'r-1'
        $sent = Get-Request 'POST /twice/*'
        $sent | Should -HaveCount 3
        $keys = $sent | ForEach-Object { if ($_.Head -match '(?im)^idempotency-key:\s*(\S+)\s*$') { $Matches[1] } }
        $keys | Should -HaveCount 3
        @($keys | Select-Object -Unique) | Should -HaveCount 1
    }

    It 'sends the -IdempotencyKey given' {
        $null = New-TranslationJob -Uri $uri -Service HeyGen -VideoUrl 'https://videos.example/talk.mp4' -OutputLanguage 'Spanish (Spain)', 'German (Germany)' -IdempotencyKey 'run-8:talk'

        (Get-Request 'POST /v3/video-translations')[-1].Head | Should -Match '(?im)^idempotency-key:\s*run-8:talk\s*$'
    }

    It 'refuses <Case> with <ErrorId>, before any request' -ForEach @(
        @{ Case = 'no -VideoUrl'; Arguments = @{ OutputLanguage = 'Spanish (Spain)' }; ErrorId = 'InvalidTranslationRequest'; Expected = '*-VideoUrl*' }
        @{ Case = 'no -OutputLanguage'; Arguments = @{ VideoUrl = 'https://videos.example/a.mp4' }; ErrorId = 'InvalidTranslationRequest'; Expected = '*output language*-OutputLanguage*' }
        @{ Case = '-IdempotencyKey with -Count 2'; Arguments = @{ VideoUrl = 'https://videos.example/a.mp4'; OutputLanguage = 'x'; IdempotencyKey = 'k'; Count = 2 }; ErrorId = 'InvalidTranslationRequest'; Expected = '*-IdempotencyKey with -Count 2*' }
    ) {
        $before = $server.Requests.Count
        { New-TranslationJob -Uri $uri -Service HeyGen @Arguments } | Should -Throw -ErrorId "$ErrorId,*" -ExpectedMessage $Expected
        $server.Requests.Count | Should -Be $before
    }

    It 'writes TranslationJobCreationNotSupported (NotImplemented) for a service that does not create jobs, before any request' {
        $before = $server.Requests.Count
        $null = New-TranslationJob -Uri $uri -Service HeyGenVideo -VideoUrl 'https://videos.example/a.mp4' -OutputLanguage x -ErrorVariable video -ErrorAction SilentlyContinue
        $null = New-TranslationJob -Uri $uri -ServiceProfile $renders -ErrorVariable profile -ErrorAction SilentlyContinue

        $video[0].FullyQualifiedErrorId | Should -BeLike 'TranslationJobCreationNotSupported,*'
        $video[0].CategoryInfo.Category | Should -Be NotImplemented
        $profile[0].ToString() | Should -BeLike '*Renders service does not create jobs*'
        $server.Requests.Count | Should -Be $before
    }

    It 'sends nothing with -WhatIf; says what it creates (ShouldProcess''s verbose line)' {
        $before = $server.Requests.Count
        $null = New-TranslationJob -Uri $uri -Service HeyGen -VideoUrl 'https://videos.example/a.mp4' -OutputLanguage 'Spanish (Spain)', 'German (Germany)' -WhatIf
        $server.Requests.Count | Should -Be $before

        $verbose = New-TranslationJob -Uri $uri -Service HeyGen -VideoUrl 'https://videos.example/a.mp4' -OutputLanguage 'Spanish (Spain)', 'German (Germany)' -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose[0].Message | Should -BeLike '*Create 2 translation jobs (Spanish (Spain), German (Germany)) of https://videos.example/a.mp4 with the HeyGen service*'
    }
}

Describe 'On the HeyGen simulator' -Skip:$noHeyGenSimulator {
    # Skipped until Start-TranslationSimulator has -Service (the simulator's HeyGen modes). One simulator in HeyGen v3
    # mode with a key and a concurrency limit of 3; the Its run in order, and the last one fills the limit.
    BeforeAll {
        $plainHeyGenKey = "hg-sim-$([guid]::NewGuid().ToString('N'))"
        $heygenKey = ConvertTo-SecureString $plainHeyGenKey -AsPlainText -Force
        $sim = Start-TranslationSimulator -Service HeyGen -ConcurrencyLimit 3 -DelayModel Fixed -DelaySec 0.3 -ApiKey $heygenKey -ErrorAction Stop
        $video = 'https://videos.example/talk.mp4'
    }
    AfterAll {
        if ($sim) { $sim | Stop-TranslationSimulator }
    }

    It 'New-TranslationJob -OutputLanguage a,b | Wait-TranslationJob gives one result per language with its VideoUrl' {
        $jobs = New-TranslationJob -Uri $sim.Uri -Service HeyGen -ApiKey $heygenKey -VideoUrl $video -OutputLanguage 'Spanish (Spain)', 'German (Germany)' -Outcome Completed
        $jobs.Language | Should -Be @('Spanish (Spain)', 'German (Germany)')

        $results = $jobs | Wait-TranslationJob -ApiKey $heygenKey @fast

        $results | Should -HaveCount 2
        $results.State | Should -Be @('Completed', 'Completed')
        $results.Service | Should -Be @('HeyGen', 'HeyGen')
        $results.FinalStatus.Language | Sort-Object | Should -Be @('German (Germany)', 'Spanish (Spain)')
        foreach ($result in $results) {
            $result.VideoUrl.AbsoluteUri | Should -BeLike "$($sim.Uri)simulated-results/$($result.JobId).mp4?*"
        }
    }

    It 'takes the service from a piped simulator object: $sim | New-TranslationJob speaks HeyGen' {
        $job = $sim | New-TranslationJob -ApiKey $heygenKey -VideoUrl $video -OutputLanguage 'French (France)' -Outcome Completed

        $job.Service | Should -Be 'HeyGen'
        $job.StatusUri.AbsolutePath | Should -Be "/v3/video-translations/$($job.Id)"
        ($job | Wait-TranslationJob -ApiKey $heygenKey @fast).State | Should -Be Completed
    }

    It 'ends a failed job with its FailureMessage, in the result and in the error' {
        $result = New-TranslationJob -Uri $sim.Uri -Service HeyGen -ApiKey $heygenKey -VideoUrl $video -OutputLanguage 'Spanish (Spain)' -Outcome Error |
            Wait-TranslationJob -ApiKey $heygenKey @fast -ErrorVariable failures -ErrorAction SilentlyContinue

        $result.State | Should -Be Error
        $result.FinalStatus.RawResult | Should -Be 'failed'
        $result.FailureMessage | Should -Not -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].ToString() | Should -BeLike "*'failed': $([WildcardPattern]::Escape($result.FailureMessage))"
    }

    It 'writes TranslationAccessDenied (AuthenticationError) for a create without a key, naming $env:HEYGEN_API_KEY' {
        $null = New-TranslationJob -Uri $sim.Uri -Service HeyGen -VideoUrl $video -OutputLanguage 'Spanish (Spain)' -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'TranslationAccessDenied,*'
        $failures[0].CategoryInfo.Category | Should -Be AuthenticationError
        $failures[0].ToString() | Should -BeLike '*unauthorized*$env:HEYGEN_API_KEY*'
    }

    It 'sends $env:HEYGEN_API_KEY when no other key is given' {
        $env:HEYGEN_API_KEY = $plainHeyGenKey
        try {
            $job = New-TranslationJob -Uri $sim.Uri -Service HeyGen -VideoUrl $video -OutputLanguage 'Spanish (Spain)' -Outcome Completed
            ($job | Wait-TranslationJob @fast).State | Should -Be Completed
        }
        finally {
            $env:HEYGEN_API_KEY = $null
        }
    }

    It 'waits out a 429 rate_limit_exceeded on a create over the concurrency limit, at the server''s Retry-After, with the same Idempotency-Key' {
        $null = New-TranslationJob -Uri $sim.Uri -Service HeyGen -ApiKey $heygenKey -VideoUrl $video -OutputLanguage a, b, c -DelaySec 1.5
        $clock = [System.Diagnostics.Stopwatch]::StartNew()

        $output = New-TranslationJob -Uri $sim.Uri -Service HeyGen -ApiKey $heygenKey -VideoUrl $video -OutputLanguage d 3>&1
        $clock.Stop()

        $job = @($output | Where-Object { $_ -is [VideoTranslation.TranslationJob] })
        $job | Should -HaveCount 1
        $job[0].Language | Should -Be 'd'
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -like '*HTTP 429*(rate_limit_exceeded)*Retry-After*with the same Idempotency-Key*' }) |
            Should -Not -BeNullOrEmpty -Because 'a retried create is a warning, as a retried check is'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 0.9 -Because 'the create waited for the Retry-After of the full server (the jobs end after 1.5 s)'
    }
}
