using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// A real socket on loopback that records each request line exactly as it came over the wire (what no HttpClient
/// handler can show: the path after the client's own URL handling) and answers every request with one fixed 200 JSON
/// body, or, with no body, reads the request and closes the connection without a byte of an answer.
/// </summary>
public sealed class RawSocketServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly byte[]? _answer;
    private readonly Task _loop;

    public RawSocketServer(string? body)
    {
        _answer = body is null ? null : Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseUri { get; }

    /// <summary>The request lines so far (<c>GET /jobs/x/status HTTP/1.1</c>), in order; each is recorded before it is answered.</summary>
    public IReadOnlyList<string> RequestLines => _lines.ToArray();

    /// <summary>The request targets so far (<c>/jobs/x/status</c>).</summary>
    public IReadOnlyList<string> Targets => RequestLines.Select(l => l.Split(' ')[1]).ToArray();

    public void Dispose()
    {
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                    string? line = await reader.ReadLineAsync().ConfigureAwait(false);
                    if (line is null)
                    {
                        continue;
                    }

                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync().ConfigureAwait(false)))
                    {
                    }

                    _lines.Enqueue(line);
                    if (_answer is not null)
                    {
                        await stream.WriteAsync(_answer).ConfigureAwait(false);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
