// The benchmark of issue 5: strategies side by side, 10,000 concurrent waits, simulator throughput, module overhead;
// and the soak of issue 6 (rounds of concurrent waits through injected faults, nothing lost, nothing growing).
//
//   dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode full     (< 10 min; docs/benchmarks.md)
//   dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode quick    (< 1 min; what the tests run)
//
// The sub-commands `scale-client`, `soak-client` and `bare-endpoint` are the child processes the benchmark starts itself.
using System.CommandLine;
using System.Text.Json;
using VideoTranslation.Bench;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Reporting;
using VideoTranslation.Bench.Sections;

var mode = new Option<string>("--mode") { Description = "quick (small counts, < 1 min) or full (the documented run, < 10 min)", DefaultValueFactory = _ => "quick" };
mode.AcceptOnlyFromAmong("quick", "full");
var output = new Option<string?>("--out") { Description = "Folder for results.json, results.md and the chart (default: artifacts/bench/<mode>); a full run of every section without --out also writes docs/benchmark-report.md and docs/benchmarks-strategies.png" };
var chart = new Option<string?>("--chart") { Description = "Where the strategy chart goes instead" };
var noWrk = new Option<bool>("--no-wrk") { Description = "Use the built-in load loop even when wrk is installed" };
var soakRoundsOverride = new Option<int?>("--soak-rounds") { Description = "Soak rounds instead of the mode's (quick 3, full 5); at least 2" };
var soakJobsOverride = new Option<int?>("--soak-jobs") { Description = "Jobs per soak round instead of the mode's (quick 100, full 1000)" };
var heygenScale = new Option<double?>("--heygen-scale") { Description = "The HeyGen section's time scale instead of the mode's (full 0.01, quick 0.001): every duration and strategy constant × this" };
var only = new Option<string[]>("--only") { Description = "Run only these sections: " + string.Join(", ", BenchSettings.AllSections) + "; and, only when named, " + string.Join(", ", BenchSettings.OptionalSections), AllowMultipleArgumentsPerToken = true };
only.AcceptOnlyFromAmong([.. BenchSettings.AllSections, .. BenchSettings.OptionalSections]);

var root = new RootCommand("VideoTranslation benchmark (issues 5 and 6)") { mode, output, chart, noWrk, only, soakRoundsOverride, soakJobsOverride, heygenScale };
root.SetAction(async (parse, cancellationToken) =>
{
    BenchMode benchMode = parse.GetValue(mode) == "full" ? BenchMode.Full : BenchMode.Quick;
    IReadOnlySet<string> sections = parse.GetValue(only) is { Length: > 0 } chosen ? chosen.ToHashSet(StringComparer.Ordinal) : BenchSettings.AllSections;
    bool documented = benchMode == BenchMode.Full && parse.GetValue(output) is null && sections.SetEquals(BenchSettings.AllSections);
    BenchSettings settings = BenchSettings.For(benchMode, parse.GetValue(output), parse.GetValue(chart), documented) with
    {
        UseWrk = !parse.GetValue(noWrk),
        Sections = sections,
        Command = "dotnet run -c Release --project bench/VideoTranslation.Bench -- " + string.Join(' ', args),
    };
    if (parse.GetValue(soakRoundsOverride) is int rounds)
    {
        settings = settings with { SoakRounds = Math.Max(2, rounds) };
    }

    if (parse.GetValue(heygenScale) is double heygenTimeScale)
    {
        if (heygenTimeScale is <= 0 or > 1)
        {
            await Console.Error.WriteLineAsync("--heygen-scale must be in (0, 1].");
            return 2;
        }

        settings = settings with { HeyGenTimeScale = heygenTimeScale };
    }

    if (parse.GetValue(soakJobsOverride) is int soakJobCount)
    {
        settings = settings with { SoakJobs = Math.Max(1, soakJobCount) };
    }

    var report = await Benchmark.RunAsync(settings, Console.Out, cancellationToken);
    return report.Errors.Count == 0 ? 0 : 1;
});

var url = new Option<string>("--url") { Required = true };
var strategy = new Option<string>("--strategy") { Required = true };
strategy.AcceptOnlyFromAmong([.. ScaleBenchmark.StrategyNames]);
var jobs = new Option<int>("--jobs") { Required = true };
var maxConcurrency = new Option<int>("--max-concurrency") { Required = true };
var delayMin = new Option<double>("--delay-min") { Required = true };
var delayMax = new Option<double>("--delay-max") { Required = true };
var errorShare = new Option<double>("--error-share") { Required = true };
var seed = new Option<int>("--seed") { Required = true };
var scale = new Command(ScaleBenchmark.Command, "(child process) all jobs at once in one batch in this process; prints one JSON line")
{
    url, strategy, jobs, maxConcurrency, delayMin, delayMax, errorShare, seed,
};
scale.Hidden = true;
scale.SetAction((parse, cancellationToken) => ScaleBenchmark.RunClientAsync(
    new ScaleClientArguments(
        new Uri(parse.GetValue(url)!),
        parse.GetValue(strategy)!,
        parse.GetValue(jobs),
        parse.GetValue(maxConcurrency),
        parse.GetValue(delayMin),
        parse.GetValue(delayMax),
        parse.GetValue(errorShare),
        parse.GetValue(seed)),
    Console.Out,
    cancellationToken));
