using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VideoTranslation.Simulator.Tests.Support;

/// <summary>Requests and asserts for the HeyGen modes.</summary>
internal static class HeyGenAssert
{
    public const string V3Path = "/v3/video-translations";

    public static object V3Body(params string[] languages) => new
    {
        video = new { type = "url", url = "https://example.com/talk.mp4" },
        output_languages = languages,
        title = "Talk",
    };

    public static HttpRequestMessage Post(string path, object body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>POST /v3/video-translations; returns the ids.</summary>
    public static async Task<string[]> CreateV3Async(HttpClient client, object body, params (string Name, string Value)[] headers)
    {
        using var request = Post(V3Path, body, headers);
        using var response = await client.SendAsync(request);
        var json = await HttpAssert.JsonAsync(response);
        Assert.Equal(["data"], json.EnumerateObject().Select(p => p.Name));
        var data = json.GetProperty("data");
        Assert.Equal(["video_translation_ids"], data.EnumerateObject().Select(p => p.Name));
        return [.. data.GetProperty("video_translation_ids").EnumerateArray().Select(e => e.GetString()!)];
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await HttpAssert.JsonAsync(response, status);
    }

    /// <summary>Asserts the v3 envelope {"error":{"code","message","param"?,"doc_url"}} and returns the error object.</summary>
    public static async Task<JsonElement> V3ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? param = null)
    {
        var json = await HttpAssert.JsonAsync(response, status);
        Assert.Equal(["error"], json.EnumerateObject().Select(p => p.Name));
        var error = json.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.StartsWith("https://developers.heygen.com/docs/error-codes#", error.GetProperty("doc_url").GetString(), StringComparison.Ordinal);
        if (param is null)
        {
            Assert.False(error.TryGetProperty("param", out _), "param is only on validation errors");
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        return error;
    }

    /// <summary>Asserts the v2 envelope {"error":{"code","message"},"data":null}.</summary>
    public static async Task<JsonElement> V2ErrorAsync(HttpResponseMessage response, HttpStatusCode status, object code)
    {
        var json = await HttpAssert.JsonAsync(response, status);
        Assert.Equal(["error", "data"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
        var error = json.GetProperty("error");
        Assert.Equal(code.ToString(), error.GetProperty("code").ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    /// <summary>Asserts the v1 envelope {"code","data":null,"message"}.</summary>
    public static async Task<JsonElement> V1ErrorAsync(HttpResponseMessage response, HttpStatusCode status, object code)
    {
        var json = await HttpAssert.JsonAsync(response, status);
        Assert.Equal(["code", "data", "message"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(code.ToString(), json.GetProperty("code").ToString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
        return json;
    }

    public static async Task<int> JobCountAsync(HttpClient client) =>
        (await GetJsonAsync(client, "/health")).GetProperty("jobs").GetInt32();
}
