namespace VideoTranslation.Bench.Analysis;

/// <summary>Where one strategy sits against the frontier: the frontier's lateness at its requests, and its requests at its lateness.</summary>
/// <param name="Basis">measured (this run's jobs) or distribution (the loop computed on the frontier's sample).</param>
/// <param name="UsesServerHelp">Reads hints or long-polls: knows more than a time-only schedule, so the frontier does not bound it.</param>
public sealed record ParetoPosition(
    string Name,
    RowKind Kind,
    string Basis,
    bool UsesServerHelp,
    double Requests,
    double LatenessMs,
    double FrontierLatenessMs,
    double LatenessOverFrontier,
    double FrontierRequests,
    double ExtraRequests);

/// <summary>
/// Can one strategy dominate both originals (at most the fewer of their requests and at most the lower of their
/// latenesses)? Only if the frontier at that many requests is at most that lateness.
/// </summary>
public sealed record DominanceCheck(string Basis, double MaxRequests, double MaxLatenessMs, double FrontierLatenessMs, double FrontierRequests, bool Feasible);

public sealed record ParetoAnalysis(FrontierCurve Frontier, IReadOnlyList<ParetoPosition> Positions, DominanceCheck Distribution, DominanceCheck? Measured);

internal static class Pareto
{
    public static ParetoPosition Position(FrontierCurve frontier, string name, RowKind kind, string basis, double requests, double latenessMs)
    {
        ArgumentNullException.ThrowIfNull(frontier);
        double atRequests = frontier.LatenessAt(requests);
        double atLateness = frontier.RequestsAt(latenessMs);
        bool help = kind is RowKind.AdaptiveAccurate or RowKind.AdaptiveNoisy or RowKind.LongPoll;
        return new ParetoPosition(name, kind, basis, help, requests, latenessMs, atRequests, latenessMs / atRequests, atLateness, requests - atLateness);
    }

    public static DominanceCheck Dominance(FrontierCurve frontier, string basis, (double Requests, double LatenessMs) fixedLoop, (double Requests, double LatenessMs) exponentialLoop)
    {
        ArgumentNullException.ThrowIfNull(frontier);
        double requests = Math.Min(fixedLoop.Requests, exponentialLoop.Requests);
        double lateness = Math.Min(fixedLoop.LatenessMs, exponentialLoop.LatenessMs);
        double best = frontier.LatenessAt(requests);
        return new DominanceCheck(basis, requests, lateness, best, frontier.RequestsAt(lateness), best <= lateness);
    }
}

/// <summary>The original client's two loops with instant answers: check at 0, sleep, check, … until the job is done.</summary>
internal static class OriginalLoops
{
    public static Func<int, double> Fixed(double scale) => _ => scale;

    public static Func<int, double> Exponential(double scale) => attempt => Math.Min(scale * Math.Pow(2, attempt - 1), 60 * scale);

    /// <summary>Requests and lateness (ms) per job, in the order of <paramref name="delays"/>.</summary>
    public static (double[] Requests, double[] LatenessMs) Run(IReadOnlyList<double> delays, Func<int, double> delayAfterAttempt)
    {
        ArgumentNullException.ThrowIfNull(delays);
        ArgumentNullException.ThrowIfNull(delayAfterAttempt);
        var requests = new double[delays.Count];
        var lateness = new double[delays.Count];
        for (int k = 0; k < delays.Count; k++)
        {
            double t = 0;
            int attempts = 1;
            while (t < delays[k])
            {
                t += delayAfterAttempt(attempts);
                attempts++;
            }

            requests[k] = attempts;
            lateness[k] = (t - delays[k]) * 1000;
        }

        return (requests, lateness);
    }
}
