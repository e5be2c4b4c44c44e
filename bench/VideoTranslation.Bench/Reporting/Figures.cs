using System.Globalization;
using System.Text;
using System.Text.Json;
using VideoTranslation.Bench.Infrastructure;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>One figure of a run under a key that stays the same across builds, so two builds' runs can be compared.</summary>
/// <param name="Key">section/…/measure, e.g. strategies/lognormal/LearnedNoHints/lateness.p99.</param>
/// <param name="LowerIsBetter">False for rates (requests per second); true for requests, lateness, time and memory.</param>
public sealed record Figure(string Key, double Value, string Unit, bool LowerIsBetter = true);

/// <summary>The figures a comparison reads, and the comparison of two builds' runs.</summary>
internal static class Figures
{
    public static List<Figure> Of(IReadOnlyList<SectionRun> runs, StrategySection? strategies, StrategySection? heygen, ScaleSection? scale, SoakSection? soak, ThroughputSection? throughput, ModuleSection? module, TelemetrySection? telemetry = null)
    {
        var figures = new List<Figure>();
        void Add(string key, double value, string unit, bool lowerIsBetter = true)
        {
            if (double.IsFinite(value))
            {
                figures.Add(new Figure(key, value, unit, lowerIsBetter));
            }
        }

        foreach (SectionRun run in runs)
        {
            Add($"run/{run.Section}/seconds", run.Seconds, "s");
        }

        foreach (TelemetryRow r in telemetry?.Rows ?? [])
        {
            string key = "telemetry/" + r.Listeners switch { TelemetryBenchmark.Nobody => "nobody", TelemetryBenchmark.Others => "others", _ => "everything" } + "/";
            Add(key + "bytesPerCheck", r.BytesPerCheck, "B");
            Add(key + "bytesPerWaitBeyondChecks", r.BytesPerWaitBeyondChecks, "B");
            Add(key + "bytesPer10CheckWait", r.BytesPerLongWait, "B");
        }

        foreach (WorkloadSection w in strategies?.Workloads ?? [])
        {
            foreach (StrategyRow r in w.Rows)
            {
                string key = $"strategies/{w.Key}/{r.Kind}/";
                Add(key + "requests.mean", r.Requests.Mean, "requests");
                Add(key + "requests.p99", r.Requests.P99, "requests");
                Add(key + "lateness.mean", r.LatenessMs.Mean, "ms");
                Add(key + "lateness.p50", r.LatenessMs.P50, "ms");
                Add(key + "lateness.p99", r.LatenessMs.P99, "ms");
            }
        }

        foreach (StrategyRow r in heygen?.Workloads.SelectMany(w => w.Rows) ?? [])
        {
            string key = $"heygen/{r.Kind}/";
            Add(key + "requests.mean", r.Requests.Mean, "requests");
            Add(key + "lateness.mean", r.LatenessMs.Mean, "ms");
            Add(key + "lateness.p50", r.LatenessMs.P50, "ms");
            Add(key + "lateness.p95", r.LatenessMs.P95, "ms");
        }

        foreach (ScaleRow r in scale?.Rows ?? [])
        {
            string key = $"scale/{r.Strategy}/";
            Add(key + "requests.mean", r.RequestsPerJob, "requests");
            Add(key + "lateness.mean", r.LatenessMs.Mean, "ms");
            Add(key + "lateness.p50", r.LatenessMs.P50, "ms");
            Add(key + "lateness.p99", r.LatenessMs.P99, "ms");
            Add(key + "wait", r.WaitSeconds, "s");
            Add(key + "cpuPer1000Requests", r.CpuMsPer1000Requests, "ms");
            Add(key + "peakRss", r.PeakRssMb, "MB");
            Add(key + "peakThreads", r.PeakThreads, "threads");
        }

        if (soak?.Client.Rounds is { Count: > 0 } rounds)
        {
            SoakRound last = rounds[^1];
            Add("soak/lastRound/wait", last.WaitSeconds, "s");
            Add("soak/lastRound/rss", last.Resources.RssMb, "MB");
            Add("soak/lastRound/sockets", last.Resources.Sockets, "sockets");
            Add("soak/lastRound/threads", last.Resources.Threads, "threads");
        }

        if (throughput is not null)
        {
            Add("throughput/simulator", throughput.SimulatorRequestsPerSecond, "requests/s", lowerIsBetter: false);
            Add("throughput/simulatorOverBare", throughput.Ratio, "×", lowerIsBetter: false);
        }

        if (module is not null)
        {
            Add("module/import.p50", module.ImportMs.P50, "ms");
            Add("module/cmdletRoundTrip.p50", module.CmdletRoundTripMs.P50, "ms");
            Add("module/coreRoundTrip.p50", module.CoreRoundTripMs.P50, "ms");
        }

        return figures;
    }

