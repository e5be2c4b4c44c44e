using System.Text;
using System.Text.Json;

namespace VideoTranslation.Tests;

/// <summary>The per-server ring of durations that Learned plans from, and its JSON file.</summary>
public sealed class DurationHistoryTests : IDisposable
{
    private static readonly Uri A = new("http://a.test/");
    private static readonly Uri B = new("http://b.test:8080/api/");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vt-history-{Guid.NewGuid():N}");

    public DurationHistoryTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static double[] Seconds(IEnumerable<TimeSpan> durations) => durations.Select(d => Math.Round(d.TotalSeconds, 6)).ToArray();

    /// <summary>The entries of one server in a saved file, oldest first (the duration of each entry).</summary>
    private static double[] SavedOrder(string path, Uri server)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("servers").GetProperty(server.AbsoluteUri).EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Array ? e[0].GetDouble() : e.GetDouble())
            .ToArray();
    }

    /// <summary>A file saved from one duration of 1.5 s on A, with <paramref name="replace"/> applied to its text.</summary>
    private string SavedThen(Func<string, string> replace)
    {
        var history = new DurationHistory();
        history.Add(A, Sec(1.5));
        string path = PathOf($"edited-{Guid.NewGuid():N}.json");
        history.Save(path);
        string text = File.ReadAllText(path);
        string edited = replace(text);
        Assert.NotEqual(text, edited); // the edit must hit
        File.WriteAllText(path, edited, new UTF8Encoding(false));
        return path;
    }

    private static void AssertRejected(string path)
    {
        var ex = Assert.Throws<InvalidDataException>(() => DurationHistory.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_history_is_empty_for_every_server()
    {
        var history = new DurationHistory();
        Assert.Equal(0, history.Count(A));
        Assert.Empty(history.GetDurations(A));
        Assert.Equal(DurationHistory.DefaultCapacityPerServer, history.CapacityPerServer);
        Assert.Equal(256, history.CapacityPerServer);
    }

    [Fact]
    public void Durations_come_back_shortest_first()
    {
        var history = new DurationHistory();
        foreach (double s in new double[] { 3, 1, 2.5, 0.25 })
        {
            history.Add(A, Sec(s));
        }

        Assert.Equal([0.25, 1, 2.5, 3], Seconds(history.GetDurations(A)));
        Assert.Equal(4, history.Count(A));
    }

    [Fact]
    public void The_ring_keeps_the_most_recent_durations_per_server()
    {
        var history = new DurationHistory(capacityPerServer: 3);
        foreach (double s in new double[] { 1, 2, 3, 4, 5 })
        {
            history.Add(A, Sec(s));
        }

        history.Add(B, Sec(9));

        Assert.Equal([3, 4, 5], Seconds(history.GetDurations(A)));
        Assert.Equal(3, history.Count(A));
        Assert.Equal([9], Seconds(history.GetDurations(B)));
    }

    [Fact]
    public void The_file_lists_each_servers_durations_oldest_first_after_the_ring_wrapped()
    {
        var history = new DurationHistory(capacityPerServer: 3);
        foreach (double s in new double[] { 5, 1, 4, 2, 3 })
        {
            history.Add(A, Sec(s));
        }

        string path = PathOf("ring.json");
        history.Save(path);

        Assert.Equal([4, 2, 3], SavedOrder(path, A));
    }

    [Fact]
    public void Loading_with_a_smaller_capacity_keeps_the_most_recent_durations()
    {
        var history = new DurationHistory();
        foreach (double s in new double[] { 5, 1, 4, 2, 3 })
        {
            history.Add(A, Sec(s));
        }

        string path = PathOf("shrink.json");
        history.Save(path);

        var loaded = DurationHistory.Load(path, capacityPerServer: 2);
        Assert.Equal([2, 3], Seconds(loaded.GetDurations(A)));
        Assert.Equal(2, loaded.CapacityPerServer);
    }

    [Fact]
    public void Save_then_Load_round_trips_every_server()
    {
        var history = new DurationHistory();
        var random = new Random(3);
        var expectedA = new List<double>();
        for (int i = 0; i < 100; i++)
        {
            double s = Math.Round(0.01 + (random.NextDouble() * 100), 4);
            expectedA.Add(s);
            history.Add(A, Sec(s));
        }

        history.Add(B, Sec(86_400));
        history.Add(B, Sec(0.0001));
        string path = PathOf("round-trip.json");

        history.Save(path);
        var loaded = DurationHistory.Load(path);

        Assert.Equal(expectedA.Order().ToArray(), Seconds(loaded.GetDurations(A)));
        Assert.Equal([0.0001, 86_400], Seconds(loaded.GetDurations(B)));
        Assert.Equal(100, loaded.Count(A));
    }

    [Fact]
    public void A_kind_of_job_on_a_server_round_trips_apart_from_the_server()
    {
        var history = new DurationHistory();
        var german = new Uri("https://api.heygen.com/#HeyGen/German%20(Germany)");
        history.Add(german, Sec(400));
        history.Add(new Uri("https://api.heygen.com/"), Sec(7));
        string path = PathOf("kinds.json");

        history.Save(path);
        var loaded = DurationHistory.Load(path);

        Assert.Equal([400.0], Seconds(loaded.GetDurations(german)));
        Assert.Equal([7.0], Seconds(loaded.GetDurations(new Uri("https://api.heygen.com"))));
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_file()
    {
        string path = PathOf("replace.json");
        var first = new DurationHistory();
        first.Add(A, Sec(1));
        first.Save(path);
        var second = new DurationHistory();
        second.Add(B, Sec(2));

        second.Save(path);

        var loaded = DurationHistory.Load(path);
        Assert.Equal(0, loaded.Count(A));
        Assert.Equal([2], Seconds(loaded.GetDurations(B)));
        Assert.Equal(["replace.json"], Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).ToArray());
    }

    [Fact]
    public void An_empty_history_saves_and_loads()
    {
        string path = PathOf("empty.json");
        new DurationHistory().Save(path);

        var loaded = DurationHistory.Load(path);

        Assert.Equal(0, loaded.Count(A));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1, doc.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public void A_missing_file_is_an_empty_history()
    {
        var loaded = DurationHistory.Load(PathOf("never-written.json"), capacityPerServer: 7);

        Assert.Equal(0, loaded.Count(A));
        Assert.Equal(7, loaded.CapacityPerServer);
        Assert.False(File.Exists(PathOf("never-written.json")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_path_is_rejected(string path)
    {
        Assert.Throws<ArgumentException>(() => DurationHistory.Load(path));
        Assert.Throws<ArgumentException>(() => new DurationHistory().Save(path));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("""{"version":1}""")]
    [InlineData("""{"servers":{}}""")]
    [InlineData("""{"version":"1","servers":{}}""")]
    [InlineData("""{"version":2,"servers":{}}""")]
    [InlineData("""{"version":0,"servers":{}}""")]
    [InlineData("""{"version":1.5,"servers":{}}""")]
    [InlineData("""{"version":1,"servers":[]}""")]
    [InlineData("""{"version":1,"servers":{"not a uri":[]}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":{}}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":"1.5"}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":[null]}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":["1.5"]}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":[NaN]}}""")]
    [InlineData("""{"version":1,"servers":{"http://a.test/":[1.5]""")]
    public void A_file_that_is_not_a_history_is_rejected_naming_the_file(string content)
    {
        string path = PathOf("bad.json");
        File.WriteAllText(path, content, new UTF8Encoding(false));

        AssertRejected(path);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("86401")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("true")]
    [InlineData("\"1.5\"")]
    [InlineData("{}")]
    public void A_file_with_a_bad_duration_is_rejected_naming_the_file(string duration)
    {
        // Edits a saved file, so the entry keeps the shape the current format writes.
        string path = SavedThen(text => text.Replace("1.5", duration, StringComparison.Ordinal));

        AssertRejected(path);
    }

    [Fact]
    public void A_file_too_large_to_be_a_history_is_rejected_without_reading_it()
    {
        string path = PathOf("huge.json");
        using (var stream = File.Create(path))
        {
            stream.SetLength((4 * 1024 * 1024) + 1);
        }

        var ex = Assert.Throws<InvalidDataException>(() => DurationHistory.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("4194305 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_outside_strings_is_rejected_naming_the_file()
    {
        string path = PathOf("bytes.json");
        File.WriteAllBytes(path, [0xFF, 0xFE, 0x7B, 0x7D]);

        AssertRejected(path);
    }

    [Fact]
    public void Invalid_UTF8_in_a_server_key_is_rejected_naming_the_file()
    {
        string path = PathOf("utf8-key.json");
        byte[] head = Encoding.ASCII.GetBytes("{\"version\":1,\"servers\":{\"http://a.test/");
        byte[] tail = Encoding.ASCII.GetBytes("/\":[]}}");
        File.WriteAllBytes(path, [.. head, 0xC3, 0x28, .. tail]);

        AssertRejected(path);
    }

    [Fact]
    public void Deeply_nested_JSON_is_rejected_naming_the_file()
    {
        string path = PathOf("deep.json");
        File.WriteAllText(path, "{\"version\":1,\"servers\":{\"http://a.test/\":" + new string('[', 50) + new string(']', 50) + "}}");

        AssertRejected(path);
    }

    [Fact]
    public void A_file_with_a_UTF8_byte_order_mark_loads()
    {
        // Windows PowerShell 5.1's Set-Content -Encoding UTF8 and Notepad's "UTF-8 with BOM" write one.
        var history = new DurationHistory();
        history.Add(A, Sec(1.5));
        string path = PathOf("bom.json");
        history.Save(path);
        File.WriteAllText(path, File.ReadAllText(path), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);

        var loaded = DurationHistory.Load(path);

        Assert.Equal([1.5], Seconds(loaded.GetDurations(A)));
    }

    [Fact]
    public void A_folder_given_as_the_file_is_an_error_not_an_empty_history()
    {
        var ex = Assert.ThrowsAny<Exception>(() => DurationHistory.Load(_folder));
        Assert.True(ex is InvalidDataException or IOException or UnauthorizedAccessException, ex.GetType().Name);
        Assert.Contains(_folder, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_save_leaves_no_temporary_file()
    {
        var history = new DurationHistory();
        history.Add(A, Sec(1));
        string target = PathOf("taken");
        Directory.CreateDirectory(target);

        Assert.ThrowsAny<IOException>(() => history.Save(target));

        Assert.Equal([target], Directory.GetFileSystemEntries(_folder));
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Theory]
    [InlineData("/relative/")]
    [InlineData("file:///etc/")]
    [InlineData("ftp://a.test/")]
    public void A_server_key_that_is_not_an_http_address_is_rejected_naming_the_file(string key)
    {
        string path = PathOf("key.json");
        File.WriteAllText(path, $$$"""{"version":1,"servers":{"{{{key}}}":[]}}""");

        AssertRejected(path);
    }

    [Fact]
    public void Saving_into_a_missing_folder_throws_an_IO_error()
    {
        var history = new DurationHistory();
        history.Add(A, Sec(1));

        Assert.ThrowsAny<IOException>(() => history.Save(Path.Combine(_folder, "missing", "h.json")));
    }

    [Fact]
    public void Servers_are_keyed_by_scheme_host_port_path_and_the_kind_of_job_only()
    {
        var history = new DurationHistory();
        history.Add(new Uri("http://user:secret@a.test:80/api?x=1"), Sec(1));
        history.Add(new Uri("http://a.test/api/#HeyGen/German"), Sec(2));

        Assert.Equal(1, history.Count(new Uri("http://a.test/api#HeyGen/German")));
        Assert.Equal(0, history.Count(new Uri("http://a.test/api#HeyGen/French")));

        Assert.Equal(1, history.Count(new Uri("http://a.test/api")));
        Assert.Equal(1, history.Count(new Uri("http://a.test/api/")));
        Assert.Equal(1, history.Count(new Uri("HTTP://A.TEST/api/")));
        Assert.Equal(0, history.Count(new Uri("https://a.test/api/")));
        Assert.Equal(0, history.Count(new Uri("http://a.test:81/api/")));
        Assert.Equal(0, history.Count(new Uri("http://a.test/")));
        Assert.Equal(0, history.Count(new Uri("http://b.test/api/")));
    }

    [Fact]
    public void Saved_server_keys_carry_no_secrets()
    {
        var history = new DurationHistory();
        history.Add(new Uri("http://user:secret@a.test/api?token=abc"), Sec(1));
        string path = PathOf("secrets.json");

        history.Save(path);

        string text = File.ReadAllText(path);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token", text, StringComparison.Ordinal);
        Assert.Contains("http://a.test/api/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var history = new DurationHistory();
        Assert.Throws<ArgumentNullException>(() => history.Add(null!, Sec(1)));
        Assert.Throws<ArgumentException>(() => history.Add(new Uri("/relative", UriKind.Relative), Sec(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Add(A, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Add(A, Sec(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Add(A, Sec(86_401)));
        Assert.Throws<ArgumentNullException>(() => history.Count(null!));
        Assert.Throws<ArgumentNullException>(() => history.GetDurations(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DurationHistory(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DurationHistory(100_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationHistory.Load(PathOf("x.json"), 0));
        Assert.Equal(0, history.Count(A));
    }

    [Fact]
    public void Clear_forgets_every_server()
    {
        var history = new DurationHistory();
        history.Add(A, Sec(1));
        history.Add(B, Sec(2));

        history.Clear();

        Assert.Equal(0, history.Count(A));
        Assert.Equal(0, history.Count(B));
    }

    [Fact]
    public void The_shared_history_is_one_instance()
    {
        Assert.Same(DurationHistory.Shared, DurationHistory.Shared);
    }

    [Fact]
    public async Task Parallel_adds_and_reads_lose_nothing()
    {
        var history = new DurationHistory(capacityPerServer: 100_000);
        Uri[] servers = [A, B, new Uri("http://c.test/")];
        const int PerThread = 1_000;
        const int Threads = 8;
        int writing = Threads;
        using var start = new Barrier(Threads + 1);
        // Dedicated threads: on a small machine the thread pool would add threads for the barrier a second at a time.
        var readers = Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            int reads = 0;
            do
            {
                var snapshot = history.GetDurations(A);
                for (int i = 1; i < snapshot.Count; i++)
                {
                    Assert.True(snapshot[i - 1] <= snapshot[i], "a snapshot is not sorted");
                }

                reads++;
            }
            while (Volatile.Read(ref writing) > 0);

            return reads;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                history.Add(servers[((t * PerThread) + i) % servers.Length], Sec(1 + (i % 100)));
            }

            Interlocked.Decrement(ref writing);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        int reads = await readers.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Threads * PerThread, servers.Sum(history.Count));
        Assert.InRange(history.Count(A), (Threads * PerThread / servers.Length) - 1, (Threads * PerThread / servers.Length) + 1);
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Saving_while_adding_writes_a_loadable_file()
    {
        var history = new DurationHistory();
        string path = PathOf("busy.json");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                history.Add(i++ % 2 == 0 ? A : B, Sec(1 + (i % 50)));
            }
        });

        for (int i = 0; i < 50; i++)
        {
            history.Save(path);
            var loaded = DurationHistory.Load(path);
            Assert.True(loaded.Count(A) <= 256);
        }

        await stop.CancelAsync();
        await writer;
    }
}
