using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Lists the simulators started in this session that are still running.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "TranslationSimulator")]
[OutputType(typeof(TranslationSimulator))]
public sealed class GetTranslationSimulatorCommand : PSCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(SimulatorRegistry.Running(), enumerateCollection: true);
}
