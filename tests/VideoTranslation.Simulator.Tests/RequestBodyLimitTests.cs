using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VideoTranslation.Simulator.Hosting;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>
/// Request bodies over a real socket (Kestrel's own limit applies only to a real server): one over the limit gets 413
/// problem+json and the connection closed, without the server reading the rest; malformed JSON gets 400 on every
/// route that takes a body (issue 14, item 10).
/// </summary>
public sealed class RequestBodyLimitTests(RequestBodyLimitTests.Server server) : IClassFixture<RequestBodyLimitTests.Server>
{
    // The routes of the simulator's own API that take a body; the HeyGen modes' creates are below.
    public static readonly TheoryData<string, string> BodyRoutes = new()
    {
        { "POST", "/jobs" },
        { "POST", "/jobs/status" },
        { "PUT", "/admin/faults" },
    };

    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(10);

    private KestrelSimulator Sim => server.Simulator;

    /// <summary>One simulator for the class: every test opens connections of its own.</summary>
    public sealed class Server : IAsyncLifetime
    {
        internal KestrelSimulator Simulator { get; private set; } = null!;

        public async Task InitializeAsync() => Simulator = await KestrelSimulator.StartAsync([]);

        public async Task DisposeAsync() => await Simulator.DisposeAsync();
    }

    /// <summary>What came back on a raw connection: the status line, headers, body, and whether the server then closed it.</summary>
    private sealed record RawAnswer(int Status, Dictionary<string, string> Headers, string Body, bool Closed);

    private static async Task<RawAnswer> SendAsync(Uri server, string head, Func<Stream, Task> sendBody)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        Stream stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        try
        {
            await sendBody(stream);
        }
        catch (IOException)
        {
            // The server closed the connection while the body was still going: what it answered is still to read.
        }

        using var timeout = new CancellationTokenSource(AtOnce);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        bool closed = false;
        try
        {
            while (true)
            {
                int read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            closed = true; // reset by the server: closed too
        }
        catch (OperationCanceledException)
        {
            // Still open after the bound: the server waited for the rest of the body or kept the connection.
        }

        return Parse(Encoding.UTF8.GetString(received.ToArray()), closed);
    }

    private static RawAnswer Parse(string text, bool closed)
    {
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No HTTP answer came back: '{text}'.");
        string[] lines = text[..end].Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        string body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out string? coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawAnswer(status, headers, body, closed);
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        int at = 0;
        while (true)
        {
            int line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..line].Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(body, line + 2, size);
            at = line + 2 + size + 2;
        }
    }

    private static void AssertProblem(RawAnswer answer, int status, string detail)
    {
        Assert.Equal(status, answer.Status);
        Assert.StartsWith("application/problem+json", answer.Headers["Content-Type"], StringComparison.Ordinal);
        using var json = JsonDocument.Parse(answer.Body);
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Head(string method, string path, string framing) =>
        $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n";

    [Fact]
    public void The_limit_is_one_mebibyte()
    {
        Assert.Equal(1024 * 1024, RequestLimits.MaxBodyBytes);
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_declared_body_over_the_limit_is_413_at_once_and_the_connection_closed_unread(string method, string path)
    {
        // 100 MB announced, 64 KiB sent: the answer must not wait for the rest.
        RawAnswer answer = await SendAsync(Sim.Url, Head(method, path, "Content-Length: 104857600\r\n"), s => s.WriteAsync(new byte[64 * 1024]).AsTask());

        AssertProblem(answer, 413, "1048576 bytes");
        Assert.Equal("close", answer.Headers["Connection"]);
        Assert.True(answer.Closed, "The server kept the connection open, waiting for the rest of the body.");
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_chunked_body_over_the_limit_is_413_and_the_connection_closed_unread(string method, string path)
    {
        // Chunks past the limit, never the last chunk: the server stops reading at the limit.
        byte[] chunk = Encoding.ASCII.GetBytes("10000\r\n" + new string(' ', 0x10000) + "\r\n");
        async Task Chunks(Stream s)
        {
            for (int i = 0; i < 20; i++)
            {
                await s.WriteAsync(chunk);
            }
        }

        RawAnswer answer = await SendAsync(Sim.Url, Head(method, path, "Transfer-Encoding: chunked\r\n"), Chunks);

        AssertProblem(answer, 413, "1048576 bytes");
        Assert.Equal("close", answer.Headers["Connection"]);
        Assert.True(answer.Closed, "The server kept the connection open, waiting for the rest of the body.");
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task A_body_at_the_limit_is_read(string method, string path)
    {
        // Whitespace up to the limit, then a JSON value: read whole and judged on its content (400 for the wrong shape, not 413).
        string body = "{}".PadLeft(RequestLimits.MaxBodyBytes);
        RawAnswer answer = await SendAsync(Sim.Url, Head(method, path, $"Content-Length: {body.Length}\r\nConnection: close\r\n"), s => s.WriteAsync(Encoding.ASCII.GetBytes(body)).AsTask());

        Assert.NotEqual(413, answer.Status);
        Assert.True(answer.Status is 200 or 201 or 400, $"{method} {path} answered {answer.Status}.");
    }

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task Malformed_JSON_is_400_problem_json(string method, string path)
    {
        const string body = "{\"ids\": [\"a\", ";
        RawAnswer answer = await SendAsync(Sim.Url, Head(method, path, $"Content-Length: {body.Length}\r\nConnection: close\r\n"), s => s.WriteAsync(Encoding.ASCII.GetBytes(body)).AsTask());

        AssertProblem(answer, 400, "not valid JSON");
    }

    [Theory]
    [InlineData("HeyGen", "/v3/video-translations")]
    [InlineData("HeyGenV2", "/v2/video_translate")]
    public async Task A_HeyGen_create_over_the_limit_is_413_and_malformed_JSON_400(string service, string path)
    {
        await using var heygen = await KestrelSimulator.StartAsync(["--service", service]);

        RawAnswer big = await SendAsync(heygen.Url, Head("POST", path, "Content-Length: 104857600\r\n"), s => s.WriteAsync(new byte[1024]).AsTask());
        const string body = "{\"video_url\": ";
        RawAnswer malformed = await SendAsync(heygen.Url, Head("POST", path, $"Content-Length: {body.Length}\r\nConnection: close\r\n"), s => s.WriteAsync(Encoding.ASCII.GetBytes(body)).AsTask());

        Assert.Equal(413, big.Status);
        Assert.True(big.Closed);
        Assert.Equal(400, malformed.Status);
        Assert.Contains("JSON", malformed.Body, StringComparison.Ordinal);
    }
}
