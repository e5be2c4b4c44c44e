using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>
/// A status route in-process (no network, no simulator): <c>GET …/jobs/{id}/status</c> answers pending
/// <see cref="PendingAnswers"/> times for each job id, then completed with a <c>completedAt</c> of
/// <see cref="Lateness"/> before the answer (so a client measures that lateness, give or take its own time). Its answers
/// are the simulator's shape. Thread-safe; every answer completes synchronously.
/// </summary>
internal sealed class ScriptedStatusHandler(int pendingAnswers, TimeSpan lateness, TimeProvider? time = null) : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, int> _answered = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _requests;

    public int PendingAnswers { get; } = pendingAnswers;

    public TimeSpan Lateness { get; } = lateness;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Forgets every job, so that the same ids are pending again.</summary>
    public void Reset() => _answered.Clear();

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _requests);
        string[] path = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method != HttpMethod.Get || path is not [.., "jobs", string id, "status"])
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        int answered = _answered.AddOrUpdate(id, 1, (_, n) => n + 1);
        string body = answered <= PendingAnswers
            ? $$"""{"id":"{{id}}","result":"pending"}"""
            : $$"""{"id":"{{id}}","result":"completed","completedAt":"{{(_time.GetUtcNow() - Lateness).ToString("O", CultureInfo.InvariantCulture)}}"}""";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));
}

/// <summary>
/// The system clock whose short timers fire at once, on the thread that creates them: a wait's delays (at most
/// <see cref="InstantUpTo"/>) take no time and need no other thread, while longer timers (a request's timeout) are the
/// system's and do not fire in a scripted wait. With <see cref="ScriptedStatusHandler"/>, a wait runs from its start to
/// its result on the caller's thread.
/// </summary>
internal sealed class InstantDelays : TimeProvider
{
    public static readonly TimeSpan InstantUpTo = TimeSpan.FromSeconds(1);

    public static InstantDelays Instance { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime < TimeSpan.Zero || dueTime > InstantUpTo || period != Timeout.InfiniteTimeSpan)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        callback(state);
        return Fired.Instance;
    }

    private sealed class Fired : ITimer
    {
        public static readonly Fired Instance = new();

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
