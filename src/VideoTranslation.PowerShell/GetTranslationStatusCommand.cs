using System;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the status of a video-translation job with one check, retried only with -MaximumRetryCount.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "TranslationStatus")]
[OutputType(typeof(TranslationStatus))]
public sealed class GetTranslationStatusCommand : TranslationClientCmdlet
{
    /// <summary>The job ids; omit for the original single-job <c>GET /status</c>.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)] // by value: plain ids (Get-Content ids.txt)
    [Alias("Id"), JobIdTransformation] // other objects bind by their JobId/Id property, never by ToString()
    [ValidateNotWhiteSpace] // before ValidateJobIds, so that a blank line of piped input gets its message, not the generic one
    [ValidateJobIds]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? JobId { get; set => field = JobIdTransformationAttribute.Normalize(value); }

    /// <summary>
    /// How many times a check that failed transiently (no answer, request timed out, 408, 429, 5xx) is retried, with a
    /// backoff of 0.5, 1, 2, 4 s … or the server's longer Retry-After. 0 (default, as Invoke-RestMethod's): one check. No
    /// -1: Get-TranslationStatus has no -TimeoutSec to retry until.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaximumRetryCount { get; set; }

    /// <inheritdoc />
    protected override void ConfigureClient(TranslationClientOptions options) => options.StatusCheckRetries = MaximumRetryCount;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TranslationClient? client = ClientForCurrentUri();
        if (client is null)
        {
            return;
        }

        foreach (string? jobId in JobId ?? new string?[] { null })
        {
            if (CheckJobIdNeeded(client, jobId) && TryComplete(client.GetStatusAsync(jobId, StopToken), (object?)jobId ?? SafeUri, out TranslationStatus status))
            {
                WriteObject(status);
            }
        }
    }
}
