using System;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Creates a translation job on a server that supports POST /jobs, such as the simulator.</para>
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

    /// <summary>How many jobs to create. Default 1.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int Count { get; set; } = 1;

    // Here a 404 or 405 is not "no such job": the server has no POST /jobs route at all.
    private ErrorRecord? NotSupported(TranslationException failure) =>
        failure is TranslationHttpException { StatusCode: 404 or 405 } missing
            ? new ErrorRecord(missing, ErrorIds.TranslationJobCreationNotSupported, ErrorCategory.NotImplemented, SafeUri)
            {
                ErrorDetails = new ErrorDetails($"The server at {SafeUri} does not support creating jobs (POST /jobs answered {missing.StatusCode}); only the simulator and servers with its protocol do."),
            }
            : null;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TranslationClient? client = ClientForCurrentUri();
        if (client is null || !ShouldProcess(SafeUri.ToString(), Count == 1 ? "Create a translation job" : $"Create {Count} translation jobs"))
        {
            return;
        }

        var request = new TranslationJobRequest
        {
            Delay = DelaySec is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            Outcome = Outcome is null ? null : (TranslationState)Enum.Parse(typeof(TranslationState), Outcome, ignoreCase: true),
        };
        for (int i = 0; i < Count; i++)
        {
            if (!TryComplete(client.CreateJobAsync(request, StopToken), SafeUri, out TranslationJob job, NotSupported))
            {
                return; // creating is not idempotent: after a failure, create no more
            }

            SessionJobs.Add(job);
            WriteObject(job);
        }
    }
}
