using System.Net;
using System.Text.Json;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// The built-in services other than the simulator's, and profiles, on the fake clock: what each asks, how each answer
/// and error body is read, the per-service defaults, idempotent creates, and a 429's Retry-After pacing a whole batch.
/// (The same services against the real simulator in its HeyGen modes: SimulatorServicesTests.)
/// </summary>
public class ServicesTests
{
    private static readonly Uri HeyGenBase = new("https://api.heygen.test/");

    private static TranslationServiceProfile Renders() => new()
    {
        Name = "Renders",
        StatusUrl = "api/v2/renders/{id}",
        StatusPath = "render.state",
        PendingValues = new[] { "QUEUED", "RENDERING" },
        CompletedValues = new[] { "DONE" },
        FailedValues = new[] { "BROKEN" },
        VideoUrlPath = "render.output[0].href",
        FailureMessagePath = "render.problem",
        ProgressPath = "render.fraction",
    };

    private static Harness With(TranslationService service, Uri? baseUri = null, Action<TranslationClientOptions>? more = null) =>
        new(o =>
        {
            o.Service = service;
            more?.Invoke(o);
        }, baseUri ?? HeyGenBase);

    [Theory]
    [InlineData(null, "StatusUrl is missing")]
    [InlineData("api/renders", "'api/renders' has no {id} where the job id goes")]
    [InlineData("api/renders/{jobId}", "(it has {jobId}; the placeholder is spelled {id})")]
    [InlineData("api/{id}/{part}", "has a placeholder other than {id}")]
    [InlineData("ftp://host/{id}", "is not a URL")]
    public void A_profile_with_a_wrong_StatusUrl_is_rejected_saying_what_is_wrong(string? url, string expected)
    {
        TranslationServiceProfile profile = Renders();
        profile.StatusUrl = url;

        var ex = Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(profile));

        Assert.Contains("The service profile's StatusUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("StatusUrl", ex.ParamName);
    }

