using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>The parameters and plumbing shared by the cmdlets that talk to a translation server.</summary>
public abstract class TranslationClientCmdlet : AsyncCmdlet
{
    // One connection pool for the whole process, as HttpClient is meant to be used; never disposed.
    private static readonly HttpClient s_http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly Dictionary<Uri, TranslationClient> _clients = new();
    private PipelineLogger? _logger;

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

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _logger = new PipelineLogger(
            Post,
            WriteVerbose,
            WriteDebug,
            verbose: IsOn("Verbose", "VerbosePreference"),
            debug: IsOn("Debug", "DebugPreference"));
    }

    /// <summary>The client for <see cref="Uri"/>, or <see langword="null"/> after writing an error if the address is unusable.</summary>
    /// <returns>A client shared by every record with the same address in this invocation.</returns>
    protected TranslationClient? ClientForCurrentUri()
    {
        if (_clients.TryGetValue(Uri, out TranslationClient? client))
        {
            return client;
        }

        try
        {
            client = new TranslationClient(
                Uri,
                new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec), Logger = _logger },
                s_http);
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorRecords.InvalidArgument(ex, ErrorIds.InvalidTranslationUri, SafeUri));
            return null;
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
            WriteError(toError?.Invoke(failure) ?? ErrorRecords.From(failure, target));
            result = default!;
            return false;
        }

        result = call.GetAwaiter().GetResult(); // anything else is a bug: let PowerShell show it whole
        return true;
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

    private bool IsOn(string switchName, string preferenceVariable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out object? bound))
        {
            return bound is SwitchParameter on ? on.IsPresent : LanguagePrimitives.IsTrue(bound);
        }

        return GetVariableValue(preferenceVariable) is ActionPreference preference && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }
}
