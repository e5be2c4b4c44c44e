using System;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Stops simulators started by Start-TranslationSimulator.</para>
/// </summary>
/// <remarks>
/// -InputObject is not mandatory on purpose: a mandatory one made a bare <c>Stop-TranslationSimulator</c> prompt
/// for "InputObject[0]:", which nobody can answer with a simulator. Without a simulator, pipeline input, -ProcessId
/// or -All it fails with SimulatorNotSpecified instead, and says what to give; empty pipeline input stops nothing.
/// </remarks>
[Cmdlet(VerbsLifecycle.Stop, "TranslationSimulator", SupportsShouldProcess = true, DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(TranslationSimulator))]
public sealed class StopTranslationSimulatorCommand : PSCmdlet
{
    /// <summary>The parameter set taking simulator objects.</summary>
    public const string ObjectSet = "InputObject";

    /// <summary>The parameter set taking process ids.</summary>
    public const string ProcessIdSet = "ProcessId";

    /// <summary>The parameter set stopping every simulator Get-TranslationSimulator lists.</summary>
    public const string AllSet = "All";

    private bool _given;

    /// <summary>The simulators to stop, as returned by Start-TranslationSimulator or Get-TranslationSimulator.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    public TranslationSimulator[]? InputObject { get; set; }

    /// <summary>The process ids of the simulators to stop.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProcessIdSet)]
    public int[] ProcessId { get; set; } = null!;

    /// <summary>Stops every running simulator started in this PowerShell process: those Get-TranslationSimulator lists.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Writes each simulator it stopped (IsRunning is then False); without it, nothing is written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case AllSet:
                _given = true;
                foreach (TranslationSimulator simulator in SimulatorRegistry.Running())
                {
                    Stop(simulator);
                }

                return;
            case ProcessIdSet:
                _given = true;
                StopByProcessId();
                return;
        }

        if (InputObject is null)
        {
            return;
        }

        _given = true;
        foreach (TranslationSimulator simulator in InputObject)
        {
            Stop(simulator);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        // Piped input that held no simulator (Get-TranslationSimulator listing none) is fine; no input at all is not.
        if (!_given && !MyInvocation.ExpectingInput)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("Say which simulators to stop: pipe them or give -InputObject (Start- and Get-TranslationSimulator return them), -ProcessId, or -All for every simulator Get-TranslationSimulator lists."),
                ErrorIds.SimulatorNotSpecified,
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    private void StopByProcessId()
    {
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
            if (PassThru)
            {
                WriteObject(simulator);
            }
        }
    }
}