    [Theory]
    [InlineData("", "StatusPath is missing")]
    [InlineData("render..state", "StatusPath 'render..state' is not a path (has an empty name at character 8 ('..'))")]
    [InlineData(".state", "starts with '.'")]
    [InlineData("render.", "ends with '.'")]
    [InlineData("items[x].state", "without a whole number and ']'")]
    [InlineData("render state", "has 'a space' at character 7")]
    public void A_profile_with_a_malformed_path_is_rejected(string path, string expected)
    {
        TranslationServiceProfile profile = Renders();
        profile.StatusPath = path;

        var ex = Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(profile));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_whose_word_lists_are_empty_or_overlap_is_rejected()
    {
        TranslationServiceProfile empty = Renders();
        empty.FailedValues = Array.Empty<string>();
        TranslationServiceProfile both = Renders();
        both.CompletedValues = new[] { "DONE", "queued" };
        TranslationServiceProfile blank = Renders();
        blank.PendingValues = new[] { "QUEUED", " " };

        Assert.Contains("FailedValues is empty: give at least one status word", Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(empty)).Message);
        Assert.Contains("CompletedValues has 'queued', which is also in PendingValues: a word must mean one thing", Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(both)).Message);
        Assert.Contains("PendingValues has an empty word", Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(blank)).Message);
        Assert.Contains("VideoUrlPath is empty", Assert.Throws<ArgumentException>(() => TranslationService.FromProfile(new TranslationServiceProfile
        {
            StatusUrl = "x/{id}", StatusPath = "s", PendingValues = new[] { "p" }, CompletedValues = new[] { "c" }, FailedValues = new[] { "f" }, VideoUrlPath = "",
        })).Message);
    }

    [Fact]
    public async Task A_profile_service_is_waited_on_through_its_words_and_gives_the_result_url()
    {
        using var h = With(TranslationService.FromProfile(Renders()), new Uri("http://renders.test/base/"));
        h.Server.Sequence(
            () => FakeServer.Json("""{"render":{"state":"QUEUED"}}"""),
            () => FakeServer.Json("""{"render":{"state":"rendering","fraction":0.5}}"""),
            () => FakeServer.Json("""{"render":{"state":"DONE","output":[{"href":"https://cdn.test/v.mp4?sig=1"}]}}"""));

        TranslationWaitResult result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(1))), "r/1");

        Assert.True(result.Succeeded);
        Assert.Equal("DONE", result.FinalStatus.RawResult);
        Assert.Equal(new Uri("https://cdn.test/v.mp4?sig=1"), result.VideoUrl);
        Assert.Equal("Renders", result.Service);
        Assert.Equal("http://renders.test/base/api/v2/renders/r%2F1", h.Server.Requests[0].Uri.AbsoluteUri);
        Assert.Equal(new[] { "QUEUED", "rendering", "DONE" }, result.History.Select(s => s.RawResult));
    }

    [Fact]
    public async Task A_failed_job_of_a_profile_carries_the_service_message_into_its_error()
    {
        using var h = With(TranslationService.FromProfile(Renders()));
        h.Server.Sequence(() => FakeServer.Json("""{"render":{"state":"BROKEN","problem":"codec not supported"}}"""));

        TranslationWaitResult result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(1))), "r1");

        Assert.Equal(TranslationState.Error, result.State);
        Assert.Equal("codec not supported", result.FailureMessage);
        Assert.Null(result.VideoUrl);
        Assert.EndsWith("after 1 check: codec not supported", Assert.Throws<TranslationJobFailedException>(() => result.EnsureSucceeded()).Message);
    }

    [Theory]
    [InlineData("""{"render":{"state":"PAUSED"}}""", "\"render.state\" is \"PAUSED\", a status word the Renders service is not known to use (pending: \"QUEUED\", \"RENDERING\"; completed: \"DONE\"; failed: \"BROKEN\")")]
    [InlineData("""{"render":{}}""", "the answer has no \"render.state\", where the Renders service's status word should be")]
    [InlineData("""{"render":{"state":3}}""", "\"render.state\" is a number, not a status word")]
    [InlineData("""[1]""", "the answer has no \"render.state\"")]
    [InlineData("""<html>""", "the body is not valid JSON")]
    public async Task An_answer_the_profile_cannot_read_is_a_protocol_error_that_says_why(string body, string expected)
    {
        using var h = With(TranslationService.FromProfile(Renders()));
        h.Server.Sequence(() => FakeServer.Json(body));

        var ex = await Assert.ThrowsAsync<TranslationProtocolException>(() => h.Client.GetStatusAsync("r1"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_service_has_no_single_job_endpoint()
    {
        using var h = With(TranslationService.FromProfile(Renders()));

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => h.Client.GetStatusAsync());

        Assert.Contains("The Renders service has no single-job status endpoint: give the job's id.", ex.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [InlineData("HeyGen", "v3/video-translations/t1", """{"data":{"id":"t1","status":"running"}}""", """{"data":{"id":"t1","status":"completed","video_url":"https://files.test/t1.mp4","output_language":"German (Germany)"}}""")]
    [InlineData("HeyGenV2", "v2/video_translate/t1", """{"error":null,"data":{"video_translate_id":"t1","status":"pending","url":null,"message":null}}""", """{"error":null,"data":{"video_translate_id":"t1","status":"success","url":"https://files.test/t1.mp4","message":null}}""")]
    [InlineData("HeyGenVideo", "v1/video_status.get?video_id=t1", """{"code":100,"data":{"id":"t1","status":"waiting","video_url":null,"error":null},"message":"Success"}""", """{"code":100,"data":{"id":"t1","status":"completed","video_url":"https://files.test/t1.mp4","error":null},"message":"Success"}""")]
    public async Task Each_HeyGen_service_asks_its_path_and_reads_its_words(string name, string path, string pending, string completed)
    {
        var service = TranslationService.Get(Enum.Parse<TranslationServiceKind>(name));
        using var h = With(service);
        h.Server.Sequence(() => FakeServer.Json(pending), () => FakeServer.Json(completed));

        TranslationWaitResult result = await h.Wait(Exact(PollingStrategy.Fixed(Sec(30))), "t1");

        Assert.Equal(name, service.Name);
        Assert.All(h.Server.Requests, r => Assert.Equal(HeyGenBase + path, r.Uri.AbsoluteUri));
        Assert.Equal(TranslationState.Pending, result.History[0].State);
        Assert.Equal(TranslationState.Completed, result.State);
        Assert.Equal(new Uri("https://files.test/t1.mp4"), result.VideoUrl);
        Assert.Equal(name, result.Service);
    }

    [Theory]
    [InlineData("HeyGen", """{"data":{"id":"t1","status":"failed","failure_message":"Audio track missing"}}""")]
    [InlineData("HeyGenV2", """{"error":null,"data":{"video_translate_id":"t1","status":"failed","url":null,"message":"Audio track missing"}}""")]
    [InlineData("HeyGenVideo", """{"code":100,"data":{"id":"t1","status":"failed","error":{"code":40119,"detail":"too long","message":"Audio track missing"}},"message":"Success"}""")]
    public async Task A_failed_HeyGen_job_gives_its_failure_message(string name, string failed)
    {
        using var h = With(TranslationService.Get(Enum.Parse<TranslationServiceKind>(name)));
        h.Server.Sequence(() => FakeServer.Json(failed));

        TranslationStatus status = await h.Client.GetStatusAsync("t1");

        Assert.Equal(TranslationState.Error, status.State);
        Assert.Equal("failed", status.RawResult);
        Assert.Equal("Audio track missing", status.FailureMessage);
    }

    [Theory]
    [InlineData("""{"error":{"code":"not_found","message":"Video translation t1 not found","doc_url":"https://x.test"}}""", "not_found", "Video translation t1 not found")]
    [InlineData("""{"code":400112,"data":null,"message":"Invalid video id"}""", "400112", "Invalid video id")]
    [InlineData("""not json""", null, null)]
    public async Task An_error_body_gives_the_service_code_and_message(string body, string? code, string? message)
    {
        using var h = With(TranslationService.HeyGen);
        h.Server.Sequence(() => FakeServer.Json(body, HttpStatusCode.NotFound));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.GetStatusAsync("t1"));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(message, ex.ErrorMessage);
        Assert.Contains(code is null ? "body: not json" : $"the server says: {code}: {message}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeyGen_creates_one_job_per_language_in_one_request_with_an_idempotency_key()
    {
        using var h = With(TranslationService.HeyGen);
        string? body = null;
        h.Server.Handle = (request, n, ct) =>
        {
            body = request.Content!.ReadAsStringAsync(ct).Result;
            return Task.FromResult(FakeServer.Json("""{"data":{"video_translation_ids":["a1","b2"]}}"""));
        };
        var request = new TranslationJobRequest
        {
            VideoUrl = new Uri("https://videos.test/in.mp4"),
            OutputLanguages = new[] { "Spanish (Spain)", "German (Germany)" },
            Mode = "Precision",
            Title = "Launch",
            CallbackUrl = new Uri("https://hooks.test/done"),
            CallbackId = "run-7",
        };

        IReadOnlyList<TranslationJob> jobs = await h.Client.CreateJobsAsync(request);

        Assert.Equal(new[] { "a1", "b2" }, jobs.Select(j => j.Id));
        Assert.Equal(new[] { "Spanish (Spain)", "German (Germany)" }, jobs.Select(j => j.Language));
        Assert.All(jobs, j => Assert.Equal("HeyGen", j.Service));
        Assert.Equal(new Uri(HeyGenBase, "v3/video-translations/a1"), jobs[0].StatusUri);
        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal(HeyGenBase + "v3/video-translations", sent.Uri.AbsoluteUri);
        Assert.Contains("Idempotency-Key: ", sent.Headers, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body!);
        Assert.Equal(
            """{"video":{"type":"url","url":"https://videos.test/in.mp4"},"output_languages":["Spanish (Spain)","German (Germany)"],"mode":"precision","title":"Launch","callback_url":"https://hooks.test/done","callback_id":"run-7"}""",
            JsonSerializer.Serialize(json.RootElement));
    }

    [Fact]
    public async Task A_HeyGen_create_still_in_progress_is_retried_with_the_same_key_and_gives_the_first_jobs()
    {
        using var h = With(TranslationService.HeyGen);
        h.Server.Sequence(
            () => FakeServer.Json("""{"error":{"code":"request_in_progress","message":"in flight"}}""", HttpStatusCode.Conflict),
            () => FakeServer.Json("""{"error":{"code":"rate_limit_exceeded","message":"10 jobs"}}""", (HttpStatusCode)429, Sec(20)),
            () => FakeServer.Json("""{"data":{"video_translation_ids":["a1"]}}"""));

        var create = h.Client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = new Uri("https://v.test/a.mp4"), OutputLanguages = new[] { "French" }, IdempotencyKey = "k-1" });
        h.Clock.RunUntilDone(create);

        Assert.Equal("a1", Assert.Single(await create).Id);
        Assert.Equal(3, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Contains("Idempotency-Key: k-1", r.Headers, StringComparison.Ordinal));
        Assert.True(h.Server.Requests[2].At - h.Server.Requests[1].At >= Sec(20), "the 429's Retry-After was not honoured");
    }

    [Fact]
    public async Task A_HeyGen_v2_create_is_never_retried_as_v2_honours_no_idempotency_key()
    {
        using var h = With(TranslationService.HeyGenV2);
        h.Server.Sequence(() => FakeServer.Json("""{"error":{"code":500,"message":"oops"},"data":null}""", HttpStatusCode.InternalServerError));

        var ex = await Assert.ThrowsAsync<TranslationHttpException>(() => h.Client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = new Uri("https://v.test/a.mp4"), OutputLanguages = new[] { "French" } }));

        Assert.Equal("oops", ex.ErrorMessage);
        var sent = Assert.Single(h.Server.Requests);
        Assert.DoesNotContain("Idempotency-Key", sent.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_HeyGen_create_without_a_video_or_languages_is_refused_before_any_request()
    {
        using var h = With(TranslationService.HeyGen);

        var noVideo = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.CreateJobsAsync(new TranslationJobRequest { OutputLanguages = new[] { "French" } }));
        var noLanguage = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = new Uri("https://v.test/a.mp4") }));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => h.Client.CreateJobsAsync(new TranslationJobRequest { VideoUrl = new Uri("https://v.test/a.mp4"), OutputLanguages = new[] { "French", "french" } }));
        var video = await Assert.ThrowsAsync<NotSupportedException>(() => new TranslationClient(HeyGenBase, new TranslationClientOptions { Service = TranslationService.HeyGenVideo }).CreateJobsAsync(new TranslationJobRequest()));

        Assert.Contains("translates a video at a public http(s) URL: give VideoUrl", noVideo.Message);
        Assert.Contains("needs at least one output language", noLanguage.Message);
        Assert.Contains("repeat one", twice.Message);
        Assert.Contains("The HeyGenVideo service does not create jobs", video.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task A_HeyGen_wait_without_settings_polls_as_HeyGen_advises_and_has_an_hour()
    {
        using var h = With(TranslationService.HeyGen);
        h.Server.Sequence(() => FakeServer.Json("""{"data":{"id":"t1","status":"running"}}"""));

        var wait = h.Client.WaitForCompletionAsync("t1", new TranslationWaitOptions { Strategy = PollingStrategy.Create(PollingStrategyKind.Exponential, TranslationService.HeyGen.CreatePollingOptions()) });
        var defaults = h.Client.WaitForCompletionAsync("t1");
        h.Clock.RunUntilDone(Task.WhenAll(wait.ContinueWith(_ => { }), defaults.ContinueWith(_ => { })), TimeSpan.FromHours(2));

        var timeout = await Assert.ThrowsAsync<TranslationTimeoutException>(() => defaults);
        Assert.Equal(TimeSpan.FromMinutes(60), timeout.MaxWait);
        Assert.InRange(timeout.Attempts, 55, 70); // 30 s, then every 60 s (less 10 % jitter) for an hour; the simulator's 5 s cap would be ~720
        Assert.Equal(TimeSpan.FromMinutes(60), (await Assert.ThrowsAsync<TranslationTimeoutException>(() => wait)).MaxWait);
    }

    [Fact]
    public async Task A_change_of_the_service_word_within_a_state_is_a_status_change()
    {
        using var h = With(TranslationService.HeyGen);
        h.Server.Sequence(
            () => FakeServer.Json("""{"data":{"id":"t1","status":"pending"}}"""),
            () => FakeServer.Json("""{"data":{"id":"t1","status":"pending"}}"""),
            () => FakeServer.Json("""{"data":{"id":"t1","status":"running"}}"""),
            () => FakeServer.Json("""{"data":{"id":"t1","status":"running"}}"""),
            () => FakeServer.Json("""{"data":{"id":"t1","status":"completed","video_url":"https://f.test/a"}}"""));
        var seen = new List<string>();
        var options = Exact(PollingStrategy.Fixed(Sec(30)));
        options.OnStatusChanged = s => seen.Add($"{s.State}:{s.RawResult}");

        TranslationWaitResult result = await h.Wait(options, "t1");

        Assert.Equal(new[] { "Pending:pending", "Pending:running", "Completed:completed" }, seen);
        Assert.Equal(3, result.History.Count);
        Assert.Equal("Pending->Completed", result.History.ToString());
        Assert.Equal(5, result.Attempts);
    }

    [Fact]
    public async Task Durations_are_learned_per_service_and_language()
    {
        var history = new DurationHistory();
        using var h = With(TranslationService.HeyGen);
        h.Server.Sequence(
            () => FakeServer.Json("""{"data":{"id":"t1","status":"running","output_language":"German (Germany)"}}"""),
            () => FakeServer.Json("""{"data":{"id":"t1","status":"completed","output_language":"German (Germany)","video_url":"https://f.test/a"}}"""));

        await h.Wait(new TranslationWaitOptions { Strategy = PollingStrategy.Auto(history) }, "t1");

        Assert.Equal(1, history.Count(new Uri("https://api.heygen.test/#HeyGen/German%20%28Germany%29")));
        Assert.Equal(0, history.Count(HeyGenBase));
    }

    [Fact]
    public async Task A_429_with_Retry_After_holds_back_every_wait_of_the_batch_until_it_ends()
    {
        using var h = With(TranslationService.HeyGen);
        int limited = 0;
        h.Server.Handle = (request, n, ct) =>
        {
            string id = request.RequestUri!.Segments[^1];
            if (id == "b" && Interlocked.Exchange(ref limited, 1) == 0)
            {
                return Task.FromResult(FakeServer.Json("""{"error":{"code":"rate_limit_exceeded","message":"slow down"}}""", (HttpStatusCode)429, Sec(40)));
            }

            bool done = h.Clock.Elapsed >= Sec(35);
            string state = done ? "completed" : "running";
            return Task.FromResult(FakeServer.Json($$$"""{"data":{"id":"{{{id}}}","status":"{{{state}}}"}}"""));
        };
        var options = Exact(PollingStrategy.Fixed(Sec(10)));

        var batch = h.Client.WaitForAllAsync(new[] { "a", "b", "c" }, options, new TranslationBatchOptions { MaxConcurrency = 1 });
        h.Clock.RunUntilDone(batch);
        await batch;

        // The 429 came at 0 s, to b's first check: c's first check waits for the pause too, and nothing at all goes out
        // until 40 s, when a, b and c are each seen done with one check.
        double[] offsets = h.RequestTimes;
        Assert.Equal(2, offsets.Count(t => t < 1000));
        Assert.DoesNotContain(offsets, t => t >= 1000 && t < 40_000);
        Assert.Equal(5, offsets.Length);
    }

    [Fact]
    public void The_service_follows_the_address_when_none_is_chosen()
    {
        Assert.Same(TranslationService.HeyGen, TranslationService.ForUri(new Uri("https://API.heygen.com/")));
        Assert.Same(TranslationService.Simulator, TranslationService.ForUri(new Uri("http://127.0.0.1:5000/")));
        Assert.Same(TranslationService.Simulator, new TranslationClientOptions().Service);
        Assert.Equal(TimeSpan.FromMinutes(10), TranslationService.Simulator.DefaultMaxWait);
        Assert.Equal(10, TranslationService.HeyGen.DefaultMaxConcurrency);
        Assert.Equal("HEYGEN_API_KEY", TranslationService.HeyGenV2.ApiKeyVariable);
        Assert.Null(TranslationService.Simulator.ApiKeyVariable);
        Assert.Throws<ArgumentOutOfRangeException>(() => TranslationService.Get((TranslationServiceKind)9));
    }
}
