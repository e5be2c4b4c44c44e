using VideoTranslation.Internal;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>The client core against a real TLS server with a self-signed certificate: the failure says why, is not retried, and SkipCertificateCheck's client gets through.</summary>
public sealed class CoreTlsTests
{
    private static TranslationWaitOptions Quick() => new()
    {
        Strategy = PollingStrategy.Fixed(TimeSpan.FromMilliseconds(50)),
        MaxWait = TimeSpan.FromSeconds(30),
        RetryBackoff = new RetryBackoff(TimeSpan.FromMilliseconds(10), 1, TimeSpan.FromMilliseconds(10)),
    };

    [Fact]
    public async Task An_untrusted_certificate_ends_the_wait_at_once_with_the_reason()
    {
        using var server = new CannedHttpsServer(tls: true);
        using var client = new TranslationClient(server.Uri, new TranslationClientOptions { MaxTransportRetries = TranslationClientOptions.UnlimitedTransportRetries }, SharedHttpClients.Get(skipCertificateCheck: false));

        var ex = await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => client.WaitForCompletionAsync("j", Quick()));

        Assert.Contains("UntrustedRoot", ex.Reason, StringComparison.Ordinal);
        Assert.Contains($"the TLS connection to 127.0.0.1:{server.Port} could not be established: the server's certificate was rejected", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("see inner exception", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Connections); // one handshake, no retry
    }

    [Fact]
    public async Task A_certificate_for_another_name_says_so()
    {
        using var server = new CannedHttpsServer(tls: true, certificateName: "jobs.example.test");

        var ex = await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => new TranslationClient(server.Uri, null, SharedHttpClients.Get(false)).GetStatusAsync("j"));

        Assert.Contains("RemoteCertificateNameMismatch", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_address_of_a_plain_http_server_says_the_server_did_not_speak_TLS()
    {
        using var server = new CannedHttpsServer(tls: false);
        var https = new Uri($"https://127.0.0.1:{server.Port}/");

        var ex = await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => new TranslationClient(https, null, SharedHttpClients.Get(false)).GetStatusAsync("j"));

        Assert.StartsWith("the server did not complete a TLS handshake", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("use an http:// address", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_that_skips_the_certificate_check_gets_the_answer_and_the_other_still_checks()
    {
        using var server = new CannedHttpsServer(tls: true);
        using var skipping = new TranslationClient(server.Uri, null, SharedHttpClients.Get(skipCertificateCheck: true));
        using var checking = new TranslationClient(server.Uri, null, SharedHttpClients.Get(skipCertificateCheck: false));

        TranslationWaitResult result = await skipping.WaitForCompletionAsync("j", Quick());
        await Assert.ThrowsAsync<TranslationSecureConnectionException>(() => checking.GetStatusAsync("j"));

        Assert.Equal(TranslationState.Completed, result.State);
        Assert.StartsWith("GET /jobs/j/status HTTP/1.1", server.Connections.First(), StringComparison.Ordinal);
    }
}
