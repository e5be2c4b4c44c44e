using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;

namespace VideoTranslation.Internal;

/// <summary>
/// What a request that got no answer failed on, in a few words with the host and port, and whether retrying can help:
/// a TLS failure cannot (a <see cref="TranslationSecureConnectionException"/>), everything else may (a
/// <see cref="TranslationConnectionException"/>). Reads the exceptions HttpClient throws on every runtime the core
/// loads in: the inner <see cref="SocketException"/> and <see cref="AuthenticationException"/>, and on .NET 8+ the
/// <c>HttpRequestException.HttpRequestError</c> (read by name: the core builds against netstandard2.0).
/// </summary>
internal static class TransportFailure
{
    public static TranslationException From(Exception failure, string method, Uri safeUri, Uri requestUri)
    {
        string endpoint = requestUri.Host + ":" + requestUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? error = HttpRequestError(failure);
        AuthenticationException? tls = Find<AuthenticationException>(failure);
        if (tls is not null || error == "SecureConnectionError")
        {
            string cause = (tls ?? Innermost(failure)).Message;
            string reason = cause.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0
                ? $"the server's certificate was rejected: {cause}"
                : $"the server did not complete a TLS handshake ({cause}); if it speaks plain http on this port, use an http:// address";
            return new TranslationSecureConnectionException(
                $"{method} {safeUri} failed: the TLS connection to {endpoint} could not be established: {reason}",
                safeUri,
                reason,
                failure);
        }

        if (IsDescriptorLimit(failure))
        {
            const string Cause = "too many open files (the process's descriptor limit, ulimit -n)";
            return new TranslationSocketLimitException(
                $"{method} {safeUri} failed: this process has {Cause} and cannot open another connection to {endpoint}. " +
                "Lower the requests in flight at once (-ThrottleLimit and -HoldLimit; MaxConcurrency and MaxHeldChecks " +
                "of TranslationBatchOptions) or raise the limit (ulimit -n).",
                safeUri,
                $"{Cause} ({endpoint})",
                failure);
        }

        return new TranslationConnectionException(
            $"{method} {safeUri} failed before a complete answer arrived: {failure.Message}",
            safeUri,
            isTimeout: false,
            failure,
            Describe(failure, error, endpoint));
    }

    public static TranslationConnectionException TimedOut(string method, Uri safeUri, Uri requestUri, TimeSpan requestTimeout, Exception cause)
    {
        string endpoint = requestUri.Host + ":" + requestUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TranslationConnectionException(
            $"{method} {safeUri} got no complete answer within the request timeout of {Guard.Format(requestTimeout)}.",
            safeUri,
            isTimeout: true,
            cause,
            $"no answer within the request timeout of {Guard.Format(requestTimeout)} ({endpoint})");
    }

    private static string Describe(Exception failure, string? error, string endpoint)
    {
        if (Find<SocketException>(failure) is { } socket)
        {
            string? what = socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NoRecovery => "name not resolved",
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "connection reset",
                SocketError.TimedOut => "connection attempt timed out",
                SocketError.HostUnreachable or SocketError.HostDown => "host unreachable",
                SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
                _ => null,
            };
            return $"{what ?? socket.Message} ({endpoint})";
        }

        return error switch
        {
            "NameResolutionError" => $"name not resolved ({endpoint})",
            "ConnectionError" => $"connection failed ({endpoint}): {Innermost(failure).Message}",
            "ResponseEnded" => $"connection closed before a complete answer ({endpoint})",
            _ when failure is IOException || Find<IOException>(failure) is not null => $"connection dropped before a complete answer ({endpoint}): {Innermost(failure).Message}",
            _ => $"{Innermost(failure).Message} ({endpoint})",
        };
    }

    // EMFILE/ENFILE: the socket (or the file of a TLS store) could not be opened for want of a descriptor. SocketError
    // names it on every platform; the errno (24, 23) and Windows' WSAEMFILE (10024) are for a runtime that does not.
    internal static bool IsDescriptorLimit(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket &&
                (socket.SocketErrorCode == SocketError.TooManyOpenSockets || socket.NativeErrorCode is 23 or 24 or 10024))
            {
                return true;
            }
        }

        return false;
    }

    // HttpRequestException.HttpRequestError (.NET 8+) by name, or null on older runtimes and other exceptions.
    private static string? HttpRequestError(Exception failure) =>
        failure.GetType().GetProperty("HttpRequestError")?.GetValue(failure)?.ToString();

    private static T? Find<T>(Exception failure)
        where T : Exception
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception failure)
    {
        Exception e = failure;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
