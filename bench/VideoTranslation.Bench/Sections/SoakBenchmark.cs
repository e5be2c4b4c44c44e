using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>The soak client's resources after a round (after a forced full GC): what must not grow.</summary>
/// <param name="GcCommittedMb">Memory the GC has committed (GCMemoryInfo.TotalCommittedBytes): the managed part of RSS.</param>
/// <param name="JittedMethods">Methods compiled so far (JitInfo): code that tiered compilation adds to RSS over a run.</param>
public sealed record ResourceSample(int Sockets, int TcpEstablished, int TcpCloseWait, int TcpOther, int Threads, double ManagedMb, double RssMb, double GcCommittedMb = 0, long JittedMethods = 0);

/// <summary>One round of the soak, as the client process saw it.</summary>
/// <param name="Correct">Jobs whose wait ended in the final state the server drew (GET /jobs/{id}).</param>
/// <param name="SequencesRight">Jobs whose status changes were delivered exactly once each and in order: [pending?, final].</param>
/// <param name="FinishedOnce">Jobs the batch's OnJobFinished reported exactly once, after their final state.</param>
/// <param name="SawPending">Jobs whose delivered changes began with pending (the rest were first seen finished).</param>
/// <param name="ClientFailures">Failed checks the client retried, by kind: http500, http503, http429, connection, timeout, other.</param>
/// <param name="Injected">Faults the simulator injected during the round, by kind (delta of GET /admin/faults).</param>
/// <param name="ServedEarly">Jobs whose final result the simulator first served before its own <c>completedAt</c> (a fact
/// about the simulator's timers, not a client failure), and by how much at most.</param>
public sealed record SoakRound(
    int Round,
    int Jobs,
    double CreateSeconds,
    double WaitSeconds,
    long Requests,
    long ServerStatusAnswers,
    int Correct,
    int SequencesRight,
    int FinishedOnce,
    int SawPending,
    IReadOnlyDictionary<string, long> ClientFailures,
    IReadOnlyDictionary<string, long> Injected,
    int ServedEarly,
    double ServedEarlyMaxMs,
    ResourceSample Resources,
    int FailureCount,
    IReadOnlyList<string> Failures)
{
    /// <summary>
    /// Every check the client made is one the server answered, or a fault it injected that the client saw as a failed
    /// check (500, 503, 429, dropped), or one the client gave up on (a slow answer past the request timeout: the server
    /// counts neither an answer nor, for a cancelled slow answer, anything else). False when a request went missing or
    /// was sent twice behind the client's back.
    /// </summary>
    public bool RequestsAccountedFor =>
        Requests == ServerStatusAnswers + Injected.GetValueOrDefault("internalError") + Injected.GetValueOrDefault("serviceUnavailable") +
                    Injected.GetValueOrDefault("tooManyRequests") + Injected.GetValueOrDefault("dropConnection") + ClientFailures.GetValueOrDefault("timeout");
}

/// <summary>What the soak client prints (one JSON line).</summary>
public sealed record SoakClientResult(
    IReadOnlyList<string> Strategies,
    double RequestTimeoutSeconds,
    double MaxWaitSeconds,
    ResourceSample Before,
    IReadOnlyList<SoakRound> Rounds);

/// <summary>"No growth" of one resource: the last round against the first round after the warm-up.</summary>
public sealed record ResourceVerdict(string Resource, int BaselineRound, double Baseline, double Last, double Max, double Limit, string Tolerance, bool Pass);

public sealed record SoakSection(
    int Rounds,
    int JobsPerRound,
    double DelayMin,
    double DelayMax,
    double ErrorShare,
    FaultSettings Faults,
    string Server,
    SoakClientResult Client,
    IReadOnlyDictionary<string, long> InjectedTotal,
    IReadOnlyList<ResourceVerdict> Growth,
    bool GrowthAsserted,
    int CorrectnessFailures,
    double WallSeconds,
    SoakHostileResult? Hostile = null)
{
    public bool AllCorrect => CorrectnessFailures == 0;

    public bool NoGrowth => Growth.All(v => v.Pass);
}

/// <summary>
/// The soak of issue 6: rounds of many jobs against one simulator that fails ~10 % of status requests transiently,
/// waited concurrently by one <see cref="TranslationClient"/> in a child process (so its resources are the client's
/// alone). Every final state, every delivered status change and every OnJobFinished is checked; sockets, threads and
/// memory are sampled after each round.
/// </summary>
internal static class SoakBenchmark
{
    public const string Command = "soak-client";

