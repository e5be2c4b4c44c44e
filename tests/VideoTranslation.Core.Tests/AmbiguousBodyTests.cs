using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14, item 3: a body with invalid UTF-8 anywhere, or with a field the parser reads given twice, is a protocol
/// violation — never a status read from whichever copy or byte the parser happened to look at.
/// </summary>
public class AmbiguousBodyTests
{
    private static readonly Uri HeyGenBase = new("https://api.heygen.test/");

    // '\xff' never occurs in UTF-8; spliced in as a raw byte.
    private static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'~' ? (byte)0xFF : b).ToArray();

    private static HttpResponseMessage Raw(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static async Task<TranslationProtocolException> Rejected(Harness h, string body, string jobId = "j1")
    {
        h.Server.Sequence(() => Raw(Bytes(body)));
        return await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync(jobId));
    }

    [Theory]
    [InlineData("""{"result":"completed","note":"~"}""")] // in a string the parser never reads
    [InlineData("""{"result":"completed","~":1}""")] // in a member name
    [InlineData("""{"result":"completed"} """ + "~")] // after the value: JsonDocument already rejects this one
    public async Task Invalid_UTF8_anywhere_in_a_simulator_status_is_a_protocol_violation(string body)
    {
        using var h = new Harness();

        var ex = await Rejected(h, body);

        Assert.Contains("not valid UTF-8", ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"result":"completed","result":"pending"}""", "result")]
    [InlineData("""{"result":"pending","res\u0075lt":"completed"}""", "result")] // the same name, escaped
    [InlineData("""{"result":"pending","progress":0.1,"progress":0.9}""", "progress")]
    [InlineData("""{"result":"pending","etaSeconds":1,"etaSeconds":100}""", "etaSeconds")]
    [InlineData("""{"result":"completed","completedAt":"2026-01-01T00:00:00Z","completedAt":"2027-01-01T00:00:00Z"}""", "completedAt")]
    public async Task A_field_given_twice_in_a_simulator_status_is_ambiguous(string body, string field)
    {
        using var h = new Harness();

        var ex = await Rejected(h, body);

        Assert.Equal($"the answer is ambiguous: \"{field}\" appears more than once.", ex.Problem);
    }

    [Fact]
    public async Task A_field_the_parser_does_not_read_may_repeat()
    {
        using var h = new Harness();
        h.Server.Sequence(() => Raw(Bytes("""{"result":"completed","note":1,"note":2}""")));

        TranslationStatus status = await h.Client.GetStatusAsync("j1");

        Assert.Equal(TranslationState.Completed, status.State);
    }

    private static ServerAnswer Answer(string body) =>
        new(new Uri("http://jobs.test/jobs/status"), "POST", TestClock.T0, null, ResponseBody.Of(Bytes(body)), "application/json", new HttpResponseMessage().Headers);

    [Theory]
    [InlineData("""{"jobs":[{"id":"a","result":"completed","note":"~"}]}""", "not valid UTF-8")]
    [InlineData("""{"jobs":[{"id":"a","result":"pending"}],"jobs":[{"id":"a","result":"completed"}]}""", "the answer is ambiguous: \"jobs\" appears more than once.")]
    public void A_group_answer_with_invalid_UTF8_or_a_repeated_jobs_array_is_a_protocol_violation(string body, string problem)
    {
        var ex = Assert.Throws<TranslationProtocolException>(() => TranslationService.Simulator.ReadGroupStatus(Answer(body), ["a"]));

        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"jobs":[{"id":"a","result":"completed","result":"pending"}]}""", "result")]
    [InlineData("""{"jobs":[{"id":"a","id":"b","result":"completed"}]}""", "id")]
    [InlineData("""{"jobs":[{"id":"a","result":"completed","error":{"status":404},"error":null}]}""", "error")]
    public void A_group_item_with_a_field_given_twice_is_that_jobs_protocol_violation(string body, string field)
    {
        GroupAnswer answer;
        try
        {
            answer = TranslationService.Simulator.ReadGroupStatus(Answer(body), ["a"]);
        }
        catch (TranslationProtocolException ex)
        {
            // A repeated id leaves the item unidentifiable: the whole answer is wrong.
            Assert.Equal("id", field);
            Assert.Contains($"\"id\" appears more than once", ex.Problem, StringComparison.Ordinal);
            return;
        }

        var failure = Assert.IsType<TranslationProtocolException>(Assert.Single(answer.Items).Error);
        Assert.Contains($"\"{field}\" appears more than once", failure.Problem, StringComparison.Ordinal);
    }

    private static Harness With(TranslationService service) => new(o => o.Service = service, HeyGenBase);

    [Theory]
    [InlineData("""{"data":{"status":"completed","status":"pending"}}""", "data.status")]
    [InlineData("""{"data":{"status":"pending"},"data":{"status":"completed"}}""", "data")]
    [InlineData("""{"data":{"status":"completed","video_url":"https://a.test/1.mp4","video_url":"https://b.test/2.mp4"}}""", "data.video_url")]
    public async Task A_HeyGen_status_with_a_field_it_reads_given_twice_is_ambiguous(string body, string path)
    {
        using var h = With(TranslationService.HeyGen);

        var ex = await Rejected(h, body, "t1");

        Assert.Equal($"the answer is ambiguous: \"{path}\" appears more than once.", ex.Problem);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_field_a_profile_does_not_read_is_a_protocol_violation()
    {
        using var h = With(TranslationService.FromProfile(new TranslationServiceProfile
        {
            Name = "Renders",
            StatusUrl = "renders/{id}",
            StatusPath = "state",
            PendingValues = ["QUEUED"],
            CompletedValues = ["DONE"],
            FailedValues = ["BROKEN"],
        }));

        var ex = await Rejected(h, """{"state":"DONE","owner":"~"}""", "r1");

        Assert.Contains("not valid UTF-8", ex.Problem, StringComparison.Ordinal);
    }
}
