using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoTranslation.Bench.Infrastructure;

namespace VideoTranslation.Bench.Sections;

/// <summary>One round of issue 14's soak: every id of the batch accounted for, each real job its outcome, each unknown id a 404.</summary>
/// <param name="BatchLimit">The batch's MaxConcurrency; MaxHeldChecks is the default 1,024.</param>
/// <param name="RealRight">Real jobs whose wait ended in the final state the server drew.</param>
/// <param name="UnknownNotFound">Unknown ids whose wait ended in the server's 404 (TranslationJobNotFound in PowerShell).</param>
public sealed record SoakHostileRound(
    string Name,
    int RealJobs,
    int UnknownIds,
    int BatchLimit,
    double WaitSeconds,
    int Outcomes,
    int RealRight,
    int UnknownNotFound,
    int FailureCount,
    IReadOnlyList<string> Failures)
{
    public bool EveryJobAccountedFor => FailureCount == 0 && Outcomes == RealJobs + UnknownIds && RealRight == RealJobs && UnknownNotFound == UnknownIds;
}

/// <summary>The hostile rounds, run by one client process under a lowered descriptor limit (<c>ulimit -n</c>) where bash is.</summary>
/// <param name="DescriptorLimit">The client's soft limit of open files as it read it (/proc/self/limits); null where unknown.</param>
public sealed record SoakHostileResult(int? DescriptorLimit, IReadOnlyList<SoakHostileRound> Rounds)
{
    public int FailureCount => Rounds.Sum(r => r.EveryJobAccountedFor ? 0 : Math.Max(1, r.FailureCount));
}

/// <summary>
/// Issue 14: after the soak's rounds, two more against the same faulty simulator, in a client process of their own
/// started as <c>bash -c 'ulimit -n N; exec dotnet …'</c>: ids that do not exist mixed among real jobs, and a batch
/// larger than the descriptor limit (each held check holds a socket: the soak's server holds checks one by one). 20,000
/// unknown ids under ulimit -n 1024 crashed the process before any outcome; now every id must be accounted for.
/// </summary>
internal static class SoakHostileRounds
{
    public const string Command = "soak-hostile-client";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Sizes: (real jobs, unknown ids) of the mixed round, jobs of the round above the limit, the limit.</summary>
    public static (int Real, int Unknown, int AboveLimit, int DescriptorLimit) Sizes(BenchSettings settings) =>
        settings.Mode == BenchMode.Full ? (1_000, 4_000, 2_000, 1_024) : (50, 150, 300, 256);

    /// <summary>Jobs the hostile rounds create on the simulator (for its MaxJobs).</summary>
    public static int JobsCreated(BenchSettings settings) => Sizes(settings) is var s ? s.Real + s.AboveLimit : 0;

    public static async Task<SoakHostileResult> RunAsync(Uri simulator, BenchSettings settings, CancellationToken cancellationToken)
    {
        (int real, int unknown, int above, int limit) = Sizes(settings);
        string I(double value) => value.ToString(CultureInfo.InvariantCulture);
        string[] arguments =
        [
            Command, "--url", simulator.AbsoluteUri, "--real", I(real), "--unknown", I(unknown), "--above-limit", I(above),
            "--request-timeout", I(settings.SoakRequestTimeoutSeconds), "--max-wait", I(settings.SoakMaxWaitSeconds),
        ];
        using ChildProcess child = File.Exists("/bin/bash")
            ? ChildProcess.StartProgram("The soak's hostile client", "/bin/bash", ["-c", $"ulimit -n {I(limit)} && exec \"$0\" \"$@\"", BuildPaths.Dotnet, BuildPaths.BenchDll, .. arguments])
            : ChildProcess.Start("The soak's hostile client", BuildPaths.BenchDll, arguments);
        string output = await child.WaitForExitAsync(TimeSpan.FromSeconds((2 * (settings.SoakMaxWaitSeconds + 60)) + 60), cancellationToken);
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return JsonSerializer.Deserialize<SoakHostileResult>(last, s_json)
            ?? throw new InvalidOperationException($"The soak's hostile client printed no result: {output}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The child process.

    public static async Task<int> RunClientAsync(Uri uri, int real, int unknown, int aboveLimit, double requestTimeoutSeconds, double maxWaitSeconds, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = new TranslationClient(uri, new TranslationClientOptions { RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds) });
        TimeSpan maxWait = TimeSpan.FromSeconds(maxWaitSeconds);
        SoakHostileRound mixed = await RoundAsync(client, uri, "unknown ids among real jobs", real, unknown, CoreUse.DefaultBatchLimit, maxWait, cancellationToken);
        await Console.Error.WriteLineAsync($"{mixed.Name}: {mixed.Outcomes} outcomes, {mixed.RealRight}/{mixed.RealJobs} right, {mixed.UnknownNotFound}/{mixed.UnknownIds} not found");
        SoakHostileRound above = await RoundAsync(client, uri, "a batch above the descriptor limit", aboveLimit, 0, aboveLimit, maxWait, cancellationToken);
        await Console.Error.WriteLineAsync($"{above.Name}: {above.Outcomes} outcomes, {above.RealRight}/{above.RealJobs} right");
        await output.WriteLineAsync(JsonSerializer.Serialize(new SoakHostileResult(ReadDescriptorLimit(), [mixed, above]), s_json));
        return 0;
    }

    private static async Task<SoakHostileRound> RoundAsync(
        TranslationClient client, Uri uri, string name, int real, int unknown, int batchLimit, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
        var realIds = new string[real];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, real),
            new ParallelOptions { MaxDegreeOfParallelism = CoreUse.DefaultBatchLimit, CancellationToken = cancellationToken },
            async (i, ct) => realIds[i] = (await client.CreateJobAsync(null, ct)).Id);

