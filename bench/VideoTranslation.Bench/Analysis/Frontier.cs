namespace VideoTranslation.Bench.Analysis;

/// <summary>One schedule on the frontier: its mean requests per job and mean lateness, and its first check times.</summary>
public sealed record FrontierPoint(double Requests, double LatenessMs, IReadOnlyList<double> FirstChecksSeconds);

/// <summary>
/// The oracle frontier of one workload: for each mean number of requests per job, the least mean lateness that a
/// time-only schedule (fixed check times, the first at 0, as every wait of the core starts) can have when it knows
/// the true distribution of durations. Points are the lower convex hull; between two of them a schedule that picks
/// one of the two at random per job lies on the segment, so <see cref="LatenessAt"/> interpolates linearly.
/// </summary>
/// <param name="Sample">Durations drawn to stand for the distribution.</param>
/// <param name="GridPoints">Candidate check times (sample quantiles, an even and a geometric time grid).</param>
/// <param name="MinGapSeconds">No two checks closer than this (the client's MinimumPollInterval).</param>
public sealed record FrontierCurve(int Sample, int GridPoints, double MinGapSeconds, IReadOnlyList<FrontierPoint> Points)
{
    /// <summary>The least mean lateness at <paramref name="requests"/> per job; NaN below the fewest any schedule makes.</summary>
    public double LatenessAt(double requests)
    {
        if (Points.Count == 0 || double.IsNaN(requests) || requests < Points[0].Requests - 1e-9)
        {
            return double.NaN;
        }

        for (int i = 1; i < Points.Count; i++)
        {
            if (requests <= Points[i].Requests)
            {
                FrontierPoint a = Points[i - 1], b = Points[i];
                return a.LatenessMs + ((b.LatenessMs - a.LatenessMs) * (requests - a.Requests) / (b.Requests - a.Requests));
            }
        }

        return Points[^1].LatenessMs;
    }

    /// <summary>The fewest mean requests per job at a mean lateness of at most <paramref name="latenessMs"/>; NaN when the frontier never gets that low.</summary>
    public double RequestsAt(double latenessMs)
    {
        if (Points.Count == 0 || double.IsNaN(latenessMs) || latenessMs < Points[^1].LatenessMs - 1e-9)
        {
            return double.NaN;
        }

        if (latenessMs >= Points[0].LatenessMs)
        {
            return Points[0].Requests;
        }

        for (int i = 1; i < Points.Count; i++)
        {
            if (latenessMs >= Points[i].LatenessMs)
            {
                FrontierPoint a = Points[i - 1], b = Points[i];
                return a.Requests + ((b.Requests - a.Requests) * (a.LatenessMs - latenessMs) / (a.LatenessMs - b.LatenessMs));
            }
        }

        return Points[^1].Requests;
    }
}

/// <summary>
/// Computes <see cref="FrontierCurve"/>s by dynamic programming over candidate check times: for a price λ per request,
/// the schedule that minimises mean lateness + λ × mean requests is exact on the grid (a check at g_j after one at g_i
/// costs λ·P(d &gt; g_i) and adds E[(g_j − d); g_i &lt; d ≤ g_j]); sweeping λ traces the hull.
/// </summary>
internal static class Frontier
{
    private const int KeptChecks = 8;

    public static FrontierCurve Compute(IReadOnlyCollection<double> durations, int quantilePoints, int timePoints, double minGapSeconds, double maxRequests = 64)
    {
        ArgumentNullException.ThrowIfNull(durations);
        double[] d = durations.ToArray();
        Array.Sort(d);
        int n = d.Length;
        if (n == 0)
        {
            return new FrontierCurve(0, 0, minGapSeconds, []);
        }

        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + d[i];
        }

