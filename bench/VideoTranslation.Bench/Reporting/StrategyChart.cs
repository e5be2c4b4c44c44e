using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;
using VideoTranslation.Bench.Analysis;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>
/// One panel per workload: requests per job against detection lateness, one numbered point per strategy and the
/// oracle frontier as a line, both axes log10; the panels side by side in one PNG.
/// </summary>
internal static class StrategyChart
{
    // Lateness below this is drawn at it: a log axis has no zero.
    private const double FloorMs = 0.1;
    private const int PanelWidth = 760;
    private const int PanelHeight = 620;
    private const int LegendWidth = 430;

    public static void Save(StrategySection section, string path)
    {
        ArgumentNullException.ThrowIfNull(section);
        var panels = section.Workloads.Select((w, i) => Panel(w, section.JobsPerStrategy, legend: i == section.Workloads.Count - 1)).ToList();
        using var surface = SKSurface.Create(new SKImageInfo(((PanelWidth * panels.Count) + LegendWidth), PanelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            int width = PanelWidth + (i == panels.Count - 1 ? LegendWidth : 0);
            using SKBitmap bitmap = SKBitmap.Decode(panels[i].GetImageBytes(width, PanelHeight, ImageFormat.Png));
            surface.Canvas.DrawBitmap(bitmap, PanelWidth * i, 0);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    private static Plot Panel(WorkloadSection w, int jobs, bool legend)
    {
        var plot = new Plot();
        StrategyRow[] rows = w.Rows.Where(r => r.LatenessMs.Count > 0).ToArray();
        double[] xs = rows.Select(r => Math.Log10(r.Requests.Mean)).ToArray();
        double[] means = rows.Select(r => Math.Log10(Math.Max(r.LatenessMs.Mean, FloorMs))).ToArray();
        double[] p99s = rows.Select(r => Math.Log10(Math.Max(r.LatenessMs.P99, FloorMs))).ToArray();
        double xMax = Math.Log10(Math.Max(40, rows.Max(r => r.Requests.Mean) * 2));

        FrontierPoint[] hull = w.Pareto.Frontier.Points.Where(p => p.Requests <= Math.Pow(10, xMax)).ToArray();
        var frontier = plot.Add.Scatter(hull.Select(p => Math.Log10(p.Requests)).ToArray(), hull.Select(p => Math.Log10(Math.Max(p.LatenessMs, FloorMs))).ToArray());
        frontier.MarkerSize = 0;
        frontier.LineWidth = 2;
        frontier.LinePattern = LinePattern.Dashed;
        frontier.Color = Colors.Black;
        frontier.LegendText = "frontier: best time-only schedule knowing the distribution (mean)";

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
        plot.Axes.SetLimitsX(Math.Log10(0.8), xMax);
        plot.Axes.SetLimitsY(
            Math.Log10(Math.Max(FloorMs, rows.Min(r => r.LatenessMs.Mean) / 3)),
            Math.Log10(Math.Max(2000, rows.Max(r => r.LatenessMs.P99) * 2)));
        plot.Title(FormattableString.Invariant($"{w.Title} ({jobs} jobs per strategy)"));
        plot.XLabel("requests per job (mean, log scale)");
        plot.YLabel("detection lateness (log scale)");
        if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }

        return plot;
    }

    private static NumericAutomatic LogTicks(Func<double, string> format) => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => format(Math.Pow(10, exponent)),
    };
}
