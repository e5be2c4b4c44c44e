using System;

namespace VideoTranslation;

/// <summary>
/// The request could not open a connection because this process has run out of file descriptors (EMFILE, "Too many
/// open files": the limit of <c>ulimit -n</c>; WSAEMFILE on Windows). Not the server's fault, and retrying at once only
/// keeps the process at its limit, where anything else that needs a descriptor (loading an assembly, a log file) fails
/// too: a wait fails at once. Lower the requests in flight at once (<see cref="TranslationBatchOptions.MaxConcurrency"/>
/// and <see cref="TranslationBatchOptions.MaxHeldChecks"/>; -ThrottleLimit and -HoldLimit in PowerShell) or raise the limit.
/// </summary>
public sealed class TranslationSocketLimitException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, for a person.</param>
    /// <param name="requestUri">The URL asked, without secrets.</param>
    /// <param name="reason">What failed, in a few words, with the host and port.</param>
    /// <param name="innerException">The underlying cause.</param>
    public TranslationSocketLimitException(string message, Uri requestUri, string reason, Exception? innerException = null)
        : base(message, requestUri, innerException)
    {
        Reason = reason ?? string.Empty;
    }

    /// <summary>What failed, in a few words: "too many open files (the process's descriptor limit) (127.0.0.1:5000)".</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