        // Candidate check times: 0, sample quantiles (dense where durations are), an even grid up to the 99.9th
        // percentile and a geometric one up to the longest duration (dense where the tail is thin: a tail checked
        // only coarsely would cost lateness that cheap checks avoid), and the longest (a check that sees every job done).
        var grid = new SortedSet<double> { 0, d[^1] };
        for (int k = 0; k <= quantilePoints; k++)
        {
            grid.Add(d[(int)Math.Round((double)k * (n - 1) / quantilePoints)]);
        }

        double q999 = d[(int)Math.Round(0.999 * (n - 1))];
        double low = Math.Max(d[0], 1e-3);
        for (int k = 1; k <= timePoints; k++)
        {
            grid.Add(q999 * k / timePoints);
            grid.Add(low * Math.Pow(d[^1] / low, (double)k / timePoints));
        }

        double[] g = grid.ToArray();
        int m = g.Length - 1;
        var f = new double[m + 1];
        var partial = new double[m + 1];
        for (int i = 0; i <= m; i++)
        {
            int below = UpperBound(d, g[i]);
            f[i] = (double)below / n;
            partial[i] = prefix[below] / n;
        }

        // The first candidate at least minGap after each one (the last check may always be taken).
        var firstNext = new int[m + 1];
        for (int i = 0, j = 1; i < m; i++)
        {
            j = Math.Max(j, i + 1);
            while (j < m && g[j] - g[i] < minGapSeconds)
            {
                j++;
            }

            firstNext[i] = j;
        }

        double mean = prefix[n] / n;
        var points = new List<FrontierPoint>();
        var value = new double[m + 1];
        var next = new int[m + 1];
        for (double exponent = 2; exponent >= -7; exponent -= 0.1)
        {
            double lambda = mean * Math.Pow(10, exponent);
            value[m] = 0;
            for (int i = m - 1; i >= 0; i--)
            {
                double survive = 1 - f[i];
                double best = double.PositiveInfinity;
                int bestJ = m;
                double fi = f[i], pi = partial[i];
                for (int j = firstNext[i]; j <= m; j++)
                {
                    double cost = (g[j] * (f[j] - fi)) - (partial[j] - pi) + value[j];
                    if (cost < best)
                    {
                        best = cost;
                        bestJ = j;
                    }
                }

                value[i] = best + (lambda * survive);
                next[i] = bestJ;
            }

            double requests = 1, lateness = 0;
            var checks = new List<double> { 0 };
            for (int i = 0; i < m;)
            {
                int j = next[i];
                requests += 1 - f[i];
                lateness += (g[j] * (f[j] - f[i])) - (partial[j] - partial[i]);
                if (checks.Count < KeptChecks)
                {
                    checks.Add(Math.Round(g[j], 4));
                }

                i = j;
            }

            points.Add(new FrontierPoint(requests, lateness * 1000, checks));
            if (requests > maxRequests)
            {
                break;
            }
        }

        return new FrontierCurve(n, g.Length, minGapSeconds, LowerHull(points));
    }

    // The lower convex hull of (requests, lateness), requests ascending and lateness descending.
    private static List<FrontierPoint> LowerHull(List<FrontierPoint> points)
    {
        var sorted = points.OrderBy(p => p.Requests).ThenBy(p => p.LatenessMs).ToList();
        var hull = new List<FrontierPoint>();
        foreach (FrontierPoint p in sorted)
        {
            if (hull.Count > 0 && p.LatenessMs >= hull[^1].LatenessMs)
            {
                continue; // more requests for no less lateness
            }

            while (hull.Count >= 2 && Cross(hull[^2], hull[^1], p) <= 0)
            {
                hull.RemoveAt(hull.Count - 1);
            }

            hull.Add(p);
        }

        return hull;
    }

    private static double Cross(FrontierPoint o, FrontierPoint a, FrontierPoint b) =>
        ((a.Requests - o.Requests) * (b.LatenessMs - o.LatenessMs)) - ((a.LatenessMs - o.LatenessMs) * (b.Requests - o.Requests));

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
