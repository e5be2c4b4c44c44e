using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>The parameters and plumbing shared by the cmdlets that talk to a translation server.</summary>
public abstract partial class TranslationClientCmdlet : AsyncCmdlet
{
    private readonly Dictionary<Uri, TranslationClient> _clients = new();
    private PipelineLogger? _logger;
    private string? _apiKeySource;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = null!;

    /// <summary>-Uri without user info or query values: what error records and messages may show.</summary>
    protected Uri SafeUri => VideoTranslation.Internal.UriRedaction.Redact(Uri);

    /// <summary>How long one request may take, in seconds. Default 5.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400.0)]
    public double RequestTimeoutSec { get; set; } = TranslationClientOptions.DefaultRequestTimeout.TotalSeconds;

    /// <summary>
    /// The API key, sent as the X-Api-Key header of every request. Without it, the key in the environment variable
    /// VIDEOTRANSLATION_API_KEY is sent (an unset or empty variable: no key).
    /// </summary>
    [Parameter]
    [SecureStringTransformation]
    [ValidateNotNull]
    [ValidateApiKeyNotEmpty]
    public SecureString? ApiKey { get; set; }

    /// <summary>
    /// Sends the API key and the -Token even over plain http to a host that is not loopback, where anyone on the way can
    /// read them. Alias: AllowUnencryptedAuthentication, as Invoke-RestMethod's.
    /// </summary>
    [Parameter]
    [Alias("AllowUnencryptedAuthentication")]
    public SwitchParameter AllowUnencryptedApiKey { get; set; }

