using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Stops simulators started by Start-TranslationSimulator.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "TranslationSimulator", SupportsShouldProcess = true, DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(void))]
public sealed class StopTranslationSimulatorCommand : PSCmdlet
{
    /// <summary>The parameter set taking simulator objects.</summary>
    public const string ObjectSet = "InputObject";

    /// <summary>The parameter set taking process ids.</summary>
    public const string ProcessIdSet = "ProcessId";

    /// <summary>The simulators to stop, as returned by Start-TranslationSimulator or Get-TranslationSimulator.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public TranslationSimulator[] InputObject { get; set; } = null!;

    /// <summary>The process ids of the simulators to stop.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessIdSet)]
    public int[] ProcessId { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ObjectSet)
        {
            foreach (TranslationSimulator simulator in InputObject)
            {
                Stop(simulator);
            }

            return;
        }

        foreach (int id in ProcessId)
        {
            TranslationSimulator? simulator = SimulatorRegistry.Find(id);
            if (simulator is null)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No running simulator started in this PowerShell process has process id {id}. Get-TranslationSimulator lists them."),
                    ErrorIds.SimulatorNotFound,
                    ErrorCategory.ObjectNotFound,
                    id));
                continue;
            }

            Stop(simulator);
        }
    }

    private void Stop(TranslationSimulator simulator)
    {
        if (ShouldProcess($"simulator {simulator.ProcessId} at {simulator.Uri}", "Stop"))
        {
            WriteVerbose($"Stopping simulator {simulator.ProcessId} at {simulator.Uri}");
            SimulatorRegistry.Stop(simulator);
        }
    }
}
