namespace VideoTranslation;

/// <summary>The state of a translation job as reported by the server's <c>result</c> field.</summary>
public enum TranslationState
{
    /// <summary>The job is still running (<c>"pending"</c>).</summary>
    Pending = 0,

    /// <summary>The job finished successfully (<c>"completed"</c>). Terminal.</summary>
    Completed = 1,

    /// <summary>The job finished with a failure (<c>"error"</c>). Terminal.</summary>
    Error = 2,
}
