using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>
/// The library's detection lateness as its metric reports it: a <see cref="MeterListener"/> on the meter
/// <c>VideoTranslation</c>, instrument <c>video_translation.detection.lateness</c> (seconds), nothing else enabled. The
/// instrument has no job id (its tags are the service, strategy and state), and the rows of a section wait side by side
/// in one process, so each measurement goes to the collector <see cref="Collect"/> made current in the execution
/// context of the wait that recorded it (it flows into the wait's tasks and continuations like any async local); a
/// measurement outside every collector (a warm-up wait) is dropped, counted in <see cref="Unscoped"/>.
/// </summary>
internal sealed class LatenessListener : IDisposable
{
    /// <summary>The library's meter (TranslationTelemetry.SourceName; a literal, so this compiles against a core that predates it).</summary>
    public const string MeterName = "VideoTranslation";

    public const string InstrumentName = "video_translation.detection.lateness";

    private readonly AsyncLocal<LatenessCollector?> _current = new();
    private readonly MeterListener _listener = new();
    private long _unscoped;

    public LatenessListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (_current.Value is { } collector)
            {
                collector.Add(value, tags);
            }
            else
            {
                Interlocked.Increment(ref _unscoped);
            }
        });
        _listener.Start();
    }

    /// <summary>Measurements recorded outside every collector.</summary>
    public long Unscoped => Interlocked.Read(ref _unscoped);

    /// <summary>
    /// Makes <paramref name="collector"/> current for the rest of the calling async method and everything it starts
    /// (an async local: the caller's own context is unchanged once the method returns).
    /// </summary>
    public void Collect(LatenessCollector? collector) => _current.Value = collector;

    public void Dispose() => _listener.Dispose();
}

/// <summary>The lateness measurements of one case (seconds, as recorded), with the state each was tagged with.</summary>
internal sealed class LatenessCollector
{
    private readonly ConcurrentQueue<(double Seconds, string? State)> _values = new();

    public IReadOnlyList<double> Seconds => _values.Select(v => v.Seconds).ToArray();

    public IReadOnlyList<string?> States => _values.Select(v => v.State).ToArray();

    public void Add(double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? state = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "video_translation.job.state")
            {
                state = tag.Value as string;
            }
        }

        _values.Enqueue((seconds, state));
    }
}
