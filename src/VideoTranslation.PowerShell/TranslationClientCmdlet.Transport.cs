using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace VideoTranslation.PowerShell;

/// <summary>How the cmdlets talk to a real server: certificates, extra headers, a bearer token, the User-Agent.</summary>
public abstract partial class TranslationClientCmdlet
{
    /// <summary>
    /// Accepts any server certificate: self-signed, expired, for another name. Only for a test server you trust; anyone
    /// on the way can then read and change the traffic, credentials included. Affects only this command.
    /// </summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// Extra headers sent on every request (names and values; never logged). Not the module's own: X-Api-Key (use
    /// -ApiKey), Authorization (use -Token), User-Agent (use -UserAgent), Accept, Content-Type, Host.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Headers { get; set; }

    /// <summary>A bearer token, sent as <c>Authorization: Bearer …</c>; refused over plain http to a non-loopback host, as -ApiKey.</summary>
    [Parameter]
    [SecureStringTransformation(ParameterName = "Token")]
    [ValidateNotNull]
    [ValidateApiKeyNotEmpty(ParameterName = "Token")]
    public SecureString? Token { get; set; }

    /// <summary>The User-Agent of every request; default the module's own (VideoTranslation.PS/version).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateNotWhiteSpace]
    public string? UserAgent { get; set; }

    /// <summary>Lets a cmdlet set its own client options (Wait-TranslationJob: -MaximumRetryCount) before the client is made.</summary>
    /// <param name="options">The options of the client for the current -Uri.</param>
    protected virtual void ConfigureClient(TranslationClientOptions options)
    {
    }

    // -Headers, -Token and -UserAgent go to the core here; a value the core cannot send stops the command before any request.
    private void SetTransportOptions(TranslationClientOptions options)
    {
        try
        {
            options.UserAgent = UserAgent;
            if (Headers is not null)
            {
                // Ordinal, so that names differing only in case reach the core, which reports the header given twice.
                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in Headers)
                {
                    headers[LanguagePrimitives.ConvertTo<string>(entry.Key)] = entry.Value is null ? null! : LanguagePrimitives.ConvertTo<string>(entry.Value);
                }

                options.Headers = headers;
            }
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidRequestHeaders, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails("-" + WithoutParameterSuffix(ex.Message)),
            });
        }

        if (Token is null)
        {
            return;
        }

        string token = ApiKeyParameter.Reveal(Token);
        try
        {
            options.BearerToken = token;
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("The -Token is blank or holds control characters (line breaks included), which no HTTP header can carry; give the token itself. The token is not shown.", ex),
                ErrorIds.InvalidToken,
                ErrorCategory.InvalidArgument,
                "-Token"));
        }
    }

    // The message of a transport failure, with what a user can do about it; null for other failures.
    private static ErrorDetails? TransportErrorDetails(TranslationException failure) => failure switch
    {
        TranslationServerUnreachableException unreachable => new ErrorDetails(unreachable.Message)
        {
            RecommendedAction = "Check -Uri and that the server is up; -MaximumRetryCount retries longer (-1: until -TimeoutSec).",
        },
        TranslationSecureConnectionException tls => new ErrorDetails(tls.Message)
        {
            RecommendedAction = "Use a certificate this machine trusts; for a test server you trust, -SkipCertificateCheck; for a plain http server, an http:// address.",
        },
        _ => null,
    };

    private static string WithoutParameterSuffix(string message)
    {
        int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix > 0 ? message.Substring(0, suffix) : message;
    }
}
