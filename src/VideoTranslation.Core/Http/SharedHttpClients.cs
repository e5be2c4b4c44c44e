using System;
using System.Net.Http;
using System.Threading;

namespace VideoTranslation.Internal;

/// <summary>
/// The module's HttpClients, one per certificate policy, each with one connection pool for the whole process (as
/// HttpClient is meant to be used) and never disposed. Neither follows redirects: HttpClient keeps custom headers such
/// as X-Api-Key on a redirect, so a server could send a credential on to any address, past the plain-http check,
/// which sees only the address asked. The protocol has no redirects; a 3xx is reported.
/// </summary>
internal static class SharedHttpClients
{
    private static readonly Lazy<HttpClient> s_checked = new(() => Create(skipCertificateCheck: false));
    private static readonly Lazy<HttpClient> s_unchecked = new(() => Create(skipCertificateCheck: true));

    /// <summary>
    /// The client that checks certificates as usual, or the one that accepts any certificate — a handler of its own,
    /// so that skipping the check for one command never affects a connection another command makes.
    /// </summary>
    public static HttpClient Get(bool skipCertificateCheck) => (skipCertificateCheck ? s_unchecked : s_checked).Value;

    /// <summary>Whether <paramref name="http"/> is one of these (made, so far, by <see cref="Get"/>).</summary>
    public static bool IsShared(HttpClient http) =>
        (s_checked.IsValueCreated && ReferenceEquals(http, s_checked.Value)) || (s_unchecked.IsValueCreated && ReferenceEquals(http, s_unchecked.Value));

    private static HttpClient Create(bool skipCertificateCheck)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        if (skipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = static (_, _, _, _) => true;
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
