using System.Diagnostics;
using System.Diagnostics.Metrics;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>
/// Bytes allocated by one listener setting, from the medians over the rounds. Per check = the difference between a
/// wait of <see cref="TelemetrySection.LongChecks"/> checks and one of <see cref="TelemetrySection.ShortChecks"/>,
/// divided by the checks between them; per wait = what a wait of one check costs beyond its check.
/// </summary>
public sealed record TelemetryRow(
    string Listeners,
    double BytesPerShortWait,
    double BytesPerLongWait,
    double BytesPerCheck,
    double BytesPerWaitBeyondChecks,
    double SpansPerLongWait,
    double MeasurementsPerLongWait,
    IReadOnlyList<double> RoundsBytesPerLongWait);

/// <summary>The telemetry's cost in bytes with nobody listening, with listeners for other sources, and with everything listened to.</summary>
public sealed record TelemetrySection(
    int WaitsPerRound,
    int Rounds,
    int ShortChecks,
    int LongChecks,
    bool Synchronous,
    string Counter,
    IReadOnlyList<TelemetryRow> Rows);

/// <summary>
/// Bytes per status check and per wait, in-process: real <see cref="TranslationClient"/> waits (Fixed, 1 ms) on a
/// scripted status route (<see cref="ScriptedStatusHandler"/>: pending, then completed with a completedAt), whose delays
/// fire at once on the caller's thread (<see cref="InstantDelays"/>), so every wait runs synchronously and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> counts all of it. Three settings side by side, alternated round
/// by round: nobody listens; an ActivityListener and a MeterListener for other sources and meters only; an
/// ActivityListener sampling AllDataAndRecorded on source <c>VideoTranslation</c> and a MeterListener on every
/// instrument of meter <c>VideoTranslation</c>. It uses no API newer than the core before telemetry (c4d437f), so
/// <c>bench/compare.sh --this-bench c4d437f -- --only telemetry</c> measures that core the same way.
/// </summary>
internal static class TelemetryBenchmark
{
    public const string Nobody = "nobody listens";
    public const string Others = "listeners for other sources and meters only";
    public const string Everything = "spans (AllDataAndRecorded) and every instrument listened to";

    private const string SourceName = LatenessListener.MeterName;

    public static async Task<TelemetrySection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        int waits = settings.TelemetryWaits, rounds = settings.TelemetryRounds;
        const int ShortPending = 0, LongPending = 9;
        using var shortWaits = new Script(ShortPending, waits);
        using var longWaits = new Script(LongPending, waits);
        string[] settingsOrder = [Nobody, Others, Everything];
        var bytes = settingsOrder.ToDictionary(s => s, _ => (Short: new List<double>(), Long: new List<double>()));
        var counts = settingsOrder.ToDictionary(s => s, _ => (Spans: 0L, Measurements: 0L));
        bool synchronous = true;

        // Round 0 warms up (JIT, tiering, the handler's dictionaries) and is not counted; then the settings alternate.
        for (int round = 0; round <= rounds; round++)
        {
            IEnumerable<string> order = round % 2 == 0 ? settingsOrder : settingsOrder.Reverse();
            foreach (string listeners in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var listening = new Listening(listeners);
                (long shortBytes, bool shortSync) = shortWaits.Measure();
                (long spansBefore, long measurementsBefore) = (listening.Spans, listening.Measurements);
                (long longBytes, bool longSync) = longWaits.Measure();
                if (round == 0)
                {
                    continue;
                }

                synchronous &= shortSync && longSync;
                bytes[listeners].Short.Add((double)shortBytes / waits);
                bytes[listeners].Long.Add((double)longBytes / waits);
                counts[listeners] = (counts[listeners].Spans + listening.Spans - spansBefore, counts[listeners].Measurements + listening.Measurements - measurementsBefore);
            }
        }

