using System.Net;
using System.Text;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

public class ProtocolErrorTests
{
    public static TheoryData<string, string> NotTheContract => new()
    {
        { "", "the body is not valid JSON" },
        { "not json at all", "the body is not valid JSON" },
        { """{"result":"pend""", "the body is not valid JSON" },
        { "<html><body>Gateway</body></html>", "the body is not valid JSON" },
        { "[1,2]", "the JSON is an array, not an object with a \"result\" field." },
        { "\"pending\"", "the JSON is a string, not an object" },
        { "42", "the JSON is a number, not an object" },
        { "null", "the JSON is null, not an object" },
        { "{}", "the JSON object has no \"result\" field." },
        { """{"status":"completed"}""", "no \"result\" field" },
        { """{"result":1}""", "\"result\" is a number, not a string." },
        { """{"result":null}""", "\"result\" is null, not a string." },
        { """{"result":true}""", "\"result\" is a boolean, not a string." },
        { """{"result":["completed"]}""", "\"result\" is an array, not a string." },
        { """{"result":"done"}""", "\"result\" is \"done\", which is none of \"pending\", \"completed\", \"error\"." },
        { """{"result":""}""", "\"result\" is \"\", which is none of" },
        { """{"result":" completed"}""", "which is none of" },
        { new string('[', 100) + new string(']', 100), "the body is not valid JSON" },
        { """{"a":""" + string.Concat(Enumerable.Repeat("""{"a":""", 40)) + "1" + new string('}', 41), "the body is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(NotTheContract))]
    public async Task A_body_that_is_not_the_contract_is_a_permanent_protocol_error(string body, string problem)
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Json(body));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync("j1"));

        Assert.Contains(problem, ex.Problem);
        Assert.StartsWith("GET http://jobs.test/jobs/j1/status answered with something that is not a job status: ", ex.Message);
        Assert.False(ex.IsTransient);
        Assert.Equal("http://jobs.test/jobs/j1/status", ex.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task A_protocol_error_ends_a_wait_at_once()
    {
        using var h = new Harness();
        h.Server.Sequence(() => FakeServer.Status("pending"), () => FakeServer.Status("finished"));

        var wait = h.Wait(Exact(PollingStrategy.Fixed(Sec(1))));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => wait);
        Assert.Contains("\"finished\"", ex.Message);
        Assert.Equal([0, 1000], h.RequestTimes);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_protocol_error()
    {
        using var h = new Harness();
        h.Server.Sequence(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([.. Encoding.ASCII.GetBytes("{\"result\":\""), 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("\"}")]),
        });

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync());

        Assert.Contains("not valid", ex.Problem);
        Assert.Contains("\uFFFD", ex.BodyExcerpt);
    }

    [Fact]
    public async Task The_body_excerpt_is_short_and_printable()
    {
        using var h = new Harness();
        string body = "oops\r\n\t" + new string('x', 5000);
        h.Server.Sequence(() => FakeServer.Json(body));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync());

        Assert.Equal(201, ex.BodyExcerpt.Length);
        Assert.StartsWith("oops   xxx", ex.BodyExcerpt);
        Assert.EndsWith("…", ex.BodyExcerpt);
        Assert.DoesNotContain(ex.Message, c => char.IsControl(c));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_rejected_without_reading_it_when_its_length_is_declared()
    {
        using var h = new Harness();
        var content = new CountingContent(Encoding.UTF8.GetBytes("{\"result\":\"pending\",\"pad\":\"" + new string(' ', 70_000) + "\"}"), declareLength: true);
        h.Server.Sequence(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = content });

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync());

        Assert.Contains("the body is larger than the 65536-byte limit (MaxResponseBytes).", ex.Problem);
        Assert.Equal(0, content.BytesRead);
    }

    [Fact]
    public async Task A_body_over_the_limit_without_declared_length_is_read_only_up_to_the_limit()
    {
        using var h = new Harness(o => o.MaxResponseBytes = 2048);
        var content = new CountingContent(Encoding.UTF8.GetBytes("{\"result\":\"pending\",\"pad\":\"" + new string('y', 1_000_000) + "\"}"), declareLength: false);
        h.Server.Sequence(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = content });

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync());

        Assert.Contains("larger than the 2048-byte limit", ex.Problem);
        Assert.InRange(content.BytesRead, 2049, 2049 + 4096);
        Assert.StartsWith("{\"result\":\"pending\"", ex.BodyExcerpt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_exactly_at_the_limit_is_accepted(bool declareLength)
    {
        using var h = new Harness(o => o.MaxResponseBytes = 1024);
        string json = """{"result":"completed"}""";
        byte[] body = Encoding.UTF8.GetBytes(json + new string(' ', 1024 - json.Length));
        h.Server.Sequence(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new CountingContent(body, declareLength) });

        Assert.Equal(TranslationState.Completed, (await h.Client.GetStatusAsync()).State);
    }

    /// <summary>Content that counts how much of it was read, with or without a Content-Length.</summary>
    private sealed class CountingContent(byte[] body, bool declareLength) : HttpContent
    {
        private readonly CountingStream _stream = new(body);

        public long BytesRead => _stream.BytesRead;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _stream.CopyToAsync(stream);

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(_stream);

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return declareLength;
        }

        private sealed class CountingStream(byte[] body) : MemoryStream(body)
        {
            public long BytesRead { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = base.Read(buffer, offset, count);
                BytesRead += n;
                return n;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                int n = base.Read(buffer.Span);
                BytesRead += n;
                return ValueTask.FromResult(n);
            }
        }
    }
}
