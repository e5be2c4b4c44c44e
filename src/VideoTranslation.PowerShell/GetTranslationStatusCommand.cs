using System;
using System.Management.Automation;
using System.Threading.Tasks;

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
            Task<TranslationStatus> check = client.GetStatusAsync(jobId, StopToken);
            PumpUntil(check);
            ThrowIfStopping();
            if (check.Status == TaskStatus.RanToCompletion)
            {
                WriteObject(check.Result);
            }
            else if (check.Exception?.InnerException is TranslationException failure)
            {
                WriteError(ErrorRecords.From(failure, (object?)jobId ?? SafeUri));
            }
            else
            {
                check.GetAwaiter().GetResult(); // anything else is a bug: let PowerShell show it whole
            }
        }
    }
}