    /// <summary>The jobs of a round are split round-robin over these, one WaitForAllAsync call each, all at once.</summary>
    public static IReadOnlyList<string> StrategyNames => CoreUse.SoakStrategies;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static async Task<SoakSection> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var server = new SimulatorSettings
        {
            Seed = settings.Seed,
            DelayMin = settings.SoakDelayMin,
            DelayMax = settings.SoakDelayMax,
            Hints = true,
            LongPoll = true,

            // The soak accounts for every check as one request (answered, faulted or given up on); a group request
            // answers, and fails, for many checks at once, so the soak's server holds checks one by one. The faults
            // of group requests are the core tests' (GroupLongPollTests).
            GroupLongPoll = false,
            MaxJobs = (settings.SoakRounds * settings.SoakJobs) + 100,
            ErrorProbability = settings.ErrorShare,
            Faults = settings.SoakFaults,
        };

        using Simulator simulator = await Simulator.StartAsync(server, cancellationToken);

        // Issue 14's rounds (unknown ids among real jobs, a batch above the descriptor limit) run meanwhile, in a client
        // of their own against a simulator of their own with the same faults: the soak's accounting of requests and
        // faults per round stays the soak client's alone.
        using Simulator hostileServer = await Simulator.StartAsync(server with { MaxJobs = SoakHostileRounds.JobsCreated(settings) + 100 }, cancellationToken);
        Task<SoakHostileResult> hostileRounds = SoakHostileRounds.RunAsync(hostileServer.Uri, settings, cancellationToken);
        string I(double value) => value.ToString(CultureInfo.InvariantCulture);
        using ChildProcess child = ChildProcess.Start(
            "The soak client",
            BuildPaths.BenchDll,
            [
                Command, "--url", simulator.Uri.AbsoluteUri, "--rounds", I(settings.SoakRounds), "--jobs", I(settings.SoakJobs),
                "--request-timeout", I(settings.SoakRequestTimeoutSeconds), "--max-wait", I(settings.SoakMaxWaitSeconds),
            ]);
        string output = await child.WaitForExitAsync(TimeSpan.FromSeconds((settings.SoakRounds * (settings.SoakMaxWaitSeconds + 60)) + 60), cancellationToken);
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        SoakClientResult result = JsonSerializer.Deserialize<SoakClientResult>(last, s_json)
            ?? throw new InvalidOperationException($"The soak client printed no result: {output}");

        SoakHostileResult hostile = await hostileRounds;
        foreach (SoakHostileRound round in hostile.Rounds)
        {
            await log.WriteLineAsync(FormattableString.Invariant(
                $"  soak, {round.Name} (ulimit -n {hostile.DescriptorLimit?.ToString(CultureInfo.InvariantCulture) ?? "?"}): {round.Outcomes} outcomes for {round.RealJobs} jobs and {round.UnknownIds} unknown ids, {round.RealRight} right, {round.UnknownNotFound} not found, {round.WaitSeconds:0.0} s"));
        }

        Dictionary<string, long> injected = await Simulator.GetInjectedFaultsAsync(simulator.Http, cancellationToken);

        foreach (SoakRound round in result.Rounds)
        {
            ResourceSample r = round.Resources;
            await log.WriteLineAsync(FormattableString.Invariant(
                $"  soak round {round.Round}: {round.Correct}/{round.Jobs} right, {round.SequencesRight} sequences right, {round.Injected.Values.Sum()} faults, {round.WaitSeconds:0.0} s; {r.Sockets} sockets, {r.Threads} threads, {r.ManagedMb:0.0} MB managed, {r.RssMb:0} MB RSS"));
        }

