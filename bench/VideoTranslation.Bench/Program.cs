// The benchmark of issue 5: strategies side by side, 10,000 concurrent waits, simulator throughput, module overhead;
// and the soak of issue 6 (rounds of concurrent waits through injected faults, nothing lost, nothing growing).
//
//   dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode full     (< 10 min; docs/benchmarks.md)
//   dotnet run -c Release --project bench/VideoTranslation.Bench -- --mode quick    (< 1 min; what the tests run)
//
// The sub-commands `scale`, `soak` and `bare-endpoint` are the child processes the benchmark starts itself.
using System.CommandLine;
using System.Text.Json;
using VideoTranslation.Bench;
using VideoTranslation.Bench.Reporting;
using VideoTranslation.Bench.Sections;

var mode = new Option<string>("--mode") { Description = "quick (small counts, < 1 min) or full (the documented run, < 10 min)", DefaultValueFactory = _ => "quick" };
mode.AcceptOnlyFromAmong("quick", "full");
var output = new Option<string?>("--out") { Description = "Folder for results.json, results.md (default: artifacts/bench/<mode>)" };
var chart = new Option<string?>("--chart") { Description = "Where the strategy chart goes (default: full → docs/benchmarks-strategies.png, quick → the --out folder)" };
var noWrk = new Option<bool>("--no-wrk") { Description = "Use the built-in load loop even when wrk is installed" };
var soakRoundsOverride = new Option<int?>("--soak-rounds") { Description = "Soak rounds instead of the mode's (quick 3, full 5); at least 2" };
var soakJobsOverride = new Option<int?>("--soak-jobs") { Description = "Jobs per soak round instead of the mode's (quick 100, full 1000)" };
var only = new Option<string[]>("--only") { Description = "Run only these sections: " + string.Join(", ", BenchSettings.AllSections), AllowMultipleArgumentsPerToken = true };
only.AcceptOnlyFromAmong([.. BenchSettings.AllSections]);

var root = new RootCommand("VideoTranslation benchmark (issues 5 and 6)") { mode, output, chart, noWrk, only, soakRoundsOverride, soakJobsOverride };
root.SetAction(async (parse, cancellationToken) =>
{
    BenchMode benchMode = parse.GetValue(mode) == "full" ? BenchMode.Full : BenchMode.Quick;
    BenchSettings settings = BenchSettings.For(benchMode, parse.GetValue(output), parse.GetValue(chart)) with
    {
        UseWrk = !parse.GetValue(noWrk),
        Sections = parse.GetValue(only) is { Length: > 0 } chosen ? chosen.ToHashSet(StringComparer.Ordinal) : BenchSettings.AllSections,
        Command = "dotnet run -c Release --project bench/VideoTranslation.Bench -- " + string.Join(' ', args),
    };
    if (parse.GetValue(soakRoundsOverride) is int rounds)
    {
        settings = settings with { SoakRounds = Math.Max(2, rounds) };
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
strategy.AcceptOnlyFromAmong(ScaleBenchmark.StrategyNames);
var jobs = new Option<int>("--jobs") { Required = true };
var scale = new Command(ScaleBenchmark.Command, "(child process) many concurrent waits in this process; prints one JSON line") { url, strategy, jobs };
scale.Hidden = true;
scale.SetAction((parse, cancellationToken) =>
    ScaleBenchmark.RunClientAsync(new Uri(parse.GetValue(url)!), parse.GetValue(strategy)!, parse.GetValue(jobs), Console.Out, cancellationToken));
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

var parentPid = new Option<int>("--parent-pid") { Required = true };
var bare = new Command(ThroughputBenchmark.BareCommand, "(child process) a bare Kestrel GET /status endpoint") { parentPid };
bare.Hidden = true;
bare.SetAction((parse, cancellationToken) => ThroughputBenchmark.RunBareEndpointAsync(parse.GetValue(parentPid), Console.Out, cancellationToken));
root.Subcommands.Add(bare);

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
