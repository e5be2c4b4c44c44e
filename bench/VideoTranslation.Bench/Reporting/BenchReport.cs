using VideoTranslation.Bench.Infrastructure;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>One target of issue 5 and whether this run met it.</summary>
public sealed record TargetCheck(string Section, string Target, string Measured, bool Met);

/// <summary>When a section ran, how long, and how busy the machine was (1-, 5-, 15-minute load averages) at its start and end.</summary>
public sealed record SectionRun(string Section, double Seconds, string LoadAtStart, string LoadAtEnd);

/// <summary>Everything one run measured (a section that failed is null and its error is in <see cref="Errors"/>).</summary>
public sealed record BenchReport(
    BenchMode Mode,
    string Command,
    MachineInfo Machine,
    CodeInfo Code,
    string LoadAverageAtEnd,
    double WallSeconds,
    StrategySection? Strategies,
    StrategySection? HeyGen,
    ScaleSection? Scale,
    SoakSection? Soak,
    ThroughputSection? Throughput,
    ModuleSection? Module,
    IReadOnlyList<TargetCheck> Targets,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Files,
    IReadOnlyList<SectionRun> SectionRuns,
    IReadOnlyList<Figure> Figures,
    TelemetrySection? Telemetry = null);
