using VideoTranslation.Bench.Infrastructure;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>One target of issue 5 and whether this run met it.</summary>
public sealed record TargetCheck(string Section, string Target, string Measured, bool Met);

/// <summary>Everything one run measured (a section that failed is null and its error is in <see cref="Errors"/>).</summary>
public sealed record BenchReport(
    BenchMode Mode,
    string Command,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    double WallSeconds,
    StrategySection? Strategies,
    ScaleSection? Scale,
    SoakSection? Soak,
    ThroughputSection? Throughput,
    ModuleSection? Module,
    IReadOnlyList<TargetCheck> Targets,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Files);