    /// <summary>One run as the comparison reads it: its label (the commit) and load, and its figures by key.</summary>
    private sealed record RunFigures(string Path, string Code, string Load, Dictionary<string, Figure> Figures);

    /// <summary>
    /// The comparison table of two builds: per figure, the median over each build's runs, the spread, and head ÷ base.
    /// The runs were made in one session, interleaved, so both builds saw the same machine.
    /// </summary>
    public static string Compare(IReadOnlyList<string> baseRuns, IReadOnlyList<string> headRuns)
    {
        List<RunFigures> b = baseRuns.Select(Read).ToList();
        List<RunFigures> h = headRuns.Select(Read).ToList();
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"Base: {b[0].Code}; {b.Count} run(s), load {string.Join(" | ", b.Select(r => r.Load))}.");
        Line($"Head: {h[0].Code}; {h.Count} run(s), load {string.Join(" | ", h.Select(r => r.Load))}.");
        md.AppendLine();
        md.AppendLine("Medians over each build's runs (min–max in brackets when more than one); head ÷ base: below 1 is better for requests, lateness, time and memory, above 1 for rates. A ratio means little unless it lies outside both builds' own spread.");
        md.AppendLine();
        md.AppendLine("| figure | unit | base | head | head ÷ base |");
        md.AppendLine("|---|---|---|---|---|");
        IEnumerable<string> keys = b.SelectMany(r => r.Figures.Keys).Concat(h.SelectMany(r => r.Figures.Keys)).Distinct(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            double[] bv = b.Where(r => r.Figures.ContainsKey(key)).Select(r => r.Figures[key].Value).ToArray();
            double[] hv = h.Where(r => r.Figures.ContainsKey(key)).Select(r => r.Figures[key].Value).ToArray();
            Figure any = (b.Concat(h)).First(r => r.Figures.ContainsKey(key)).Figures[key];
            double bm = bv.Length == 0 ? double.NaN : Stats.Median(bv);
            double hm = hv.Length == 0 ? double.NaN : Stats.Median(hv);
            string ratio = bv.Length == 0 || hv.Length == 0 ? "(only in one)" : bm == 0 ? (hm == 0 ? "1.00" : "–") : (hm / bm).ToString("0.00", CultureInfo.InvariantCulture);
            md.AppendLine($"| {key} | {any.Unit} | {Cell(bm, bv)} | {Cell(hm, hv)} | {ratio} |");
        }

        return md.ToString();
    }

    private static string Cell(double median, double[] values) =>
        values.Length == 0 ? "–"
        : values.Length == 1 ? N(median)
        : $"{N(median)} ({N(values.Min())}–{N(values.Max())})";

    private static string N(double value) => Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static RunFigures Read(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "results.json") : path;
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
        JsonElement root = doc.RootElement;
        if (!root.TryGetProperty("figures", out JsonElement list))
        {
            throw new InvalidDataException($"{file} has no figures: it was written by a benchmark that predates them; run that build with this benchmark (bench/compare.sh --this-bench).");
        }

        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        foreach (JsonElement f in list.EnumerateArray())
        {
            var figure = f.Deserialize<Figure>(Benchmark.Json)!;
            figures[figure.Key] = figure;
        }

        string code = root.TryGetProperty("code", out JsonElement c) && c.TryGetProperty("summary", out JsonElement s) ? s.GetString() ?? "?" : "?";
        string load = root.TryGetProperty("machine", out JsonElement m) && m.TryGetProperty("loadAverage", out JsonElement start) ? start.GetString() ?? "?" : "?";
        string end = root.TryGetProperty("loadAverageAtEnd", out JsonElement e) ? e.GetString() ?? "?" : "?";
        return new RunFigures(file, code, $"{load} → {end}", figures);
    }
}
