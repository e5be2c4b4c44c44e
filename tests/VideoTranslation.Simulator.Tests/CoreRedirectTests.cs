using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoTranslation.Simulator.Tests;

/// <summary>A redirect must not carry the API key anywhere: the core's own HttpClient follows none.</summary>
public sealed class CoreRedirectTests
{
    [Fact]
    public async Task A_redirect_is_reported_not_followed_so_the_key_goes_nowhere_else()
    {
        // Arrange: a server that answers every request with 302 to a second server, which records what reaches it.
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        int targetPort = ((IPEndPoint)target.LocalEndpoint).Port;
        var reachedTarget = target.AcceptTcpClientAsync();
        using var redirector = new TcpListener(IPAddress.Loopback, 0);
        redirector.Start();
        int port = ((IPEndPoint)redirector.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var connection = await redirector.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            var answer = $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{targetPort}/status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        });
        using var client = new TranslationClient(new Uri($"http://127.0.0.1:{port}/"), new TranslationClientOptions { ApiKey = "redirect-secret-9" });

        // Act
        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => client.GetStatusAsync());
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        // Assert: the 302 is the answer; nothing connected to the target.
        Assert.Equal(302, ex.StatusCode);
        Assert.False(reachedTarget.IsCompleted, "the client followed the redirect to the second server");
        Assert.DoesNotContain("redirect-secret-9", ex.ToString(), StringComparison.Ordinal);
    }
}
