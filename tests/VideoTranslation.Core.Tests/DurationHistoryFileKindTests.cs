using System.Diagnostics;

namespace VideoTranslation.Tests;

/// <summary>
/// A history path that names something other than a regular file (a FIFO, a device, a folder) or a file far too
/// large fails at once, naming the path: never a read that blocks forever or one that fills the memory (issue 14, item 5).
/// </summary>
public sealed class DurationHistoryFileKindTests : IDisposable
{
    // Generous for a check that takes microseconds; a blocked open() or a read of /dev/zero never ends within it.
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(5);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vt-kind-{Guid.NewGuid():N}");

    public DurationHistoryFileKindTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A named pipe with no writer: open(O_RDONLY) on it blocks until one comes.</summary>
    private string MakeFifo()
    {
        string path = Path.Combine(_folder, "history.fifo");
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>Runs <paramref name="action"/> on a pool thread and returns what it threw, failing if it is not done at once.</summary>
    private static async Task<Exception> ThrownAtOnce(string path, Action action)
    {
        Task run = Task.Run(action);
        try
        {
            await run.WaitAsync(AtOnce);
        }
        catch (TimeoutException)
        {
            if (File.Exists(path) && !path.StartsWith("/dev/", StringComparison.Ordinal))
            {
                // Let a reader blocked on the FIFO go, so the test host is not left with a stuck thread.
                using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
            }

            Assert.Fail($"Not done within {AtOnce.TotalSeconds} s: it blocked or read without end.");
        }
        catch (Exception ex)
        {
            return ex;
        }

        Assert.Fail("It did not fail.");
        return null!;
    }

    private static void AssertNamed(Exception ex, string path, string what)
    {
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loading_a_FIFO_with_no_writer_fails_at_once_naming_it()
    {
        string fifo = MakeFifo();

        var ex = Assert.IsType<InvalidDataException>(await ThrownAtOnce(fifo, () => DurationHistory.Load(fifo)));

        AssertNamed(ex, fifo, "is a named pipe (FIFO), not a regular file");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/full")]
    [InlineData("/dev/null")]
    public async Task Loading_a_device_fails_at_once_naming_it(string device)
    {
        var ex = Assert.IsType<InvalidDataException>(await ThrownAtOnce(device, () => DurationHistory.Load(device)));

        AssertNamed(ex, device, "is a character device, not a regular file");
    }

    [Fact]
    public async Task Loading_a_folder_fails_at_once_naming_it()
    {
        var ex = Assert.IsType<InvalidDataException>(await ThrownAtOnce(_folder, () => DurationHistory.Load(_folder)));

        AssertNamed(ex, _folder, "is a folder");
    }

    [Fact]
    public async Task Loading_a_regular_file_over_the_cap_fails_at_once_naming_its_size()
    {
        string path = Path.Combine(_folder, "huge.json");
        using (var stream = File.Create(path))
        {
            stream.SetLength(DurationHistory.MaxFileBytes + 1);
        }

        var ex = Assert.IsType<InvalidDataException>(await ThrownAtOnce(path, () => DurationHistory.Load(path)));

        AssertNamed(ex, path, $"is {DurationHistory.MaxFileBytes + 1} bytes; a duration history is at most {DurationHistory.MaxFileBytes}");
    }

    [Fact]
    public async Task The_read_itself_stops_at_the_cap_where_the_type_cannot_be_told()
    {
        // Windows and runtimes without libSystem.Native get no type check: /dev/zero's endless bytes stop at the cap.
        byte[]? bytes = await Task.Run(() => VideoTranslation.Internal.DurationHistoryFile.ReadAtMost("/dev/zero", 1000)).WaitAsync(AtOnce);

        Assert.Null(bytes);
    }

    [Fact]
    public void The_cap_is_a_few_megabytes()
    {
        // Far above any real history (256 durations a server, a few kilobytes), far below a memory problem.
        Assert.Equal(4 * 1024 * 1024, DurationHistory.MaxFileBytes);
    }

    [Fact]
    public async Task Saving_over_a_FIFO_fails_at_once_and_leaves_it_a_FIFO()
    {
        string fifo = MakeFifo();
        var history = new DurationHistory();
        history.Add(new Uri("http://a.test/"), TimeSpan.FromSeconds(1));

        var ex = Assert.IsType<IOException>(await ThrownAtOnce(fifo, () => history.Save(fifo)));

        AssertNamed(ex, fifo, "is a named pipe (FIFO), not a regular file");
        Assert.Equal([fifo], Directory.GetFileSystemEntries(_folder)); // no temporary file, and the FIFO not replaced
        Assert.Equal(0, new FileInfo(fifo).Length);
    }

    [Theory]
    [InlineData("/dev/full")]
    [InlineData("/dev/null")]
    public async Task Saving_over_a_device_fails_at_once_and_touches_nothing(string device)
    {
        // Run as root, the old Save wrote /dev/full.tmp and renamed it over the device; it must not even try.
        var history = new DurationHistory();
        history.Add(new Uri("http://a.test/"), TimeSpan.FromSeconds(1));

        var ex = Assert.IsType<IOException>(await ThrownAtOnce(device, () => history.Save(device)));

        AssertNamed(ex, device, "is a character device, not a regular file");
        Assert.False(File.Exists(device + ".tmp"));
    }
}
