using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VideoTranslation.Simulator.Tests.Support;

/// <summary>
/// A loopback server that answers every request with one canned HTTP answer, over TLS with a self-signed certificate
/// (made by <see cref="CertificateRequest.CreateSelfSigned"/>) or over plain TCP, and records each connection: the
/// request's head, or that the TLS handshake failed.
/// </summary>
public sealed class CannedHttpsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly string _answer;
    private readonly CancellationTokenSource _stop = new();

    public CannedHttpsServer(bool tls, string body = """{"result":"completed"}""", string certificateName = "127.0.0.1")
    {
        _certificate = tls ? SelfSigned(certificateName) : null;
        _answer = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Uri => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}/");

    /// <summary>One line per connection: the request's head, or "handshake failed: …".</summary>
    public ConcurrentQueue<string> Connections { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _certificate?.Dispose();
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out IPAddress? address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null); // with its key usable by SslStream
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(connection));
        }
    }

    private async Task AnswerAsync(TcpClient connection)
    {
        using (connection)
        {
            Stream stream = connection.GetStream();
            try
            {
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }
            }
            catch (Exception ex)
            {
                Connections.Enqueue("handshake failed: " + ex.Message);
                return;
            }

            try
            {
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    int read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        break;
                    }

                    if (head.Length == 0 && buffer[0] == 0x16)
                    {
                        // A TLS ClientHello to the plain server: answered as an HTTP server answers garbage.
                        Connections.Enqueue("not HTTP (a TLS handshake)");
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Connections.Enqueue(head.ToString());
                await stream.WriteAsync(Encoding.UTF8.GetBytes(_answer));
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The client went away.
            }
        }
    }
}