        IReadOnlyList<ResourceVerdict> growth = Growth(result);
        int failures = result.Rounds.Sum(r => r.FailureCount) + (result.Rounds.Count == settings.SoakRounds ? 0 : 1) + hostile.FailureCount;
        return new SoakSection(
            settings.SoakRounds,
            settings.SoakJobs,
            settings.SoakDelayMin,
            settings.SoakDelayMax,
            settings.ErrorShare,
            settings.SoakFaults,
            server.ToString(),
            result,
            injected,
            growth,
            settings.Mode == BenchMode.Full,
            failures,
            stopwatch.Elapsed.TotalSeconds,
            hostile);
    }

    /// <summary>
    /// Compares the last round with the first after the warm-up round (round 2), with a tolerance per resource: wide
    /// enough for a pool that holds more or fewer idle connections, a thread pool that kept a few more threads, or
    /// tiered JIT code, far narrower than a leak of one socket, thread or job's state per fault or job would make it.
    /// </summary>
    public static IReadOnlyList<ResourceVerdict> Growth(SoakClientResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Rounds.Count < 2)
        {
            return [];
        }

        int baselineIndex = result.Rounds.Count >= 3 ? 1 : 0;
        SoakRound baseline = result.Rounds[baselineIndex];
        SoakRound last = result.Rounds[^1];
        IEnumerable<SoakRound> measured = result.Rounds.Skip(baselineIndex);

        ResourceVerdict Verdict(string name, Func<ResourceSample, double> pick, Func<double, double> limit, string tolerance)
        {
            double b = pick(baseline.Resources);
            double l = pick(last.Resources);
            double max = measured.Max(r => pick(r.Resources));
            double bound = limit(b);
            return new ResourceVerdict(name, baseline.Round, b, l, max, Math.Round(bound, 1), tolerance, l <= bound);
        }

        return
        [
            // The pool keeps about as many idle connections as the round's peak of requests in flight (three batches of
            // at most 64); a socket kept per dropped or timed-out request would grow far past the tolerance every round.
            Verdict("sockets", r => r.Sockets, b => b + Math.Max(32, 0.5 * b), "+max(32, 50 %)"),
            Verdict("TCP in CLOSE_WAIT", r => r.TcpCloseWait, b => b + 4, "+4"),
            Verdict("threads", r => r.Threads, b => b + 8, "+8"),
            Verdict("managed memory (MB)", r => r.ManagedMb, b => (b * 1.10) + 2, "+10 % + 2 MB"),
            Verdict("RSS (MB)", r => r.RssMb, b => (b * 1.10) + 16, "+10 % + 16 MB"),
        ];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The child process.

    private sealed record Delivery(long Sequence, TranslationStatus Status);

    /// <summary>The child: one client, <paramref name="rounds"/> rounds of <paramref name="jobs"/> jobs; prints one JSON line.</summary>
    public static async Task<int> RunClientAsync(Uri uri, int rounds, int jobs, double requestTimeoutSeconds, double maxWaitSeconds, TextWriter output, CancellationToken cancellationToken)
    {
        ResourceSample before = Sample();
        using var client = new TranslationClient(uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds) });
        var results = new List<SoakRound>();
        for (int round = 1; round <= rounds; round++)
        {
            SoakRound result = await RunRoundAsync(client, uri, round, jobs, TimeSpan.FromSeconds(maxWaitSeconds), cancellationToken);
            result = result with { Resources = Sample() };
            results.Add(result);
            await Console.Error.WriteLineAsync(FormattableString.Invariant(
                $"soak round {round}: {result.Correct}/{result.Jobs} right, {result.FailureCount} failures, {result.WaitSeconds:0.0} s, {result.Resources}"));
        }

        var report = new SoakClientResult(StrategyNames, requestTimeoutSeconds, maxWaitSeconds, before, results);
        await output.WriteLineAsync(JsonSerializer.Serialize(report, s_json));
        return 0;
    }

    private static async Task<SoakRound> RunRoundAsync(TranslationClient client, Uri uri, int round, int jobs, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        // The benchmark's own requests (fault counters, job facts) go through a client of their own, disposed before the
        // resources are sampled: the sockets counted are the TranslationClient's.
        using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
        Dictionary<string, long> injectedBefore = await Simulator.GetInjectedFaultsAsync(http, cancellationToken);

        var create = Stopwatch.StartNew();
        var ids = new string[jobs];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, jobs),
            new ParallelOptions { MaxDegreeOfParallelism = CoreUse.DefaultBatchLimit, CancellationToken = cancellationToken },
            async (i, ct) => ids[i] = (await client.CreateJobAsync(null, ct)).Id);
        double createSeconds = create.Elapsed.TotalSeconds;

        // Everything the callbacks deliver, in one global order (a batch runs its callbacks one at a time; three batches
        // run side by side, so the counter is interlocked).
        long sequence = 0;
        var inRound = new HashSet<string>(ids, StringComparer.Ordinal);
        var delivered = new ConcurrentDictionary<string, ConcurrentQueue<Delivery>>(StringComparer.Ordinal);
        var finished = new ConcurrentDictionary<string, ConcurrentQueue<(long Sequence, TranslationJobOutcome Outcome)>>(StringComparer.Ordinal);
        var strays = new ConcurrentQueue<string>();
        var clientFailures = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

        void OnChanged(TranslationStatus status)
        {
            long at = Interlocked.Increment(ref sequence);
            if (status.JobId is not string id || !inRound.Contains(id))
            {
                strays.Enqueue($"a status change for '{status.JobId ?? "(no job id)"}', not a job of round {round}");
                return;
            }

            delivered.GetOrAdd(id, _ => new ConcurrentQueue<Delivery>()).Enqueue(new Delivery(at, status));
        }

        void OnFinished(TranslationJobOutcome outcome)
        {
            long at = Interlocked.Increment(ref sequence);
            finished.GetOrAdd(outcome.JobId!, _ => new ConcurrentQueue<(long, TranslationJobOutcome)>()).Enqueue((at, outcome));
        }

        void OnProgress(TranslationWaitProgress progress)
        {
            if (progress.LastError is { } error)
            {
                string kind = error switch
                {
                    TranslationHttpException { StatusCode: 500 } => "http500",
                    TranslationHttpException { StatusCode: 503 } => "http503",
                    TranslationHttpException { StatusCode: 429 } => "http429",
                    TranslationConnectionException { IsTimeout: true } => "timeout",
                    TranslationConnectionException => "connection",
                    _ => "other",
                };
                clientFailures.AddOrUpdate(kind, 1, (_, n) => n + 1);
            }
        }

        var wait = Stopwatch.StartNew();
        string[][] shares = StrategyNames.Select((_, k) => ids.Where((_, i) => i % StrategyNames.Count == k).ToArray()).ToArray();
        IReadOnlyList<TranslationJobOutcome>[] outcomes = await Task.WhenAll(StrategyNames.Select((name, k) =>
            CoreUse.WaitForAllAsync(client, shares[k], CoreUse.Soak(name), maxWait, CoreUse.DefaultBatchLimit, cancellationToken, OnChanged, OnProgress, OnFinished)));
        double waitSeconds = wait.Elapsed.TotalSeconds;

        Dictionary<string, long> injectedAfter = await Simulator.GetInjectedFaultsAsync(http, cancellationToken);
        IReadOnlyDictionary<string, ServerJob> server = await Simulator.GetJobsAsync(http, ids, cancellationToken);

        var failures = new List<string>();
        int failureCount = 0;
        void Fail(string message)
        {
            failureCount++;
            if (failures.Count < 20)
            {
                failures.Add(message);
            }
        }

        foreach (string stray in strays)
        {
            Fail(stray);
        }

        int correct = 0, sequencesRight = 0, finishedOnce = 0, sawPending = 0, servedEarly = 0;
        double servedEarlyMaxMs = 0;
        long requests = 0;
        long serverAnswers = 0;
        for (int k = 0; k < shares.Length; k++)
        {
            if (outcomes[k].Count != shares[k].Length)
            {
                Fail($"{StrategyNames[k]}: WaitForAllAsync returned {outcomes[k].Count} outcomes for {shares[k].Length} jobs");
                continue;
            }

            for (int i = 0; i < shares[k].Length; i++)
            {
                string id = shares[k][i];
                TranslationJobOutcome outcome = outcomes[k][i];
                ServerJob job = server[id];
                serverAnswers += job.StatusRequests;
                if (job is { ResultFirstServedAt: DateTimeOffset served, CompletedAt: DateTimeOffset done } && served < done)
                {
                    servedEarly++;
                    servedEarlyMaxMs = Math.Max(servedEarlyMaxMs, (done - served).TotalMilliseconds);
                }
                string where = $"round {round}, {StrategyNames[k]}, job {id}";
                if (!string.Equals(outcome.JobId, id, StringComparison.Ordinal))
                {
                    Fail($"{where}: outcome {i} is for job {outcome.JobId}");
                    continue;
                }

                if (outcome.Result is not TranslationWaitResult result)
                {
                    Fail($"{where}: the wait ended with {outcome.Error?.GetType().Name}: {outcome.Error?.Message}");
                    continue;
                }

                requests += result.Attempts;
                if (string.Equals(result.State.ToString(), job.Outcome, StringComparison.OrdinalIgnoreCase) && job.CompletedAt is not null)
                {
                    correct++;
                }
                else
                {
                    Fail($"{where}: final state {result.State}, the server's outcome {job.Outcome} (completedAt {job.CompletedAt?.ToString("O") ?? "none"})");
                }

                Delivery[] changes = delivered.TryGetValue(id, out var queue) ? queue.ToArray() : [];
                if (CheckSequence(changes, result, job) is string wrong)
                {
                    Fail($"{where}: {wrong}");
                }
                else
                {
                    sequencesRight++;
                    if (changes[0].Status.State == TranslationState.Pending)
                    {
                        sawPending++;
                    }
                }

                (long Sequence, TranslationJobOutcome Outcome)[] calls = finished.TryGetValue(id, out var f) ? f.ToArray() : [];
                if (calls.Length != 1)
                {
                    Fail($"{where}: OnJobFinished called {calls.Length} times");
                }
                else if (!ReferenceEquals(calls[0].Outcome, outcome))
                {
                    Fail($"{where}: OnJobFinished reported another outcome than WaitForAllAsync returned ({calls[0].Outcome})");
                }
                else if (changes.Length > 0 && calls[0].Sequence < changes[^1].Sequence)
                {
                    Fail($"{where}: OnJobFinished came before the job's final status change");
                }
                else
                {
                    finishedOnce++;
                }
            }
        }

        foreach (string id in finished.Keys.Where(id => !inRound.Contains(id)))
        {
            Fail($"OnJobFinished for '{id}', not a job of round {round}");
        }

        var injected = injectedAfter.ToDictionary(p => p.Key, p => p.Value - injectedBefore.GetValueOrDefault(p.Key), StringComparer.Ordinal);
        return new SoakRound(
            round,
            jobs,
            createSeconds,
            waitSeconds,
            requests,
            serverAnswers,
            correct,
            sequencesRight,
            finishedOnce,
            sawPending,
            new SortedDictionary<string, long>(clientFailures, StringComparer.Ordinal),
            new SortedDictionary<string, long>(injected.Where(p => p.Value != 0).ToDictionary(), StringComparer.Ordinal),
            servedEarly,
            Math.Round(servedEarlyMaxMs, 2),
            new ResourceSample(0, 0, 0, 0, 0, 0, 0),
            failureCount,
            failures);
    }

    /// <summary>Null when the delivered changes are [pending?, final], each once, in order, and match the result; else why not.</summary>
    private static string? CheckSequence(Delivery[] changes, TranslationWaitResult result, ServerJob job)
    {
        string Seq() => "[" + string.Join(", ", changes.Select(c => c.Status.State)) + "]";
        if (changes.Length == 0)
        {
            return "no status change was delivered";
        }

        if (changes.Length > 2)
        {
            return $"{changes.Length} status changes delivered {Seq()}: a state was delivered twice";
        }

        TranslationStatus final = changes[^1].Status;
        if (!final.IsTerminal)
        {
            return $"changes {Seq()}: the final state was never delivered";
        }

        if (changes.Length == 2 && changes[0].Status.State != TranslationState.Pending)
        {
            return $"changes {Seq()}: two final states";
        }

        if (final.State != result.State || !string.Equals(final.State.ToString(), job.Outcome, StringComparison.OrdinalIgnoreCase))
        {
            return $"changes {Seq()}: the last delivered is not the result {result.State} / the server's outcome {job.Outcome}";
        }

        for (int i = 1; i < changes.Length; i++)
        {
            if (changes[i].Sequence <= changes[i - 1].Sequence || changes[i].Status.ObservedAt < changes[i - 1].Status.ObservedAt)
            {
                return $"changes {Seq()} delivered out of order";
            }
        }

        if (result.History.Count != changes.Length || result.History.Where((h, i) => !ReferenceEquals(h, changes[i].Status)).Any())
        {
            return $"changes {Seq()} differ from the result's history [{string.Join(", ", result.History.Select(h => h.State))}]";
        }

        return null;
    }

    /// <summary>After a forced, compacting full GC and the finalizers: sockets, threads, managed heap and RSS.</summary>
    private static ResourceSample Sample()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        SocketCounts sockets = ProcessMetrics.Sockets() ?? new SocketCounts(-1, -1, -1, -1);
        return new ResourceSample(
            sockets.All,
            sockets.TcpEstablished,
            sockets.TcpCloseWait,
            sockets.TcpOther,
            ProcessMetrics.ThreadCount(),
            Math.Round(GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0), 2),
            Math.Round(ProcessMetrics.ResidentBytes() / (1024.0 * 1024.0), 1),
            Math.Round(GC.GetGCMemoryInfo().TotalCommittedBytes / (1024.0 * 1024.0), 1),
            System.Runtime.JitInfo.GetCompiledMethodCount());
    }
}
