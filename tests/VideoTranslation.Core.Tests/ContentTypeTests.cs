using System.Net;
using System.Text;
using VideoTranslation.Tests.Support;

namespace VideoTranslation.Tests;

/// <summary>The content type is not enforced, but it is named when a body that is not JSON says what it is.</summary>
public class ContentTypeTests
{
    [Fact]
    public async Task A_proxy_page_labelled_html_is_a_protocol_error_that_names_the_label()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<html><body>Please log in</body></html>", Encoding.UTF8, "text/html"),
        });

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync("job-1"));

        Assert.Contains("the body is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the server labelled it text/html", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Please log in", ex.BodyExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contract_labelled_text_plain_is_still_understood()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"result":"completed"}""", Encoding.UTF8, "text/plain"),
        });

        var status = await h.Client.GetStatusAsync("job-1");

        Assert.Equal(TranslationState.Completed, status.State);
    }

    [Fact]
    public async Task Broken_json_labelled_json_does_not_mention_a_label()
    {
        using var h = new Harness();
        h.Server.Respond = (_, _) => Task.FromResult(FakeServer.Json("""{"result":"pend"""));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync("job-1"));

        Assert.DoesNotContain("labelled", ex.Message, StringComparison.Ordinal);
    }
}
