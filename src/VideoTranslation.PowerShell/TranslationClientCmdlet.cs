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
    private readonly Dictionary<(Uri, TranslationService), TranslationClient> _clients = new();
    private readonly Dictionary<TranslationClient, string?> _apiKeySources = new();
    private PipelineLogger? _logger;
    private string? _apiKeySource;
    private TranslationClient? _currentClient;

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
    /// VIDEOTRANSLATION_API_KEY is sent, and for the HeyGen services then HEYGEN_API_KEY (an unset or empty variable: no key).
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

    /// <summary>Where the API key of the current record's client comes from (for messages), or <see langword="null"/> when none is sent.</summary>
    protected string? ApiKeySource => _apiKeySource;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        BindServiceParameters();
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

    /// <summary>
    /// The client for <see cref="Uri"/> and the record's service; an unusable address stops the command
    /// (InvalidTranslationUri); a service that cannot be told is the record's error (<see langword="null"/>).
    /// </summary>
    /// <returns>A client shared by every record with the same address and service in this invocation.</returns>
    protected TranslationClient? ClientForCurrentUri()
    {
        if (ServiceForCurrentRecord() is not { } service)
        {
            return null;
        }

        if (_clients.TryGetValue((Uri, service), out TranslationClient? client))
        {
            _apiKeySource = _apiKeySources[client];
            return _currentClient = client;
        }

        var options = new TranslationClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec),
            Logger = _logger,
            AllowUnencryptedApiKey = AllowUnencryptedApiKey,
            Service = service,
        };
        SetApiKey(options, service);
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

        _clients.Add((Uri, service), client);
        _apiKeySources.Add(client, _apiKeySource);
        return _currentClient = client;
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

        if (call.Exception?.InnerException is ArgumentException invalid)
        {
            ThrowTerminatingError(InvalidRequest(invalid)); // found before any request: the same parameters fail for every record
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
    /// Stops the command (InvalidTranslationRequest) when the record has no job id and the client's service has no
    /// single-job endpoint (every service but the simulator's): the core says so when asked for that URL. A job id the
    /// service's URL cannot carry (<c>..</c>) is that id's error (InvalidTranslationRequest); the other ids go on.
    /// </summary>
    /// <param name="client">The record's client.</param>
    /// <param name="jobId">The record's job id, or <see langword="null"/>.</param>
    /// <returns>Whether the id can be asked about; <see langword="false"/> after writing its error.</returns>
    protected bool CheckJobIdNeeded(TranslationClient client, string? jobId)
    {
        if (jobId is null && !client.Service.HasSingleJobEndpoint)
        {
            ThrowTerminatingError(InvalidRequest(new ArgumentException($"The {client.Service.Name} service has no single-job status endpoint: give the job's id. Use -JobId.")));
        }

        try
        {
            _ = client.GetStatusUri(jobId);
            return true;
        }
        catch (ArgumentException ex)
        {
            var invalid = new ArgumentException(WithoutParameterSuffix(ex.Message) + " Check -JobId.", ex);
            WriteError(new ErrorRecord(invalid, ErrorIds.InvalidTranslationRequest, ErrorCategory.InvalidArgument, jobId));
            return false;
        }
    }

    /// <summary>How this cmdlet's parameters name what a request lacks, for the InvalidTranslationRequest message.</summary>
    private protected virtual string? InvalidRequestHint => null;

    private ErrorRecord InvalidRequest(ArgumentException ex) =>
        new(new ArgumentException(WithoutParameterSuffix(ex.Message) + (InvalidRequestHint is { } hint ? " " + hint : string.Empty), ex), ErrorIds.InvalidTranslationRequest, ErrorCategory.InvalidArgument, SafeUri);

    /// <summary>
    /// The error record of a failed core call: <see cref="ErrorRecords.From"/>, and for a 401 or 403 a message that says
    /// which key was sent (by where it came from, never the key) and how to send the right one.
    /// </summary>
    /// <param name="failure">What failed.</param>
    /// <param name="target">The record's target object.</param>
    /// <param name="client">The client that failed, for where its key came from; default the current record's.</param>
    /// <returns>The record to write. Safe to call from any thread.</returns>
    protected ErrorRecord ErrorFor(TranslationException failure, object target, TranslationClient? client = null)
    {
        client ??= _currentClient;
        string? keySource = client is not null && _apiKeySources.TryGetValue(client, out string? source) ? source : _apiKeySource;
        string? keyVariable = client?.Service.ApiKeyVariable;
        ErrorRecord record = ErrorRecords.From(failure, target);
        if (TransportErrorDetails(failure) is { } details)
        {
            record.ErrorDetails = details;
        }
        else if (failure is TranslationHttpException { StatusCode: 401 or 403 } denied)
        {
            string action = keySource is null && Token is not null
                ? $"The token from -Token was {(denied.StatusCode == 401 ? "refused: check that it is valid for this server and not expired" : "not allowed to do this")}; no API key was sent."
                : keySource is null
                ? $"No API key was sent: give one with -ApiKey, or set {ApiKeyParameter.EnvironmentVariableDisplay}{(keyVariable is null ? string.Empty : " or $env:" + keyVariable)}."
                : denied.StatusCode == 401
                    ? $"The API key from {keySource} was refused: check that it is this server's key."
                    : $"The API key from {keySource} is not allowed to do this.";
            record.ErrorDetails = new ErrorDetails($"{denied.Message} {action}") { RecommendedAction = action };
        }
        else if (failure is TranslationHttpException { StatusCode: >= 300 and < 400 } redirect && keySource is not null)
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
            _apiKeySources.Clear();
        }

        base.Dispose(disposing);
    }

    // The key goes to the core here, and only here; a key the core cannot send stops the command before any request.
    // -ApiKey, then $env:VIDEOTRANSLATION_API_KEY, then the service's own variable ($env:HEYGEN_API_KEY for HeyGen).
    private void SetApiKey(TranslationClientOptions options, TranslationService service)
    {
        string? key = null;
        _apiKeySource = null;
        if (ApiKey is not null)
        {
            (key, _apiKeySource) = (ApiKeyParameter.Reveal(ApiKey), "-ApiKey");
        }
        else if (ApiKeyParameter.FromEnvironment() is { } common)
        {
            (key, _apiKeySource) = (common, ApiKeyParameter.EnvironmentVariableDisplay);
        }
        else if (service.ApiKeyVariable is { } variable && ApiKeyParameter.FromEnvironment(variable) is { } own)
        {
            (key, _apiKeySource) = (own, "$env:" + variable);
        }

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
