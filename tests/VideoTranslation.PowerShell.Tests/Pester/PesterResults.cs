namespace VideoTranslation.PowerShell.Tests.Pester;

/// <summary>An error Pester recorded: where it happened, Pester's own message and its script stack trace.</summary>
/// <param name="Where">Which part of the file (the It, a block, the file itself, the bridge).</param>
/// <param name="Message">Pester's message as Pester prints it, e.g. "Expected 3, but got 2.".</param>
/// <param name="StackTrace">Pester's script stack trace: "at &lt;line text&gt;, &lt;file&gt;:&lt;line&gt;".</param>
/// <param name="Exception">The exception's own message, without the type Pester puts in front of it.</param>
public sealed record PesterError(string Where, string Message, string StackTrace, string Exception)
{
    public override string ToString() =>
        string.IsNullOrWhiteSpace(StackTrace) ? Message : Message + Environment.NewLine + StackTrace;
}

/// <summary>
/// One It as Pester reported it. <see cref="Index"/> is its position in Pester's own list of the file's tests, the
/// same in discovery and in a run of the unchanged file; <see cref="Path"/> holds the names as written (templates
/// such as &lt;name&gt; unexpanded), <see cref="Names"/> the expanded names of its blocks and of the It.
/// </summary>
public sealed record PesterTest(
    int Index,
    IReadOnlyList<string> Path,
    IReadOnlyList<string> Names,
    string ExpandedPath,
    string Result,
    bool StaticSkip,
    int Line,
    IReadOnlyList<PesterError> Errors,
    IReadOnlyList<PesterError> BlockErrors)
{
    /// <summary>The names as written, joined: with <see cref="Index"/>, how a discovered It is found in the run.</summary>
    public string Key => string.Join(" > ", Path);
}

/// <summary>What one Invoke-Pester of one file (discovery only, or a run) reported.</summary>
/// <param name="File">The file's full path.</param>
/// <param name="Tests">Every It, in Pester's order.</param>
/// <param name="Errors">Errors outside any It: discovery, BeforeAll/AfterAll, or the bridge failing to run Pester.</param>
public sealed record PesterFileResult(string File, IReadOnlyList<PesterTest> Tests, IReadOnlyList<PesterError> Errors);
