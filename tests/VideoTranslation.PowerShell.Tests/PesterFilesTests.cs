using VideoTranslation.PowerShell.Tests.Pester;

namespace VideoTranslation.PowerShell.Tests;

/// <summary>
/// The repo's Pester files (tests/*.Tests.ps1), run by real Pester 5 inside this test run: one xunit case per It,
/// named "&lt;file&gt;: Describe &gt; Context &gt; It", plus "&lt;file&gt;: container" for everything outside the It blocks.
/// Filter them with <c>dotnet test --filter FullyQualifiedName~PesterFilesTests</c>.
/// </summary>
[Collection(PesterSequence.Name)]
[TestCaseOrderer("VideoTranslation.PowerShell.Tests.Pester.PesterCaseOrderer", "VideoTranslation.PowerShell.Tests")]
public sealed class PesterFilesTests
{
    [PesterFact]
    public async Task Run(string pesterCase)
    {
        PesterCase testCase = PesterCase.FromJson(pesterCase);
        PesterVerdict verdict = testCase.Kind == PesterCaseKind.Suite
            ? PesterVerdict.Failed(testCase.Detail)
            : await PesterSuite.Repository.EvaluateAsync(testCase);
        switch (verdict.Outcome)
        {
            case PesterOutcome.Passed:
                return;
            case PesterOutcome.Skipped:
                throw new PesterSkipException(verdict.Message);
            default:
                Assert.Fail(verdict.Message);
                return;
        }
    }
}

/// <summary>
/// The Pester cases and the bridge's own tests run one class after the other, never side by side: both start
/// PowerShell runspaces that run Pester files, and many of the module's Its start simulators and wait on jobs, so
/// running them together only adds load to tests that measure time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PesterSequence
{
    public const string Name = "Pester";
}
