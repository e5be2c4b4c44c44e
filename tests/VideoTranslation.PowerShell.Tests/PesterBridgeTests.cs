using VideoTranslation.PowerShell.Tests.Pester;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace VideoTranslation.PowerShell.Tests;

/// <summary>Pester files written to a temp directory, discovered and run once by the same code as the repo's files.</summary>
public sealed class PesterBridgeFixture : IDisposable
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["Passing.Tests.ps1"] = """
            Describe 'bridge' {
                Context 'a passing It' {
                    It 'passes when the assertion holds' { 1 + 1 | Should -Be 2 }
                }
            }
            """,
        ["Failing.Tests.ps1"] = """
            Describe 'bridge' {
                It 'fails when the assertion does not hold' {
                    1 + 1 | Should -Be 3
                }
            }
            """,
        ["BeforeAllFails.Tests.ps1"] = """
            Describe 'broken setup' {
                BeforeAll { throw 'boom in BeforeAll' }
                It 'cannot run' { 1 | Should -Be 1 }
            }
            """,
        ["AfterAllFails.Tests.ps1"] = """
            Describe 'broken teardown' {
                AfterAll { throw 'boom in AfterAll' }
                It 'runs before the teardown' { 1 | Should -Be 1 }
            }
            """,
        ["ForEach.Tests.ps1"] = """
            Describe 'sums with <label>' -ForEach @(@{ label = 'numbers' }) {
                It 'adds <a> and <b>' -ForEach @(@{ a = 1; b = 2 }, @{ a = 2; b = 2 }) {
                    $a + $b | Should -Be 3
                }
                It 'sees item <_>' -ForEach 'x', 'y' { $_ | Should -BeIn 'x', 'y' }
                It 'keeps <notData> as written' { }
            }
            """,
        ["Skipped.Tests.ps1"] = """
            Describe 'skips' {
                It 'is skipped statically' -Skip { 1 | Should -Be 2 }
                It 'is skipped at run time' { Set-ItResult -Skipped -Because 'not today' }
            }
            """,
        ["DiscoveryFails.Tests.ps1"] = """
            Describe 'throws while Pester discovers it' {
                It 'is found before the throw' { }
                throw 'discovery boom'
            }
            """,
        ["Unparsable.Tests.ps1"] = """
            Describe 'does not parse' {
                It 'never' { 1 | Should -Be 1
            }
            """,
        ["NoIts.Tests.ps1"] = """
            Describe 'has no It' { }
            """,
        ["Duplicates.Tests.ps1"] = """
            Describe 'same names' {
                It 'twice' { 1 | Should -Be 1 }
                It 'twice' { 1 | Should -Be 2 }
            }
            """,
        ["IsolationA.Tests.ps1"] = """
            Describe 'runspace A' {
                It 'starts without the other file''s global' {
                    $global:PesterBridgeLeak | Should -BeNullOrEmpty
                    $global:PesterBridgeLeak = 'A'
                }
            }
            """,
        ["IsolationB.Tests.ps1"] = """
            Describe 'runspace B' {
                It 'starts without the other file''s global' {
                    $global:PesterBridgeLeak | Should -BeNullOrEmpty
                    $global:PesterBridgeLeak = 'B'
                }
            }
            """,
        ["Environment.Tests.ps1"] = """
            Describe 'environment' {
                It 'gets the module path and the working directory' {
                    $env:VIDEOTRANSLATION_MODULE_PATH | Should -Be $env:PESTER_BRIDGE_EXPECTED_MODULE_PATH
                    (Get-Location).Path | Should -Be $env:PESTER_BRIDGE_EXPECTED_LOCATION
                }
            }
            """,
    };

    public PesterBridgeFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pester-bridge-" + Guid.NewGuid().ToString("N"));
        WorkingDirectory = Path.Combine(Directory, "work");
        System.IO.Directory.CreateDirectory(WorkingDirectory);
        foreach ((string name, string content) in Files)
        {
            File.WriteAllText(Path.Combine(Directory, name), content);
        }

        // Read by Environment.Tests.ps1 (process-wide, like the contract variable itself).
        Environment.SetEnvironmentVariable("PESTER_BRIDGE_EXPECTED_MODULE_PATH", Build.ModulePath);
        Environment.SetEnvironmentVariable("PESTER_BRIDGE_EXPECTED_LOCATION", WorkingDirectory);

        Suite = new PesterSuite(Directory, new PesterHost(Build.PesterManifest, WorkingDirectory, TimeSpan.FromMinutes(5)), Math.Clamp(Environment.ProcessorCount, 1, 4));
        Cases = Suite.Discover();
        Suite.Prestart(Files.Keys);
    }

    public string Directory { get; }

    public string WorkingDirectory { get; }

    public PesterSuite Suite { get; }

    public IReadOnlyList<PesterCase> Cases { get; }

    public PesterCase Case(string file, string names) =>
        Cases.Single(c => c.File == file && c.DisplayName == $"{file}: {names}");

    public PesterCase Container(string file) =>
        Cases.Single(c => c.File == file && c.Kind == PesterCaseKind.Container);

    public Task<PesterVerdict> VerdictAsync(PesterCase testCase) => Suite.EvaluateAsync(testCase);

    public void Dispose()
    {
        Suite.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[Collection(PesterSequence.Name)]
public sealed class PesterBridgeTests : IClassFixture<PesterBridgeFixture>
{
    private readonly PesterBridgeFixture bridge;

    public PesterBridgeTests(PesterBridgeFixture bridge)
    {
        this.bridge = bridge;
    }

    [Fact]
    public void Discovery_makes_a_container_case_per_file_then_a_case_per_It_in_Pester_order()
    {
        Assert.Equal(PesterBridgeFixture.Files.Keys.Order(StringComparer.Ordinal), bridge.Cases.Where(c => c.Kind == PesterCaseKind.Container).Select(c => c.File));
        Assert.Equal(
            ["Duplicates.Tests.ps1: container", "Duplicates.Tests.ps1: same names > twice", "Duplicates.Tests.ps1: same names > twice"],
            bridge.Cases.Where(c => c.File == "Duplicates.Tests.ps1").Select(c => c.DisplayName));
        Assert.Equal(2, bridge.Container("Duplicates.Tests.ps1").DiscoveredTests);
        Assert.Equal(
            ["Passing.Tests.ps1: container", "Passing.Tests.ps1: bridge > a passing It > passes when the assertion holds"],
            bridge.Cases.Where(c => c.File == "Passing.Tests.ps1").Select(c => c.DisplayName));
    }

    [Fact]
    public async Task A_passing_It_passes()
    {
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("Passing.Tests.ps1", "bridge > a passing It > passes when the assertion holds")));
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Container("Passing.Tests.ps1")));
    }

    [Fact]
    public async Task A_failing_It_fails_with_Pesters_message_and_the_line()
    {
        PesterVerdict verdict = await bridge.VerdictAsync(bridge.Case("Failing.Tests.ps1", "bridge > fails when the assertion does not hold"));

        Assert.Equal(PesterOutcome.Failed, verdict.Outcome);
        Assert.StartsWith("Expected 3, but got 2.", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("Failing.Tests.ps1:3", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("bridge.fails when the assertion does not hold", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Container("Failing.Tests.ps1")));
    }

    [Fact]
    public async Task A_BeforeAll_failure_fails_the_container_and_the_Its_it_stopped()
    {
        PesterVerdict container = await bridge.VerdictAsync(bridge.Container("BeforeAllFails.Tests.ps1"));
        PesterVerdict it = await bridge.VerdictAsync(bridge.Case("BeforeAllFails.Tests.ps1", "broken setup > cannot run"));

        Assert.Equal(PesterOutcome.Failed, container.Outcome);
        Assert.Contains("boom in BeforeAll", container.Message, StringComparison.Ordinal);
        Assert.Contains("Describe 'broken setup'", container.Message, StringComparison.Ordinal);
        Assert.Equal(PesterOutcome.Failed, it.Outcome);
        Assert.Contains("boom in BeforeAll", it.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_AfterAll_failure_fails_the_container_but_not_the_It()
    {
        PesterVerdict container = await bridge.VerdictAsync(bridge.Container("AfterAllFails.Tests.ps1"));

        Assert.Equal(PesterOutcome.Failed, container.Outcome);
        Assert.Contains("boom in AfterAll", container.Message, StringComparison.Ordinal);
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("AfterAllFails.Tests.ps1", "broken teardown > runs before the teardown")));
    }

    [Fact]
    public async Task ForEach_cases_are_separate_cases_named_from_their_data()
    {
        Assert.Equal(
            [
                "ForEach.Tests.ps1: container",
                "ForEach.Tests.ps1: sums with numbers > adds 1 and 2",
                "ForEach.Tests.ps1: sums with numbers > adds 2 and 2",
                "ForEach.Tests.ps1: sums with numbers > sees item x",
                "ForEach.Tests.ps1: sums with numbers > sees item y",
                "ForEach.Tests.ps1: sums with numbers > keeps <notData> as written",
            ],
            bridge.Cases.Where(c => c.File == "ForEach.Tests.ps1").Select(c => c.DisplayName));

        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("ForEach.Tests.ps1", "sums with numbers > adds 1 and 2")));
        PesterVerdict second = await bridge.VerdictAsync(bridge.Case("ForEach.Tests.ps1", "sums with numbers > adds 2 and 2"));
        Assert.Equal(PesterOutcome.Failed, second.Outcome);
        Assert.StartsWith("Expected 3, but got 4.", second.Message, StringComparison.Ordinal);
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("ForEach.Tests.ps1", "sums with numbers > sees item y")));
    }

    [Fact]
    public async Task Skipped_Its_are_skipped_with_Pesters_reason()
    {
        PesterVerdict statically = await bridge.VerdictAsync(bridge.Case("Skipped.Tests.ps1", "skips > is skipped statically"));
        PesterVerdict dynamically = await bridge.VerdictAsync(bridge.Case("Skipped.Tests.ps1", "skips > is skipped at run time"));

        Assert.Equal(PesterVerdict.Skipped("Pester: skipped (-Skip)"), statically);
        Assert.Equal(PesterVerdict.Skipped("Pester: is skipped, because not today"), dynamically);
    }

    [Fact]
    public async Task A_file_that_fails_discovery_fails_its_container()
    {
        PesterVerdict verdict = await bridge.VerdictAsync(bridge.Container("DiscoveryFails.Tests.ps1"));

        Assert.Equal(PesterOutcome.Failed, verdict.Outcome);
        Assert.Contains("discovery boom", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_does_not_parse_fails_its_container_and_has_no_It_cases()
    {
        Assert.Equal([PesterCaseKind.Container], bridge.Cases.Where(c => c.File == "Unparsable.Tests.ps1").Select(c => c.Kind));
        PesterVerdict verdict = await bridge.VerdictAsync(bridge.Container("Unparsable.Tests.ps1"));

        Assert.Equal(PesterOutcome.Failed, verdict.Outcome);
        Assert.Contains("Missing closing '}'", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_Its_fails_its_container()
    {
        PesterVerdict verdict = await bridge.VerdictAsync(bridge.Container("NoIts.Tests.ps1"));

        Assert.Equal(PesterOutcome.Failed, verdict.Outcome);
        Assert.Contains("has no It blocks", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_with_the_same_name_are_told_apart_by_position()
    {
        var twice = bridge.Cases.Where(c => c.File == "Duplicates.Tests.ps1" && c.Kind == PesterCaseKind.It).ToList();

        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(twice[0]));
        PesterVerdict second = await bridge.VerdictAsync(twice[1]);
        Assert.Equal(PesterOutcome.Failed, second.Outcome);
        Assert.StartsWith("Expected 2, but got 1.", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_file_runs_in_its_own_runspace()
    {
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("IsolationA.Tests.ps1", "runspace A > starts without the other file's global")));
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("IsolationB.Tests.ps1", "runspace B > starts without the other file's global")));
    }

    [Fact]
    public async Task Files_see_the_module_path_variable_and_the_working_directory()
    {
        Assert.Equal(PesterVerdict.Passed, await bridge.VerdictAsync(bridge.Case("Environment.Tests.ps1", "environment > gets the module path and the working directory")));
        Assert.Equal(Build.ModulePath, Environment.GetEnvironmentVariable(PesterEnvironment.ModulePathVariable));
        Assert.True(Path.IsPathRooted(Build.ModulePath));
    }

    [Fact]
    public async Task Each_file_is_run_once_however_many_cases_it_has()
    {
        foreach (PesterCase testCase in bridge.Cases)
        {
            await bridge.VerdictAsync(testCase);
        }

        Assert.All(PesterBridgeFixture.Files.Keys, file => Assert.Equal(1, bridge.Suite.RunCount(file)));
    }

    [Fact]
    public async Task An_It_missing_from_the_run_fails_instead_of_passing()
    {
        PesterCase passing = bridge.Case("Passing.Tests.ps1", "bridge > a passing It > passes when the assertion holds");
        PesterFileResult run = await bridge.Suite.RunAsync("Passing.Tests.ps1");

        PesterVerdict renamed = PesterSuite.Evaluate(passing with { Key = "bridge > renamed" }, run);
        PesterVerdict gone = PesterSuite.Evaluate(passing, run with { Tests = [] });

        Assert.Equal(PesterOutcome.Failed, renamed.Outcome);
        Assert.Contains("file changed since discovery", renamed.Message, StringComparison.Ordinal);
        Assert.Equal(PesterOutcome.Failed, gone.Outcome);
        Assert.Equal(PesterOutcome.Failed, PesterSuite.Evaluate(bridge.Container("Passing.Tests.ps1") with { DiscoveredTests = 2 }, run).Outcome);
    }
}

public sealed class PesterBridgeSuiteTests
{
    [Fact]
    public async Task A_directory_without_Pester_files_gives_one_failing_case()
    {
        string empty = Path.Combine(Path.GetTempPath(), "pester-bridge-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "NotAPesterFile.ps1"), "Describe 'x' { It 'y' { } }");
        try
        {
            using var suite = new PesterSuite(empty, new PesterHost(Build.PesterManifest, empty, TimeSpan.FromMinutes(1)), maxParallelRuns: 1);

            PesterCase only = Assert.Single(suite.Discover());
            PesterVerdict verdict = await suite.EvaluateAsync(only);

            Assert.Equal(PesterCaseKind.Suite, only.Kind);
            Assert.Equal(PesterOutcome.Failed, verdict.Outcome);
            Assert.Contains("no Pester files", verdict.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void A_missing_directory_gives_one_failing_case()
    {
        using var suite = new PesterSuite("/nonexistent/pester-bridge", new PesterHost(Build.PesterManifest, Path.GetTempPath(), TimeSpan.FromMinutes(1)), maxParallelRuns: 1);

        PesterCase only = Assert.Single(suite.Discover());

        Assert.Equal(PesterOutcome.Failed, PesterSuite.Evaluate(only, new PesterFileResult(string.Empty, [], [])).Outcome);
    }

    [Fact]
    public void The_repo_suite_finds_the_repo_Pester_files_and_the_Pester_package()
    {
        Assert.Contains("Module.Tests.ps1", PesterSuite.Repository.Files());
        Assert.True(File.Exists(Build.PesterManifest), Build.PesterManifest);
        Assert.Equal(Path.Combine(Build.RepoRoot, "tests"), PesterSuite.Repository.Directory);
    }

    [Fact]
    public void A_case_survives_xunit_serialization_as_json()
    {
        var original = new PesterCase(PesterCaseKind.It, "A.Tests.ps1", 3, "d > c > it <a>", 0, "A.Tests.ps1: d > c > it 1", string.Empty);

        Assert.Equal(original, PesterCase.FromJson(original.ToJson()));
    }

    [Fact]
    public void A_PesterSkipException_failure_is_reported_as_skipped_and_other_failures_pass_through()
    {
        var sink = new RecordingBus();
        using var bus = new SkipTranslatingMessageBus(sink);
        ITest test = NewTest();

        bus.QueueMessage(new TestFailed(test, 0m, string.Empty, new PesterSkipException("Pester: not today")));
        bus.QueueMessage(new TestFailed(test, 0m, string.Empty, new XunitException("Expected 3, but got 2.")));

        Assert.Equal(1, bus.Skipped);
        Assert.Collection(
            sink.Messages,
            m => Assert.Equal("Pester: not today", Assert.IsAssignableFrom<ITestSkipped>(m).Reason),
            m => Assert.Equal("Expected 3, but got 2.", Assert.IsAssignableFrom<ITestFailed>(m).Messages[0]));
    }

    private static XunitTest NewTest()
    {
        var assembly = new TestAssembly(new ReflectionAssemblyInfo(typeof(PesterFilesTests).Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, "collection"), new ReflectionTypeInfo(typeof(PesterFilesTests)));
        var testMethod = new TestMethod(testClass, new ReflectionMethodInfo(typeof(PesterFilesTests).GetMethod(nameof(PesterFilesTests.Run))!));
        var pesterCase = new PesterCase(PesterCaseKind.It, "A.Tests.ps1", 0, "d > it", 0, "A.Tests.ps1: d > it", string.Empty);
        var testCase = new PesterTestCase(new RecordingBus(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod, pesterCase);
        Assert.Equal("A.Tests.ps1: d > it", testCase.DisplayName);
        return new XunitTest(testCase, testCase.DisplayName);
    }

    private sealed class RecordingBus : LongLivedMarshalByRefObject, IMessageBus, IMessageSink
    {
        public List<IMessageSinkMessage> Messages { get; } = [];

        public bool QueueMessage(IMessageSinkMessage message)
        {
            Messages.Add(message);
            return true;
        }

        public bool OnMessage(IMessageSinkMessage message) => QueueMessage(message);

        public void Dispose()
        {
        }
    }
}
