using System.Globalization;
using System.Text;
using VideoTranslation.Bench.Sections;

namespace VideoTranslation.Bench.Reporting;

/// <summary>The telemetry section's table: bytes per check and per wait for each listener setting, as ratios to nobody listening.</summary>
internal static class TelemetryReport
{
    public static string Table(TelemetrySection t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Telemetry: bytes allocated per check and per wait ({t.WaitsPerRound} sequential waits of {t.ShortChecks} and of {t.LongChecks} checks per setting and round, {t.Rounds} rounds after one uncounted, settings alternated; medians; {t.Counter}; the build is the Code line above)");
        md.AppendLine();
        md.AppendLine("| listeners | bytes per check | × nobody's | bytes per wait beyond its checks | × nobody's | bytes per " + t.LongChecks + "-check wait | × nobody's | spans per " + t.LongChecks + "-check wait | measurements per " + t.LongChecks + "-check wait |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        TelemetryRow? nobody = t.Rows.FirstOrDefault(r => r.Listeners == TelemetryBenchmark.Nobody);
        foreach (TelemetryRow r in t.Rows)
        {
            Line($"| {r.Listeners} | {r.BytesPerCheck:0} | {Ratio(r.BytesPerCheck, nobody?.BytesPerCheck)} | {r.BytesPerWaitBeyondChecks:0} | {Ratio(r.BytesPerWaitBeyondChecks, nobody?.BytesPerWaitBeyondChecks)} | {r.BytesPerLongWait:0} | {Ratio(r.BytesPerLongWait, nobody?.BytesPerLongWait)} | {(r.Listeners == TelemetryBenchmark.Nobody ? "–" : r.SpansPerLongWait.ToString("0.##", CultureInfo.InvariantCulture))} | {(r.Listeners == TelemetryBenchmark.Nobody ? "–" : r.MeasurementsPerLongWait.ToString("0.##", CultureInfo.InvariantCulture))} |");
        }

        md.AppendLine();
        Line($"Bytes per {t.LongChecks}-check wait, each round: {string.Join("; ", t.Rows.Select(r => r.Listeners + ": " + string.Join(", ", r.RoundsBytesPerLongWait.Select(b => b.ToString("0", CultureInfo.InvariantCulture)))))}.");
        md.AppendLine();
        return md.ToString();
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is double b && b > 0 ? (value / b).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";
}