        var rows = new List<TelemetryRow>();
        foreach (string listeners in settingsOrder)
        {
            double shortWait = Median(bytes[listeners].Short), longWait = Median(bytes[listeners].Long);
            double perCheck = (longWait - shortWait) / (LongPending - ShortPending);
            double longWaitsMeasured = (double)waits * rounds;
            rows.Add(new TelemetryRow(listeners, shortWait, longWait, perCheck, shortWait - perCheck,
                counts[listeners].Spans / longWaitsMeasured,
                counts[listeners].Measurements / longWaitsMeasured,
                bytes[listeners].Long));
            await log.WriteLineAsync(FormattableString.Invariant(
                $"  telemetry, {listeners}: {perCheck:0} B per check, {shortWait - perCheck:0} B per wait beyond its checks ({longWait:0} B per {LongPending + 1}-check wait)"));
        }

        return new TelemetrySection(waits, rounds, ShortPending + 1, LongPending + 1, synchronous,
            synchronous ? "GC.GetAllocatedBytesForCurrentThread (every wait ran on the measuring thread)" : "GC.GetTotalAllocatedBytes(precise: true) (some wait left the measuring thread)",
            rows);
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A client on a scripted route whose jobs answer pending <c>pending</c> times, and the waits of one measurement.</summary>
    private sealed class Script : IDisposable
    {
        private readonly ScriptedStatusHandler _handler;
        private readonly TranslationClient _client;
        private readonly string[] _ids;
        private readonly TranslationWaitOptions _options = CoreUse.ScriptedWaitOptions();
        private readonly int _checks;

        public Script(int pending, int waits)
        {
            _checks = pending + 1;
            _handler = new ScriptedStatusHandler(pending, TimeSpan.FromMilliseconds(5));
            _client = CoreUse.ScriptedClient(_handler);
            _ids = Enumerable.Range(0, waits).Select(i => "job-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }

        /// <summary>Bytes allocated by the waits, and whether all of them ran synchronously on this thread.</summary>
        public (long Bytes, bool Synchronous) Measure()
        {
            _handler.Reset();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long thread = GC.GetAllocatedBytesForCurrentThread();
            long total = GC.GetTotalAllocatedBytes(precise: true);
            Task<int> run = RunAsync();
            bool synchronous = run.IsCompleted;
            long threadBytes = GC.GetAllocatedBytesForCurrentThread() - thread;
            int attempts = run.GetAwaiter().GetResult();
            long totalBytes = GC.GetTotalAllocatedBytes(precise: true) - total;
            if (attempts != _checks * _ids.Length)
            {
                throw new InvalidOperationException($"The scripted waits made {attempts} checks, not {_checks} × {_ids.Length}.");
            }

            return synchronous ? (threadBytes, true) : (totalBytes, false);
        }

        private async Task<int> RunAsync()
        {
            int attempts = 0;
            foreach (string id in _ids)
            {
                attempts += await CoreUse.WaitAsync(_client, id, _options);
            }

            return attempts;
        }

        public void Dispose()
        {
            _client.Dispose();
            _handler.Dispose();
        }
    }

    /// <summary>The listeners of one setting, counting what they receive.</summary>
    private sealed class Listening : IDisposable
    {
        private readonly ActivityListener? _spans;
        private readonly MeterListener? _meters;
        private long _spanCount;
        private long _measurements;

        public Listening(string setting)
        {
            if (setting == Nobody)
            {
                return;
            }

            string source = setting == Everything ? SourceName : "VideoTranslation.Bench.Other";
            _spans = new ActivityListener
            {
                ShouldListenTo = s => s.Name == source,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _spanCount),
            };
            ActivitySource.AddActivityListener(_spans);
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == source)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.Start();
        }

        public long Spans => Interlocked.Read(ref _spanCount);

        public long Measurements => Interlocked.Read(ref _measurements);

        public void Dispose()
        {
            _spans?.Dispose();
            _meters?.Dispose();
        }
    }
}
