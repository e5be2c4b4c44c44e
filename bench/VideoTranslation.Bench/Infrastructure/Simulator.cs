using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace VideoTranslation.Bench.Infrastructure;

/// <summary>How to start the simulator: the switches of docs/protocol.md that the benchmark varies.</summary>
internal sealed record SimulatorSettings
{
    public int Seed { get; init; } = 1;

    public double DelayMin { get; init; } = 1.5;

    public double DelayMax { get; init; } = 3.0;

    public bool Hints { get; init; } = true;

    public double EtaNoise { get; init; }

    public bool LongPoll { get; init; } = true;

    /// <summary>Group long-poll (POST /jobs/status); only with <see cref="LongPoll"/>.</summary>
    public bool GroupLongPoll { get; init; } = true;

    public int MaxJobs { get; init; } = 20_000;

    /// <summary>The drawn share of jobs that end in error (a job's own override wins).</summary>
    public double ErrorProbability { get; init; }

    /// <summary>A fixed delay for every job instead of the uniform model (the startup job of the throughput test).</summary>
    public double? FixedDelay { get; init; }

    /// <summary>Per-request faults of the status routes (docs/protocol.md, Faults); none by default.</summary>
    public FaultSettings? Faults { get; init; }

    /// <summary>The API the simulator speaks (<c>--service</c>: HeyGen, HeyGenV2, HeyGenVideo); null for its own.</summary>
    public string? Service { get; init; }

    /// <summary>Unfinished jobs the simulator allows (<c>--concurrency-limit</c>); null for its default (10 in the HeyGen modes).</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Hints off, long-poll off: what the original server offered.</summary>
    public static SimulatorSettings Original(int seed) => new() { Seed = seed, Hints = false, LongPoll = false };

    public IEnumerable<string> ToArguments()
    {
        static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
        var args = new List<string> { "--port", "0", "--seed", N(Seed) };
        args.AddRange(FixedDelay is double fixedDelay
            ? ["--delay-model", "fixed", "--delay", N(fixedDelay)]
            : ["--delay-model", "uniform", "--delay-min", N(DelayMin), "--delay-max", N(DelayMax)]);
        args.AddRange(["--error-probability", N(ErrorProbability)]);
        args.AddRange(["--hints", Hints ? "true" : "false", "--eta-noise", N(EtaNoise)]);
        args.AddRange(["--long-poll", LongPoll ? "true" : "false", "--group-long-poll", GroupLongPoll ? "true" : "false", "--max-jobs", N(MaxJobs)]);
        if (Service is string service)
        {
            args.AddRange(["--service", service]);
        }

        if (ConcurrencyLimit is int limit)
        {
            args.AddRange(["--concurrency-limit", N(limit)]);
        }

        if (Faults is { } f)
        {
            args.AddRange(
            [
                "--fault-500", N(f.InternalError), "--fault-503", N(f.ServiceUnavailable), "--fault-429", N(f.TooManyRequests),
                "--fault-drop", N(f.DropConnection), "--fault-slow", N(f.Slow),
                "--slow-seconds", N(f.SlowSeconds), "--retry-after", N(f.RetryAfterSeconds),
            ]);
        }

        return args;
    }

    public override string ToString() => Service is string service
        ? FormattableString.Invariant($"--service {service} (no hints, no long-poll), concurrency limit {(ConcurrencyLimit is int l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "default")}")
        : FormattableString.Invariant($"hints {(Hints ? EtaNoise > 0 ? $"noisy (eta-noise {EtaNoise})" : "accurate" : "off")}, long-poll {(LongPoll ? GroupLongPoll ? "on (group too)" : "on (no group)" : "off")}");
}

/// <summary>The transient faults the soak injects: probabilities per status request, and the slow answer's length.</summary>
public sealed record FaultSettings(
    double InternalError,
    double ServiceUnavailable,
    double TooManyRequests,
    double DropConnection,
    double Slow,
    double SlowSeconds,
    int RetryAfterSeconds)
{
    public double Total => InternalError + ServiceUnavailable + TooManyRequests + DropConnection + Slow;

    /// <summary>The simulator's switches, as on its command line.</summary>
    public string Switches => FormattableString.Invariant(
        $"--fault-500 {InternalError} --fault-503 {ServiceUnavailable} --fault-429 {TooManyRequests} --fault-drop {DropConnection} --fault-slow {Slow} --slow-seconds {SlowSeconds} --retry-after {RetryAfterSeconds}");
}

/// <summary>The job as the simulator saw it (<c>GET /jobs/{id}</c>): the server-side truth a client is measured against.</summary>
internal sealed record ServerJob(
    string Id,
    string Result,
    double DelaySeconds,
    string Outcome,
    DateTimeOffset CreatedAt,
    DateTimeOffset CompletesAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ResultFirstServedAt,
    int StatusRequests);

/// <summary>A simulator child process (the one launcher of the benchmark) and the job facts it serves.</summary>
internal sealed class Simulator : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private readonly ChildProcess _process;

    private Simulator(ChildProcess process, Uri uri, SimulatorSettings settings)
    {
        _process = process;
        Uri = uri;
        Settings = settings;
        Http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Uri { get; }

    public SimulatorSettings Settings { get; }

    /// <summary>For the benchmark's own requests (job facts); never used by a client under test.</summary>
    public HttpClient Http { get; }

    public static async Task<Simulator> StartAsync(SimulatorSettings settings, CancellationToken cancellationToken)
    {
        string dll = BuildPaths.SimulatorDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The simulator is not built at {dll}; build bench/VideoTranslation.Bench (it builds the simulator).", dll);
        }

        var arguments = settings.ToArguments().Concat(["--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]);
        ChildProcess process = ChildProcess.Start("The simulator", dll, arguments);
        try
        {
            Uri uri = await process.WaitUntilListeningAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return new Simulator(process, uri, settings);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The job facts of many jobs (<c>GET /jobs/{id}</c>), a few requests at a time.</summary>
    public Task<IReadOnlyDictionary<string, ServerJob>> GetJobsAsync(IEnumerable<string> ids, CancellationToken cancellationToken) =>
        GetJobsAsync(Http, ids, cancellationToken);

    /// <inheritdoc cref="GetJobsAsync(IEnumerable{string}, CancellationToken)"/>
    public static async Task<IReadOnlyDictionary<string, ServerJob>> GetJobsAsync(HttpClient http, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var jobs = new System.Collections.Concurrent.ConcurrentDictionary<string, ServerJob>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (id, ct) => jobs[id] = await http.GetFromJsonAsync<ServerJob>("jobs/" + Uri.EscapeDataString(id), s_json, ct)
                ?? throw new InvalidOperationException($"GET /jobs/{id} answered null."));
        return jobs;
    }

    /// <summary>The faults injected so far, by kind (<c>GET /admin/faults</c>, <c>injected</c>).</summary>
    public static async Task<Dictionary<string, long>> GetInjectedFaultsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using JsonDocument doc = JsonDocument.Parse(await http.GetStringAsync("admin/faults", cancellationToken));
        return doc.RootElement.GetProperty("injected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
    }
}
