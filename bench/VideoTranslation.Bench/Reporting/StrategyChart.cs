using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>Requests per job against detection lateness, one labelled point per strategy, both axes log10.</summary>
internal static class StrategyChart
{
    // Lateness below this is drawn at it: a log axis has no zero.
    private const double FloorMs = 0.1;

    public static void Save(StrategySection section, string path)
    {
        var plot = new Plot();
        StrategyRow[] rows = section.Rows.Where(r => r.LatenessMs.Count > 0).ToArray();
        double[] xs = rows.Select(r => Math.Log10(r.Requests.Mean)).ToArray();
        double[] means = rows.Select(r => Math.Log10(Math.Max(r.LatenessMs.Mean, FloorMs))).ToArray();
        double[] p99s = rows.Select(r => Math.Log10(Math.Max(r.LatenessMs.P99, FloorMs))).ToArray();

        for (int i = 0; i < rows.Length; i++)
        {
            var whisker = plot.Add.Line(xs[i], means[i], xs[i], p99s[i]);
            whisker.LineColor = Colors.Gray.WithAlpha(0.6);
            whisker.LineWidth = 1;
        }

        var p99 = plot.Add.Scatter(xs, p99s);
        p99.LineWidth = 0;
        p99.MarkerShape = MarkerShape.OpenTriangleUp;
        p99.MarkerSize = 9;
        p99.Color = Colors.Gray;
        p99.LegendText = "p99 lateness";

        var ours = plot.Add.Scatter(Pick(xs, rows, r => r.Ours), Pick(means, rows, r => r.Ours));
        ours.LineWidth = 0;
        ours.MarkerSize = 11;
        ours.Color = Colors.C0;
        ours.LegendText = "mean lateness, ours";

        var original = plot.Add.Scatter(Pick(xs, rows, r => !r.Ours), Pick(means, rows, r => !r.Ours));
        original.LineWidth = 0;
        original.MarkerSize = 11;
        original.MarkerShape = MarkerShape.FilledSquare;
        original.Color = Colors.C3;
        original.LegendText = "mean lateness, original";

        // Points that coincide (the original's fixed loop and our Fixed, say) share one label.
        // Labels of points in the right half go on their left, so that none runs off the plot.
        double xMin = Math.Log10(0.8);
        double xMax = Math.Log10(Math.Max(40, rows.Max(r => r.Requests.Mean) * 2));
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => (Math.Round(xs[i] * 20), Math.Round(means[i] * 10))))
        {
            int first = group.First();
            bool right = xs[first] > (xMin + xMax) / 2;
            var label = plot.Add.Text(string.Join(" / ", group.Select(i => rows[i].Name)), xs[first], means[first]);
            label.LabelFontSize = 12;
            label.LabelAlignment = right ? Alignment.MiddleRight : Alignment.MiddleLeft;
            label.LabelOffsetX = right ? -9 : 9;
        }

        plot.Axes.Bottom.TickGenerator = LogTicks(v => v.ToString("0.#", CultureInfo.InvariantCulture));
        plot.Axes.Left.TickGenerator = LogTicks(v => v >= 1000
            ? (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s"
            : v.ToString("0.#", CultureInfo.InvariantCulture) + " ms");
        plot.Axes.SetLimitsX(xMin, xMax);
        plot.Axes.SetLimitsY(
            Math.Log10(Math.Max(FloorMs, rows.Min(r => r.LatenessMs.Mean) / 3)),
            Math.Log10(Math.Max(2000, rows.Max(r => r.LatenessMs.P99) * 2)));
        plot.Title(FormattableString.Invariant($"Requests vs detection lateness ({section.JobsPerStrategy} jobs per strategy, uniform 1.5–3.0 s)"));
        plot.XLabel("requests per job (mean, log scale)");
        plot.YLabel("detection lateness (log scale)");
        plot.Legend.Alignment = Alignment.LowerLeft;
        plot.ShowLegend();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1100, 700);
    }

    private static double[] Pick(double[] values, StrategyRow[] rows, Func<StrategyRow, bool> keep) =>
        values.Where((_, i) => keep(rows[i])).ToArray();

    private static NumericAutomatic LogTicks(Func<double, string> format) => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => format(Math.Pow(10, exponent)),
    };
}
