using System;
using System.Management.Automation;
using System.Threading.Tasks;

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
            Task<TranslationJob> create = client.CreateJobAsync(request, StopToken);
            PumpUntil(create);
            ThrowIfStopping();
            if (create.Status == TaskStatus.RanToCompletion)
            {
                SessionJobs.Add(create.Result);
                WriteObject(create.Result);
            }
            else if (create.Exception?.InnerException is TranslationHttpException { StatusCode: 404 or 405 } missing)
            {
                // Here a 404 is not "no such job": the server has no POST /jobs route at all.
                WriteError(new ErrorRecord(missing, ErrorIds.TranslationJobCreationNotSupported, ErrorCategory.NotImplemented, SafeUri)
                {
                    ErrorDetails = new ErrorDetails($"The server at {SafeUri} does not support creating jobs (POST /jobs answered {missing.StatusCode}); only the simulator and servers with its protocol do."),
                });
                return;
            }
            else if (create.Exception?.InnerException is TranslationException failure)
            {
                WriteError(ErrorRecords.From(failure, SafeUri));
                return;
            }
            else
            {
                create.GetAwaiter().GetResult();
            }
        }
    }
}