    /// <summary>Where the API key of this invocation comes from (for messages), or <see langword="null"/> when none is sent.</summary>
    protected string? ApiKeySource => _apiKeySource;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _apiKeySource = ApiKey is not null ? "-ApiKey"
            : ApiKeyParameter.FromEnvironment() is not null ? ApiKeyParameter.EnvironmentVariableDisplay
            : null;
        // A compiled cmdlet's -Debug makes its warnings ask before going on (PowerShell's rule, even in 7.x): a prompt
        // at every retry, and a failure in a host that cannot prompt. So with -Debug and no -WarningAction, retries are debug lines.
        bool warningsWouldAsk = MyInvocation.BoundParameters.TryGetValue("Debug", out object? debug) && (debug is SwitchParameter on ? on.IsPresent : LanguagePrimitives.IsTrue(debug)) &&
                                !MyInvocation.BoundParameters.ContainsKey("WarningAction");
        _logger = new PipelineLogger(
            Post,
            WriteVerbose,
            WriteDebug,
            warningsWouldAsk ? WriteDebug : WriteWarning,
            verbose: IsOn("Verbose", "VerbosePreference"),
            debug: IsOn("Debug", "DebugPreference"));
    }

    /// <summary>The client for <see cref="Uri"/>; an unusable address stops the command (InvalidTranslationUri).</summary>
    /// <returns>A client shared by every record with the same address in this invocation.</returns>
    protected TranslationClient? ClientForCurrentUri()
    {
        if (_clients.TryGetValue(Uri, out TranslationClient? client))
        {
            return client;
        }

        var options = new TranslationClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec),
            Logger = _logger,
            AllowUnencryptedApiKey = AllowUnencryptedApiKey,
        };
        SetApiKey(options);
        SetTransportOptions(options);
        ConfigureClient(options);
        try
        {
            client = new TranslationClient(Uri, options, VideoTranslation.Internal.SharedHttpClients.Get(SkipCertificateCheck));
        }
        catch (UnencryptedCredentialException ex)
        {
            // The address is fine; only the credential over plain http is refused. Nothing has been sent.
            bool token = ex.Credential != "API key";
            ThrowTerminatingError(new ErrorRecord(ex, token ? ErrorIds.TokenRequiresHttps : ErrorIds.ApiKeyRequiresHttps, ErrorCategory.SecurityError, SafeUri)
            {
                ErrorDetails = new ErrorDetails(token ? $"{ex.Message} The token came from -Token." : $"{ex.Message} The key came from {_apiKeySource}.")
                {
                    RecommendedAction = "Use an https address, or add -AllowUnencryptedApiKey if this network is trusted.",
                },
            });
        }
        catch (TranslationAddressException ex)
        {
            // Terminating, as Invoke-RestMethod's bad -Uri, even when the address came with one piped object: the
            // command stops. The record names -Uri, the parameter the user typed, never the core's baseUri.
            var named = new TranslationAddressException(ex.Problem, "-Uri");
            ThrowTerminatingError(new ErrorRecord(named, ErrorIds.InvalidTranslationUri, ErrorCategory.InvalidArgument, SafeUri)
            {
                ErrorDetails = new ErrorDetails(named.Message) { RecommendedAction = "Give -Uri the server's address, like http://localhost:5000/." },
            });
            return null; // not reached: ThrowTerminatingError throws
        }

        _clients.Add(Uri, client);
        return client;
    }

    /// <summary>
    /// Waits on the pipeline thread for one core call; a <see cref="TranslationException"/> becomes a non-terminating
    /// error (through <paramref name="toError"/> first, if it has a more precise record for it).
    /// </summary>
    /// <returns><see langword="true"/> with the result, or <see langword="false"/> after writing the error.</returns>
    protected bool TryComplete<T>(Task<T> call, object target, out T result, Func<TranslationException, ErrorRecord?>? toError = null)
    {
        PumpUntil(call);
        ThrowIfStopping();
        if (call.Status == TaskStatus.RanToCompletion)
        {
            result = call.Result;
            return true;
        }

        if (call.Exception?.InnerException is TranslationException failure)
        {
            WriteError(toError?.Invoke(failure) ?? ErrorFor(failure, target));
            result = default!;
            return false;
        }

        result = call.GetAwaiter().GetResult(); // anything else is a bug: let PowerShell show it whole
        return true;
    }

    /// <summary>
    /// The error record of a failed core call: <see cref="ErrorRecords.From"/>, and for a 401 or 403 a message that says
    /// which key was sent (by where it came from, never the key) and how to send the right one.
    /// </summary>
    /// <returns>The record to write. Safe to call from any thread.</returns>
    protected ErrorRecord ErrorFor(TranslationException failure, object target)
    {
        ErrorRecord record = ErrorRecords.From(failure, target);
        if (TransportErrorDetails(failure) is { } details)
        {
            record.ErrorDetails = details;
        }
        else if (failure is TranslationHttpException { StatusCode: 401 or 403 } denied)
        {
            string action = _apiKeySource is null && Token is not null
                ? $"The token from -Token was {(denied.StatusCode == 401 ? "refused: check that it is valid for this server and not expired" : "not allowed to do this")}; no API key was sent."
                : _apiKeySource is null
                ? $"No API key was sent: give one with -ApiKey, or set {ApiKeyParameter.EnvironmentVariableDisplay}."
                : denied.StatusCode == 401
                    ? $"The API key from {_apiKeySource} was refused: check that it is this server's key."
                    : $"The API key from {_apiKeySource} is not allowed to do this.";
            record.ErrorDetails = new ErrorDetails($"{denied.Message} {action}") { RecommendedAction = action };
        }
        else if (failure is TranslationHttpException { StatusCode: >= 300 and < 400 } redirect && _apiKeySource is not null)
        {
            const string action = "Give -Uri the address the server redirects to.";
            record.ErrorDetails = new ErrorDetails(
                $"{redirect.Message} The server redirected the request; with an API key the cmdlets follow no redirect, so that the key goes only to -Uri. {action}")
            {
                RecommendedAction = action,
            };
        }

        return record;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (TranslationClient client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }

        base.Dispose(disposing);
    }

    // The key goes to the core here, and only here; a key the core cannot send stops the command before any request.
    private void SetApiKey(TranslationClientOptions options)
    {
        string? key = ApiKey is not null ? ApiKeyParameter.Reveal(ApiKey) : ApiKeyParameter.FromEnvironment();
        if (key is null)
        {
            return;
        }

        if (ApiKeyParameter.Check(key, _apiKeySource!) is { } invalid)
        {
            ThrowTerminatingError(invalid);
        }

        options.ApiKey = key;
    }

    private bool IsOn(string switchName, string preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? bound))
        {
            return bound is SwitchParameter on ? on.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        return GetVariableValue(preferenceVariable) is ActionPreference preference && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }
}
