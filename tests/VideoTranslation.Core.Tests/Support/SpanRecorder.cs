using System.Collections.Concurrent;
using System.Diagnostics;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// Records the library's spans (ActivitySource <see cref="TranslationTelemetry.SourceName"/>) that end beneath a root span
/// of the test's own, so a test sees its spans only, whatever other tests run meanwhile. Dispose ends the root.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly Activity _root = null!; // set before any span of the test starts
    private readonly Activity? _previous;

    public SpanRecorder(params string[] extraSources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TranslationTelemetry.SourceName || extraSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _root?.TraceId)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _previous = Activity.Current;
        _root = new Activity("test-root").SetIdFormat(ActivityIdFormat.W3C).Start();
    }

    /// <summary>The test's root span: the parent of what the library starts with no span of its own above it.</summary>
    public Activity Root => _root;

    /// <summary>The spans ended so far, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => _stopped.ToArray();

    public Activity[] Named(string name) => Spans.Where(s => s.OperationName == name).ToArray();

    public Activity One(string name) => Assert.Single(Named(name));

    public void Dispose()
    {
        _root.Stop();
        Activity.Current = _previous;
        _listener.Dispose();
    }
}
