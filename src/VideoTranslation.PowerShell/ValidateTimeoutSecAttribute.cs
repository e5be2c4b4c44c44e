using System.Globalization;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// -TimeoutSec: from 0.001 to 86400 seconds, or -1 for no deadline (as <c>Wait-Job -Timeout -1</c>), with a message
/// that names both; ValidateRange could only say the range.
/// </summary>
internal sealed class ValidateTimeoutSecAttribute : ValidateArgumentsAttribute
{
    /// <summary>The value that waits without a deadline.</summary>
    public const double NoDeadline = -1;

    private const double Least = 0.001;
    private const double Most = 86400;

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        double value = arguments is PSObject wrapped ? (double)wrapped.BaseObject : (double)arguments;
        if (value == NoDeadline || (value >= Least && value <= Most))
        {
            return;
        }

        // The words of ValidateRange's own messages ("minimum allowed range"), and the one value outside the range.
        string problem = value < Least ? string.Format(CultureInfo.InvariantCulture, "is below the minimum allowed range of {0}", Least)
            : value > Most ? string.Format(CultureInfo.InvariantCulture, "is above the maximum allowed range of {0}", Most)
            : "is not a number";
        throw new ValidationMetadataException(string.Format(
            CultureInfo.InvariantCulture,
            "-TimeoutSec {0} {1}: give from {2} to {3} seconds, or -1 to wait without a deadline.",
            value,
            problem,
            Least,
            Most));
    }
}
