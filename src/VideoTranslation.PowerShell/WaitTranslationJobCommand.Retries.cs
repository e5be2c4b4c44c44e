using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob's bound on retries of a server that does not answer.</summary>
public sealed partial class WaitTranslationJobCommand
{
    /// <summary>
    /// How many checks in a row that get no answer at all (connection refused or reset, name not resolved, request timed
    /// out) a wait retries before it ends with TranslationServerUnreachable; any answer starts the count again. HTTP 408,
    /// 429 and 5xx are answers: retried until -TimeoutSec. 0 fails at the first; -1 retries until -TimeoutSec. Default 4
    /// (with the retry backoff of 0.5, 1, 2, 4 s: about 8 s).
    /// </summary>
    [Parameter]
    [ValidateRange(-1, 1000)]
    public int MaximumRetryCount { get; set; } = TranslationClientOptions.DefaultMaxTransportRetries;

    /// <inheritdoc />
    protected override void ConfigureClient(TranslationClientOptions options) => options.MaxTransportRetries = MaximumRetryCount;
}
