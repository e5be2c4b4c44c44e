using Xunit.Abstractions;
using Xunit.Sdk;

namespace VideoTranslation.PowerShell.Tests.Pester;

/// <summary>
/// Marks the one test method that stands for every Pester It: <see cref="PesterFactDiscoverer"/> turns it into one
/// xunit case per It of the repo's tests/*.Tests.ps1 (plus a container case per file), each named after the It.
/// The method takes the case (JSON) as its only argument.
/// </summary>
[XunitTestCaseDiscoverer("VideoTranslation.PowerShell.Tests.Pester.PesterFactDiscoverer", "VideoTranslation.PowerShell.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PesterFactAttribute : FactAttribute
{
}

/// <summary>Asks Pester (discovery only) for the It blocks and makes an xunit case of each.</summary>
public sealed class PesterFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink diagnosticMessageSink;

    public PesterFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        this.diagnosticMessageSink = diagnosticMessageSink;
    }

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        IReadOnlyList<PesterCase> cases;
        try
        {
            cases = PesterSuite.Repository.Discover();
        }
        catch (Exception ex) // Say, the build did not record where Pester is: one failing case, never zero cases.
        {
            cases = [PesterSuite.SuiteFailure($"the Pester bridge could not be set up: {ex}")];
        }

        return cases
            .Select(pesterCase => new PesterTestCase(
                diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, pesterCase))
            .ToList();
    }
}

/// <summary>
/// An xunit case for one Pester It (or a file's container): displayed as "&lt;file&gt;: Describe &gt; Context &gt; It",
/// and reported as skipped when Pester skipped the It (xunit 2 has no dynamic skip of its own: a
/// <see cref="PesterSkipException"/> from the test method becomes a skipped result, see <see cref="SkipTranslatingMessageBus"/>).
/// </summary>
public sealed class PesterTestCase : XunitTestCase
{
    [Obsolete("For the xunit deserializer only.", error: true)]
    public PesterTestCase()
    {
    }

    public PesterTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod,
        PesterCase pesterCase)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod, [(pesterCase ?? throw new ArgumentNullException(nameof(pesterCase))).ToJson()])
    {
    }

    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) =>
        PesterCase.FromJson((string)TestMethodArguments[0]).DisplayName;

    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        object[] constructorArguments,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
    {
        using var skipBus = new SkipTranslatingMessageBus(messageBus);
        RunSummary summary = await base.RunAsync(diagnosticMessageSink, skipBus, constructorArguments, aggregator, cancellationTokenSource).ConfigureAwait(false);
        summary.Failed -= skipBus.Skipped;
        summary.Skipped += skipBus.Skipped;
        return summary;
    }
}

/// <summary>
/// Runs the Pester cases file by file, each file's container case first and then its It cases in Pester's order; and,
/// as it is handed exactly the cases about to run (after any --filter), starts the runs of just their files.
/// </summary>
public sealed class PesterCaseOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase
    {
        var cases = testCases
            .Select(testCase => (testCase, pester: testCase.TestMethodArguments is [string json] ? PesterCase.FromJson(json) : null))
            .ToList();
        var files = cases
            .Where(c => c.pester is { Kind: not PesterCaseKind.Suite })
            .Select(c => c.pester!.File)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (files.Count > 0)
        {
            PesterSuite.Repository.Prestart(files);
        }

        return cases
            .OrderBy(c => c.pester?.File, StringComparer.Ordinal)
            .ThenBy(c => c.pester?.Index ?? int.MaxValue)
            .Select(c => c.testCase)
            .ToList();
    }
}

/// <summary>Thrown by the test method for an It that Pester skipped; reported as a skipped xunit test.</summary>
public sealed class PesterSkipException : Exception
{
    public PesterSkipException()
    {
    }

    public PesterSkipException(string reason)
        : base(reason)
    {
    }

    public PesterSkipException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}

/// <summary>Passes every message on, except a failure by <see cref="PesterSkipException"/>: that becomes a skip.</summary>
public sealed class SkipTranslatingMessageBus : IMessageBus
{
    private readonly IMessageBus inner;

    public SkipTranslatingMessageBus(IMessageBus inner)
    {
        this.inner = inner;
    }

    public int Skipped { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed
            && failed.ExceptionTypes.Length > 0
            && failed.ExceptionTypes[0] == typeof(PesterSkipException).FullName)
        {
            Skipped++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[0]));
        }

        return inner.QueueMessage(message);
    }

    // The inner bus belongs to xunit.
    public void Dispose()
    {
    }
}
