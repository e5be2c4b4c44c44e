# A loopback HTTP server for the Pester files that need to see what a request carries, or a server with TLS: it answers
# every request with one canned answer, over TLS with a self-signed certificate (CertificateRequest.CreateSelfSigned) when
# asked, and records each connection (the request's head, or why the handshake failed). It runs in a runspace of its
# own; Stop-CannedHttpServer ends it.
function New-SelfSignedTestCertificate ([string] $Name = '127.0.0.1') {
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
            "CN=$Name", $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddIpAddress([System.Net.IPAddress]::Parse($Name))
        $request.CertificateExtensions.Add($names.Build())
        $certificate = $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(1))
        # Through PKCS#12, so that SslStream can use the private key on every platform.
        [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($certificate.Export('Pfx'), $null)
    }
    finally {
        $key.Dispose()
    }
}

function Start-CannedHttpServer ([switch] $Tls, [string] $Body = '{"result":"completed"}', [string] $Status = '200 OK') {
    $certificate = if ($Tls) { New-SelfSignedTestCertificate }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $connections = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
    $answer = "HTTP/1.1 $Status`r`nContent-Type: application/json`r`nContent-Length: $([System.Text.Encoding]::UTF8.GetByteCount($Body))`r`nConnection: close`r`n`r`n$Body"
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Listener, $Certificate, $Connections, $Answer)
            while ($true) {
                try { $client = $Listener.AcceptTcpClient() } catch { return } # stopped
                try {
                    $stream = $client.GetStream()
                    $stream.ReadTimeout = 5000
                    if ($Certificate) {
                        $ssl = [System.Net.Security.SslStream]::new($stream)
                        try { $ssl.AuthenticateAsServer($Certificate) }
                        catch { $Connections.Enqueue("handshake failed: $($_.Exception.InnerException.Message)"); continue }
                        $stream = $ssl
                    }
                    $buffer = [byte[]]::new(8192)
                    $head = ''
                    while (-not $head.Contains("`r`n`r`n")) {
                        $read = $stream.Read($buffer, 0, $buffer.Length)
                        if ($read -le 0) { break }
                        $head += [System.Text.Encoding]::ASCII.GetString($buffer, 0, $read)
                    }
                    if (-not $head) {
                        # One line per connection: a client that rejected our certificate closes before sending a request.
                        $Connections.Enqueue('closed before a request')
                        continue
                    }
                    $Connections.Enqueue($head)
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Answer)
                    $stream.Write($bytes, 0, $bytes.Length)
                    $stream.Flush()
                }
                catch { $Connections.Enqueue("failed: $_") }
                finally { $client.Dispose() }
            }
        }.ToString()).AddArgument($listener).AddArgument($certificate).AddArgument($connections).AddArgument($answer)
    $handle = $ps.BeginInvoke()
    $scheme = if ($Tls) { 'https' } else { 'http' }
    [pscustomobject]@{
        Uri         = [uri]"${scheme}://127.0.0.1:$($listener.LocalEndpoint.Port)/"
        Connections = $connections
        Listener    = $listener
        PowerShell  = $ps
        Handle      = $handle
        Certificate = $certificate
    }
}

function Stop-CannedHttpServer ($Server) {
    if (-not $Server) { return }
    $Server.Listener.Stop()
    $null = $Server.Handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(10))
    $Server.PowerShell.Dispose()
    if ($Server.Certificate) { $Server.Certificate.Dispose() }
}

Export-ModuleMember -Function New-SelfSignedTestCertificate, Start-CannedHttpServer, Stop-CannedHttpServer
