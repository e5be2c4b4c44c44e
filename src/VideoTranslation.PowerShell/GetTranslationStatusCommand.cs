using System;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the status of a video-translation job with one request.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "TranslationStatus")]
[OutputType(typeof(TranslationStatus))]
public sealed class GetTranslationStatusCommand : TranslationClientCmdlet
{
    /// <summary>The job ids; omit for the original single-job <c>GET /status</c>.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ValidateNotWhiteSpace]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public string[]? JobId { get; set; }

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
            if (TryComplete(client.GetStatusAsync(jobId, StopToken), (object?)jobId ?? SafeUri, out TranslationStatus status))
            {
                WriteObject(status);
            }
        }
    }
}
