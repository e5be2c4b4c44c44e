using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Rejects empty and white-space strings at parameter binding, so a bad -JobId gets PowerShell's own
/// ParameterArgumentValidationError instead of failing later. ValidateNotNullOrEmpty lets "  " through.
/// </summary>
public sealed class ValidateNotWhiteSpaceAttribute : ValidateEnumeratedArgumentsAttribute
{
    /// <inheritdoc />
    protected override void ValidateElement(object element)
    {
        if (element is null || (element is string text && string.IsNullOrWhiteSpace(text)))
        {
            throw new ValidationMetadataException("The value is empty or white space, which is no job id; give a job id, or omit -JobId for the single-job /status endpoint. " +
                "A blank line of piped input (Get-Content ids.txt) fails alone; to skip blank lines, pipe through Where-Object { $_.Trim() }.");
        }
    }
}