        // Unknown ids as long as real ones, spread evenly among them.
        var unknownIds = new HashSet<string>(Enumerable.Range(0, unknown).Select(i => $"no-such-job-{Guid.NewGuid():N}-{i}"), StringComparer.Ordinal);
        string[] ids = realIds.Concat(unknownIds).OrderBy(id => id, StringComparer.Ordinal).ToArray();

        var wait = Stopwatch.StartNew();
        IReadOnlyList<TranslationJobOutcome> outcomes = await CoreUse.WaitForAllAsync(client, ids, null, maxWait, batchLimit, cancellationToken);
        double waitSeconds = wait.Elapsed.TotalSeconds;
        IReadOnlyDictionary<string, ServerJob> server = await Simulator.GetJobsAsync(http, realIds, cancellationToken);

        var failures = new List<string>();
        int failureCount = 0, realRight = 0, notFound = 0;
        void Fail(string message)
        {
            failureCount++;
            if (failures.Count < 20)
            {
                failures.Add(message);
            }
        }

        if (outcomes.Count != ids.Length)
        {
            Fail($"{outcomes.Count} outcomes for {ids.Length} ids");
        }

        for (int i = 0; i < Math.Min(ids.Length, outcomes.Count); i++)
        {
            TranslationJobOutcome outcome = outcomes[i];
            string id = ids[i];
            if (outcome is null || !string.Equals(outcome.JobId, id, StringComparison.Ordinal))
            {
                Fail($"outcome {i} is for {outcome?.JobId ?? "nothing"}, not {id}");
            }
            else if (unknownIds.Contains(id))
            {
                if (outcome.Error is TranslationHttpException { StatusCode: 404 })
                {
                    notFound++;
                }
                else
                {
                    Fail($"unknown id {id}: {outcome.Result?.State.ToString() ?? outcome.Error?.GetType().Name}: {outcome.Error?.Message}");
                }
            }
            else if (outcome.Result is { } result && string.Equals(result.State.ToString(), server[id].Outcome, StringComparison.OrdinalIgnoreCase))
            {
                realRight++;
            }
            else
            {
                Fail($"job {id}: {outcome.Result?.State.ToString() ?? outcome.Error?.GetType().Name}, the server's outcome {server[id].Outcome}: {outcome.Error?.Message}");
            }
        }

        return new SoakHostileRound(name, real, unknown, batchLimit, Math.Round(waitSeconds, 2), outcomes.Count, realRight, notFound, failureCount, failures);
    }

    private static int? ReadDescriptorLimit()
    {
        try
        {
            string? line = File.Exists("/proc/self/limits") ? File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) : null;
            string[]? fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 0 } && int.TryParse(fields[0], CultureInfo.InvariantCulture, out int soft) ? soft : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
