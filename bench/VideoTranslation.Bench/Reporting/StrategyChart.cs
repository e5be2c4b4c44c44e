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
        p99.LegendText = "p99 lateness (mean: filled)";

        // One series per strategy (its own colour; squares for the original's loops), numbered on the plot and
        // named in the legend: long names next to points that nearly coincide would overlap.
        for (int i = 0; i < rows.Length; i++)
        {
            var point = plot.Add.Scatter(new[] { xs[i] }, new[] { means[i] });
            point.LineWidth = 0;
            point.MarkerSize = 11;
            point.MarkerShape = rows[i].Ours ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
            point.Color = plot.Add.Palette.GetColor(i);
            point.LegendText = FormattableString.Invariant($"{i + 1}  {rows[i].Name}");
        }

        double xMin = Math.Log10(0.8);
        double xMax = Math.Log10(Math.Max(40, rows.Max(r => r.Requests.Mean) * 2));
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => (Math.Round(xs[i] * 30), Math.Round(means[i] * 15))))
        {
            int first = group.First();
            var label = plot.Add.Text(string.Join(",", group.Select(i => (i + 1).ToString(CultureInfo.InvariantCulture))), xs[first], means[first]);
            label.LabelFontSize = 13;
            label.LabelBold = true;
            label.LabelAlignment = Alignment.MiddleLeft;
            label.LabelOffsetX = 9;
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
        plot.ShowLegend(Edge.Right);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1400, 720);
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
