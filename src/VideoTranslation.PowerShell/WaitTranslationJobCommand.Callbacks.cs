using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob's -OnStatusChange: the user's block, run on the pipeline thread in the caller's scope.</summary>
public sealed partial class WaitTranslationJobCommand
{
    private ErrorRecord? _onStatusChangeStop; // a -ErrorAction Stop inside the block: the command stops with it

    // As ForEach-Object runs its block: dot-sourced (no new scope) in the session state it was written in, so that it
    // reads and sets the caller's variables ($n++ counts), with $_ set there to the status and put back afterwards. The
    // session state is the block's module's, or, for a block written outside any module, the caller's.
    private bool RunOnStatusChange(TranslationStatus status)
    {
        ScriptBlock block = OnStatusChange!;
        PSVariableIntrinsics variables = block.Module?.SessionState.PSVariable ?? SessionState.PSVariable;
        object? dollarUnder = variables.GetValue("_");
        try
        {
            variables.Set("_", status);

            // Its output is not the command's output (that is the result objects); use Write-Host to show things.
            _ = InvokeCommand.InvokeScript(useLocalScope: false, block, input: null, status);
        }
        catch (ActionPreferenceStopException ex)
        {
            // -ErrorAction Stop (or $ErrorActionPreference = 'Stop') inside the block: the user asked to stop. The
            // exception ends the waits; EndProcessing then throws this record as the command's terminating error.
            _onStatusChangeStop = Failure(ex, status);
            throw;
        }
        catch (RuntimeException ex)
        {
            WriteError(Failure(ex, status));
        }
        finally
        {
            variables.Set("_", dollarUnder);
        }

        return true;
    }

    // The category of the block's own error (for a -ErrorAction Stop inside it, the error it stopped on).
    private static ErrorRecord Failure(RuntimeException ex, TranslationStatus status)
    {
        ErrorCategory category = ex.ErrorRecord?.CategoryInfo.Category ?? ErrorCategory.OperationStopped;
        return new ErrorRecord(ex, ErrorIds.OnStatusChangeFailed, category == ErrorCategory.NotSpecified ? ErrorCategory.OperationStopped : category, status)
        {
            ErrorDetails = new ErrorDetails($"-OnStatusChange failed for job {status.JobId ?? "(single job)"} ({status.State}): {ex.Message}"),
        };
    }
}
