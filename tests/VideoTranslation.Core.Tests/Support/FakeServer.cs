using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace VideoTranslation.Tests.Support;

/// <summary>
/// An in-memory HTTP server for the client under test: every request is recorded with the fake clock's time and
/// answered by <see cref="Respond"/>. Answers complete synchronously unless a test makes them wait, so a wait
/// loop driven by <see cref="FakeTimeProvider.Advance"/> runs deterministically on the test's thread.
/// </summary>
public sealed class FakeServer : HttpMessageHandler
{
    private readonly TimeProvider _clock;
    private readonly object _lock = new();
    private readonly List<RecordedRequest> _requests = new();
    private int _inFlight;
    private int _maxInFlight;

    public FakeServer(TimeProvider clock)
    {
        _clock = clock;
        Respond = (_, _) => Task.FromResult(Json("""{"result":"pending"}"""));
    }

    public static readonly Uri BaseUri = new("http://jobs.test/");

    public const int MaxRequests = 10_000;

    /// <summary>The runaway guard; <see cref="MaxRequests"/> unless a test of many waits raises it.</summary>
    public int RequestLimit { get; set; } = MaxRequests;

    /// <summary>Answers one request; the request's number (1-based) and the cancellation token are given.</summary>
    public Func<int, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; }

    /// <summary>
    /// When set, answers every request instead of <see cref="Respond"/>, with the request itself (safe when requests
    /// come from several threads at once, unlike <see cref="LastRequestMessage"/>).
    /// </summary>
    public Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>>? Handle { get; set; }

    /// <summary>Requests whose answer has not completed yet (held, delayed or hanging).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests that were in flight at one moment.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The request being answered, for answers that inspect it (read it inside <see cref="Respond"/>).</summary>
    public HttpRequestMessage? LastRequestMessage { get; private set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Offsets of each request from <paramref name="start"/>, in milliseconds.</summary>
    public double[] RequestOffsetsMs(DateTimeOffset start) =>
        Requests.Select(r => (r.At - start).TotalMilliseconds).ToArray();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int number;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(request.RequestUri!, _clock.GetUtcNow(), request.Headers.ToString()));
            number = _requests.Count;
            LastRequestMessage = request;
        }

        if (number > RequestLimit)
        {
            // A client polling without delay would otherwise spin forever inside one fake-clock step.
            throw new InvalidOperationException($"Runaway client: more than {RequestLimit} requests.");
        }

        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        Task<HttpResponseMessage> answer;
        try
        {
            answer = Handle is { } handle ? handle(request, number, cancellationToken) : Respond(number, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }

        return Track(answer);
    }

    // Counts the request out when its answer completes, before the client sees the answer (an answer that is already
    // complete stays synchronous).
    private async Task<HttpResponseMessage> Track(Task<HttpResponseMessage> answer)
    {
        try
        {
            return await answer.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode code = HttpStatusCode.OK) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Status(string result) => Json($$"""{"result":"{{result}}"}""");

    /// <summary>A job that is pending until <paramref name="finishAt"/> (fake time) and then reports <paramref name="outcome"/>.</summary>
    public void JobFinishingAt(DateTimeOffset finishAt, string outcome = "completed") =>
        Respond = (_, _) => Task.FromResult(Status(_clock.GetUtcNow() >= finishAt ? outcome : "pending"));

    /// <summary>Answers the given responses in order, then repeats the last one.</summary>
    public void Sequence(params Func<HttpResponseMessage>[] answers) =>
        Respond = (n, _) => Task.FromResult(answers[Math.Min(n, answers.Length) - 1]());

    /// <summary>An answer that never comes: it ends, cancelled, when the request is cancelled.</summary>
    /// <remarks>
    /// Built on a TaskCompletionSource completed from the token's callback rather than on an awaiting async
    /// method: the cancellation then flows through HttpClient into the client inline, on the thread that
    /// cancelled (the fake clock's), so the test sees its effect as soon as the clock call returns.
    /// </remarks>
    public static Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<HttpResponseMessage>();
        cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        return answer.Task;
    }
}

public sealed record RecordedRequest(Uri Uri, DateTimeOffset At, string Headers);