root.Subcommands.Add(scale);

var soakUrl = new Option<string>("--url") { Required = true };
var soakRounds = new Option<int>("--rounds") { Required = true };
var soakJobs = new Option<int>("--jobs") { Required = true };
var soakTimeout = new Option<double>("--request-timeout") { Required = true };
var soakMaxWait = new Option<double>("--max-wait") { Required = true };
var soak = new Command(SoakBenchmark.Command, "(child process) rounds of many concurrent waits through faults; prints one JSON line") { soakUrl, soakRounds, soakJobs, soakTimeout, soakMaxWait };
soak.Hidden = true;
soak.SetAction((parse, cancellationToken) => SoakBenchmark.RunClientAsync(
    new Uri(parse.GetValue(soakUrl)!),
    parse.GetValue(soakRounds),
    parse.GetValue(soakJobs),
    parse.GetValue(soakTimeout),
    parse.GetValue(soakMaxWait),
    Console.Out,
    cancellationToken));
root.Subcommands.Add(soak);

var hostileReal = new Option<int>("--real") { Required = true };
var hostileUnknown = new Option<int>("--unknown") { Required = true };
var hostileAbove = new Option<int>("--above-limit") { Required = true };
var hostile = new Command(SoakHostileRounds.Command, "(child process) the soak's rounds of issue 14: unknown ids among real jobs, a batch above the descriptor limit; prints one JSON line")
{
    soakUrl, hostileReal, hostileUnknown, hostileAbove, soakTimeout, soakMaxWait,
};
hostile.Hidden = true;
hostile.SetAction((parse, cancellationToken) => SoakHostileRounds.RunClientAsync(
    new Uri(parse.GetValue(soakUrl)!),
    parse.GetValue(hostileReal),
    parse.GetValue(hostileUnknown),
    parse.GetValue(hostileAbove),
    parse.GetValue(soakTimeout),
    parse.GetValue(soakMaxWait),
    Console.Out,
    cancellationToken));
root.Subcommands.Add(hostile);

var parentPid = new Option<int>("--parent-pid") { Required = true };
var bare = new Command(ThroughputBenchmark.BareCommand, "(child process) a bare Kestrel GET /status endpoint") { parentPid };
bare.Hidden = true;
bare.SetAction((parse, cancellationToken) => ThroughputBenchmark.RunBareEndpointAsync(parse.GetValue(parentPid), Console.Out, cancellationToken));
root.Subcommands.Add(bare);

var frontierScale = new Option<double>("--time-scale") { Description = "Multiplies every duration and loop constant (full mode 1, quick 0.1)", DefaultValueFactory = _ => 1 };
var frontierSample = new Option<int>("--sample") { Description = "Durations drawn per workload", DefaultValueFactory = _ => 200_000 };
var frontierGrid = new Option<int[]>("--grid") { Description = "Candidate check times: quantile points, time points", DefaultValueFactory = _ => [2_500, 1_500], AllowMultipleArgumentsPerToken = true };
var frontier = new Command("frontier", "Prints each workload's oracle frontier and the original loops against it (in-process, no network)") { frontierScale, frontierSample, frontierGrid };
frontier.SetAction(parse =>
{
    int[] grid = parse.GetValue(frontierGrid)!;
    Console.Write(FrontierReport.Render(parse.GetValue(frontierScale), parse.GetValue(frontierSample), grid[0], grid.Length > 1 ? grid[1] : grid[0], 20261125));
    return 0;
});
root.Subcommands.Add(frontier);

var baseRuns = new Option<string[]>("--base") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "results.json files (or their folders) of the base build's runs" };
var headRuns = new Option<string[]>("--head") { Required = true, AllowMultipleArgumentsPerToken = true, Description = "results.json files (or their folders) of the head build's runs" };
var comparison = new Option<string?>("--to") { Description = "Also write the table to this file" };
var compare = new Command("compare", "Compares the figures of two builds' runs (bench/compare.sh makes the runs)") { baseRuns, headRuns, comparison };
compare.SetAction(parse =>
{
    string table = Figures.Compare(parse.GetValue(baseRuns)!, parse.GetValue(headRuns)!);
    Console.Write(table);
    if (parse.GetValue(comparison) is string to)
    {
        File.WriteAllText(to, table);
    }

    return 0;
});
root.Subcommands.Add(compare);

var results = new Option<string>("--results") { Required = true, Description = "A results.json of an earlier run" };
var redraw = new Command("chart", "Draws the strategy chart again from a results.json") { results, chart };
redraw.SetAction(parse =>
{
    BenchReport report = JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(parse.GetValue(results)!), Benchmark.Json)
        ?? throw new InvalidDataException("The results file is empty.");
    string path = parse.GetValue(chart) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(parse.GetValue(results)!))!, "benchmarks-strategies.png");
    StrategyChart.Save(report.Strategies ?? throw new InvalidDataException("The results have no strategy section."), path);
    Console.WriteLine("Wrote " + path);
    return 0;
});
root.Subcommands.Add(redraw);

return await root.Parse(args).InvokeAsync();
