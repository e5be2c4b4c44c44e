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

    public FakeServer(TimeProvider clock)
    {
        _clock = clock;
        Respond = (_, _) => Task.FromResult(Json("""{"result":"pending"}"""));
    }

    public static readonly Uri BaseUri = new("http://jobs.test/");

    public const int MaxRequests = 10_000;

    /// <summary>Answers one request; the request's number (1-based) and the cancellation token are given.</summary>
    public Func<int, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; }

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

        if (number > MaxRequests)
        {
            // A client polling without delay would otherwise spin forever inside one fake-clock step.
            throw new InvalidOperationException($"Runaway client: more than {MaxRequests} requests.");
        }

        return Respond(number, cancellationToken);
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
