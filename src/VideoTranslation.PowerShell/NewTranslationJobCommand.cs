using System;
using System.Linq;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Creates translation jobs: on HeyGen one per output language, on the simulator one per -Count.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "TranslationJob", SupportsShouldProcess = true)]
[OutputType(typeof(TranslationJob))]
public sealed class NewTranslationJobCommand : TranslationClientCmdlet
{
    /// <summary>How long the job takes, in seconds; omit to let the server's delay model decide.</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? DelaySec { get; set; }

    /// <summary>How the job ends; omit to let the server's error model decide.</summary>
    [Parameter]
    [ValidateSet("Completed", "Error")]
    public string? Outcome { get; set; }

    /// <summary>How many times to create (each time one job, or one per -OutputLanguage). Default 1.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int Count { get; set; } = 1;

    /// <summary>The public http(s) URL of the video to translate (HeyGen: required).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? VideoUrl { get; set; }

    /// <summary>The languages to translate into, as the service names them, like 'Spanish (Spain)'; one job each (HeyGen: required).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OutputLanguage { get; set; }

    /// <summary>HeyGen's translation mode: Speed (HeyGen's default) or Precision.</summary>
    [Parameter]
    [ValidateSet("Speed", "Precision")]
    public string? Mode { get; set; }

    /// <summary>A title for the jobs, where the service keeps one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>Where the service posts its webhook event when a job ends (HeyGen's callback_url).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? CallbackUrl { get; set; }

    /// <summary>An id of yours that the service echoes in its webhook event (HeyGen's callback_id).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CallbackId { get; set; }

    /// <summary>
    /// The Idempotency-Key of the create request (services that honour one: HeyGen v3). Without it, a new random key
    /// per create, reused by its retries; give your own to make a script that runs twice create the jobs once.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdempotencyKey { get; set; }

    /// <summary>
    /// How many times a create that may heal (no answer, HTTP 408, 429, 5xx, 409 request_in_progress) is retried, always
    /// with the same Idempotency-Key, so a retry never makes a job twice; only services that honour the key (the
    /// simulator, HeyGen v3) are retried at all. A 429's Retry-After is waited out. 0 never retries; -1 retries until it
    /// succeeds or Ctrl+C. Default 4.
    /// </summary>
    [Parameter]
    [ValidateRange(-1, 1000)]
    public int MaximumRetryCount { get; set; } = TranslationClientOptions.DefaultMaxTransportRetries;

    /// <inheritdoc />
    protected override void ConfigureClient(TranslationClientOptions options) => options.MaxTransportRetries = MaximumRetryCount;

    /// <inheritdoc />
    private protected override string InvalidRequestHint =>
        "New-TranslationJob takes the video as -VideoUrl <url> and the languages as -OutputLanguage 'Spanish (Spain)', …; a language once each.";

    // Here a 404 or 405 is not "no such job": the server has no route that creates jobs at all.
    private ErrorRecord? NotSupported(TranslationException failure) =>
        failure is TranslationHttpException { StatusCode: 404 or 405 } missing
            ? new ErrorRecord(missing, ErrorIds.TranslationJobCreationNotSupported, ErrorCategory.NotImplemented, SafeUri)
            {
                ErrorDetails = new ErrorDetails($"The server at {SafeUri} does not support creating jobs (creating answered HTTP {missing.StatusCode}); only the simulator, HeyGen and servers with their protocols do."),
            }
            : null;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (IdempotencyKey is not null && Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-IdempotencyKey with -Count {Count} would create once and replay that answer {Count - 1} times: give -Count 1, or leave -IdempotencyKey out (each create then gets a key of its own)."),
                ErrorIds.InvalidTranslationRequest,
                ErrorCategory.InvalidArgument,
                IdempotencyKey));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TranslationClient? client = ClientForCurrentUri();
        if (client is null)
        {
            return;
        }

        if (!client.Service.CanCreateJobs)
        {
            WriteError(new ErrorRecord(
                new NotSupportedException($"The {client.Service.Name} service does not create jobs; create them elsewhere and wait on their ids with Wait-TranslationJob -Service {client.Service.Name}."),
                ErrorIds.TranslationJobCreationNotSupported,
                ErrorCategory.NotImplemented,
                SafeUri));
            return;
        }

        int languages = OutputLanguage?.Length ?? 0;
        string what = languages > 0
            ? $"Create {Count * languages} translation job{(Count * languages == 1 ? string.Empty : "s")} ({string.Join(", ", OutputLanguage!)}){(VideoUrl is null ? string.Empty : " of " + VideoUrl)} with the {client.Service.Name} service"
            : Count == 1 ? "Create a translation job" : $"Create {Count} translation jobs";
        if (!ShouldProcess(SafeUri.ToString(), what))
        {
            return;
        }

        var request = new TranslationJobRequest
        {
            Delay = DelaySec is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            Outcome = Outcome is null ? null : (TranslationState)Enum.Parse(typeof(TranslationState), Outcome, ignoreCase: true),
            VideoUrl = VideoUrl,
            OutputLanguages = OutputLanguage?.ToList() ?? new(),
            Mode = Mode?.ToLowerInvariant(),
            Title = Title,
            CallbackUrl = CallbackUrl,
            CallbackId = CallbackId,
            IdempotencyKey = IdempotencyKey,
        };
        for (int i = 0; i < Count; i++)
        {
            if (!TryComplete(client.CreateJobsAsync(request, StopToken), SafeUri, out System.Collections.Generic.IReadOnlyList<TranslationJob> jobs, NotSupported))
            {
                return; // a create that failed may have created jobs: create no more
            }

            foreach (TranslationJob job in jobs)
            {
                SessionJobs.Add(job);
                WriteObject(job);
            }
        }
    }
}
