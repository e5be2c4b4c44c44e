using System;

namespace VideoTranslation.Internal;

/// <summary>How a wait's check in a group ended (see <see cref="GroupHolds"/>).</summary>
internal enum GroupCheckKind
{
    /// <summary>Not ended yet (the default value).</summary>
    None,

    /// <summary>The job's status, as a held check's answer.</summary>
    Answered,

    /// <summary>The check failed: the group request failed, or this job's item was an error.</summary>
    Failed,

    /// <summary>Every hold was taken: the wait checks unheld instead (not counted as a check).</summary>
    NoHold,

    /// <summary>The server does not offer group checks: the wait holds its own check instead (not counted).</summary>
    Unsupported,

    /// <summary>Something that is no <see cref="TranslationException"/> went wrong; it is rethrown to the wait.</summary>
    Crashed,
}

/// <summary>The end of one wait's check in a group: what a held check of its own would have given, or why there was none.</summary>
internal readonly struct GroupCheck
{
    private GroupCheck(GroupCheckKind kind, TranslationStatus? status, TranslationException? error, Exception? exception, long started)
    {
        Kind = kind;
        Status = status;
        Error = error;
        Exception = exception;
        Started = started;
    }

    public static GroupCheck NoHold => new(GroupCheckKind.NoHold, null, null, null, 0);

    public static GroupCheck Unsupported => new(GroupCheckKind.Unsupported, null, null, null, 0);

    public GroupCheckKind Kind { get; }

    public TranslationStatus? Status { get; }

    public TranslationException? Error { get; }

    public Exception? Exception { get; }

    /// <summary>When the wait asked for the check, as a <see cref="TimeProvider"/> timestamp: the check's start.</summary>
    public long Started { get; }

    public static GroupCheck Answered(TranslationStatus status) => new(GroupCheckKind.Answered, status, null, null, 0);

    public static GroupCheck Failed(TranslationException error) => new(GroupCheckKind.Failed, null, error, null, 0);

    public static GroupCheck Crashed(Exception exception) => new(GroupCheckKind.Crashed, null, null, exception, 0);

    public GroupCheck WithStart(long started) => new(Kind, Status, Error, Exception, started);
}
