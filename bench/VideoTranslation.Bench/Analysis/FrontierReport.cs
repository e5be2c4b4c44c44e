using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoTranslation.Bench.Analysis;

/// <summary>The <c>frontier</c> command: each workload's frontier and the original loops against it, computed only.</summary>
internal static class FrontierReport
{
    public static string Render(double scale, int sampleSize, int quantilePoints, int timePoints, int seed)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        foreach (Workload w in Workload.All(scale))
        {
            double[] sample = w.SortedSample(sampleSize, seed);
            var stopwatch = Stopwatch.StartNew();
            FrontierCurve frontier = Frontier.Compute(sample, quantilePoints, timePoints, CoreUse.MinimumPollIntervalSeconds);
            Line($"## {w.Title}: {sampleSize:N0} draws, {frontier.GridPoints:N0} candidate check times, {stopwatch.Elapsed.TotalSeconds:0.0} s");
            md.AppendLine();
            md.AppendLine("| requests/job | least mean lateness (ms) | first checks (s) |");
            md.AppendLine("|---|---|---|");
            foreach (FrontierPoint p in frontier.Points)
            {
                Line($"| {p.Requests:0.000} | {p.LatenessMs:0.0} | {string.Join(", ", p.FirstChecksSeconds.Select(c => c.ToString("0.###", CultureInfo.InvariantCulture)))} |");
            }

            md.AppendLine();
            var loops = new (string Name, Func<int, double> Schedule)[]
            {
                (CoreUse.RowName(RowKind.OriginalFixed, scale), OriginalLoops.Fixed(scale)),
                (CoreUse.RowName(RowKind.OriginalExponential, scale), OriginalLoops.Exponential(scale)),
            };
            var means = new List<(double Requests, double LatenessMs)>();
            foreach ((string name, Func<int, double> schedule) in loops)
            {
                (double[] requests, double[] lateness) = OriginalLoops.Run(sample, schedule);
                double r = requests.Average(), l = lateness.Average();
                means.Add((r, l));
                Line($"- {name}: {r:0.000} requests, {l:0.0} ms; the frontier has {frontier.LatenessAt(r):0.0} ms at {r:0.000} requests and needs {frontier.RequestsAt(l):0.000} requests for {l:0.0} ms.");
            }

            DominanceCheck d = Pareto.Dominance(frontier, "distribution", means[0], means[1]);
            Line($"- Dominating both: ≤ {d.MaxRequests:0.000} requests and ≤ {d.MaxLatenessMs:0.0} ms; the frontier has {d.FrontierLatenessMs:0.0} ms there: {(d.Feasible ? "feasible" : "infeasible")}.");
            md.AppendLine();
        }

        return md.ToString();
    }
}
