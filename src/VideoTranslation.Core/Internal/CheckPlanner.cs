using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>
/// A plan of check times for one server: <see cref="Checks"/> after the first check at 0, the last one at the longest
/// duration seen, then a capped geometric tail. Made by <see cref="CheckPlanner.Make"/>.
/// </summary>
/// <param name="Checks">Planned check times in seconds from the start of a wait, ascending, after the check at 0.</param>
/// <param name="ExpectedRequests">Mean requests per job over the history's distribution, the check at 0 included.</param>
/// <param name="ExpectedLateness">Mean seconds from a job's end to the check that sees it, over the history's distribution.</param>
/// <param name="Budget">The mean requests per job the plan was allowed.</param>
/// <param name="TailCap">The largest gap past the last planned check: the longest end seen (so at least the history's
/// spread and the plan's largest gap). A job k times longer than any seen is then at most one longest duration
/// late (1/k of its own) and costs about k checks more: lateness bounded, checks growing only linearly.</param>
/// <param name="Work">Inner steps of the dynamic programme that made it (bounded by the grid's size, not by the history's).</param>
internal sealed record CheckPlan(double[] Checks, double ExpectedRequests, double ExpectedLateness, double Budget, double TailCap, long Work)
{
    /// <summary>
    /// Gaps past the last planned check start at the last planned gap and grow by this factor up to <see cref="TailCap"/>:
    /// a job longer than any seen is found with a lateness of at most half its overrun past the plan (until the cap),
    /// in a few checks more than doubling would take (measured: doubling was later on the lognormal workload, whose
    /// jobs past a small history's longest are a few in a hundred).
    /// </summary>
    public const double TailFactor = 1.5;

    /// <summary>
    /// The check after the one just made at <paramref name="elapsed"/> seconds, at least <paramref name="minStep"/>
    /// later: planned, or on the tail. The check just made counts as the planned one nearest to it, so a wait whose
    /// earlier checks followed an older plan (the history changed meanwhile) does not add a check at each slightly
    /// moved point of the new one.
    /// </summary>
    public double Next(double elapsed, double minStep)
    {
        double due = elapsed + minStep;
        int at = Array.BinarySearch(Checks, due);
        at = at >= 0 ? at : ~at;
        if (at < Checks.Length && Checks[at] - elapsed < (Checks[at] - (at > 0 ? Checks[at - 1] : 0)) / 2)
        {
            at++; // nearer to this point than to the one before: this point's check is the one just made
        }

        if (at < Checks.Length)
        {
            return Checks[at];
        }

        // The tail: gaps gap0·1.5, gap0·1.5², … up to the cap, then the cap: the geometric phase walked (a few dozen
        // steps at most), the capped phase in closed form, so a wait a day past the plan costs no long loop.
        double last = Checks[^1];
        double gap = Math.Max(Checks.Length > 1 ? last - Checks[^2] : last, minStep);
        double cap = Math.Max(TailCap, minStep);
        double t = last;
        while (gap < cap)
        {
            gap = Math.Min(gap * TailFactor, cap);
            t += gap;
            if (t >= due)
            {
                return t;
            }
        }

        return t + (cap * Math.Ceiling((due - t) / cap));
    }
}

/// <summary>
/// The least-lateness check schedule within a request budget over the distribution of a history of durations, each
/// spread evenly over the interval it was seen to end in: the dynamic programme of the benchmark's oracle frontier,
/// on a bounded grid of candidate times.
/// </summary>
/// <remarks>
/// <para>For a price λ per request, the schedule minimising E[lateness] + λ·E[requests] is exact on the grid: a check
/// at g_j after one at g_i costs λ·P(d &gt; g_i) and adds E[g_j − d; g_i &lt; d ≤ g_j]. The requests of the optimum fall
/// as λ grows, so bisection on log λ finds the least λ whose plan keeps within the budget: the frontier's point there.</para>
/// <para>Cost: the grid has at most <see cref="QuantilePoints"/> + <see cref="EvenPoints"/> + 2 candidates whatever
/// the history's size, the programme is O(grid²) per λ and the bisection takes <see cref="Bisections"/> steps, so a plan
/// takes a few milliseconds at most; the distribution at the grid costs O(grid × history).</para>
/// </remarks>
internal static class CheckPlanner
{
    /// <summary>Candidates at the quantiles k/128 of the history's distribution (dense where jobs end).</summary>
    public const int QuantilePoints = 128;

    /// <summary>Candidates evenly spaced up to the longest duration (dense where the tail is thin).</summary>
    public const int EvenPoints = 64;

    /// <summary>Steps of the bisection on log λ: λ from 10⁻⁶ to 10² × the mean duration, to a factor of 1.0000004.</summary>
    public const int Bisections = 40;

    /// <summary>A plan keeps within this share of the reference backoff's mean requests, room for a history that is a small, coarse sample.</summary>
    public const double ReferenceShare = 0.9;

    /// <summary>No two planned checks closer than this: the client's default MinimumPollInterval, as in the benchmark's frontier.</summary>
    public const double MinGapSeconds = 0.1;

    /// <summary>The reference backoff the budget is measured on: 1 s, then gaps doubling (1, 3, 7, 15 … s) up to 60 s.</summary>
    public static double ReferenceRequests(double[] low, double[] high, double[] weight)
    {
        double end = 0;
        foreach (double h in high)
        {
            end = Math.Max(end, h);
        }

        double requests = 1, t = 0, gap = 1;
        while (true)
        {
            double survive = 1 - Cdf(low, high, weight, t);
            if (t >= end || survive <= 1e-12)
            {
                return requests;
            }

            requests += survive;
            t += gap;
            gap = Math.Min(gap * 2, 60);
        }
    }

    /// <summary>The plan for durations spread over [low_k, high_k], at most <paramref name="budget"/> mean requests per job when any plan is.</summary>
    /// <param name="low">Earliest ends, seconds, ≥ 0.</param>
    /// <param name="high">Latest ends, seconds, ≥ <paramref name="low"/>; at least one positive.</param>
    /// <param name="weight">The share of jobs in each interval; they add up to 1.</param>
    /// <param name="budget">Mean requests per job allowed, the check at 0 included.</param>
    /// <param name="minGap">No two planned checks closer than this, seconds (the last may always be taken).</param>
    public static CheckPlan Make(double[] low, double[] high, double[] weight, double budget, double minGap)
    {
        double[] g = Grid(low, high, weight);
        int m = g.Length - 1;
        var f = new double[m + 1];
        var partial = new double[m + 1];
        double mean = 0;
        for (int k = 0; k < low.Length; k++)
        {
            mean += weight[k] * (low[k] + high[k]) / 2;
        }

        for (int i = 0; i <= m; i++)
        {
            (f[i], partial[i]) = CdfAndPartial(low, high, weight, g[i]);
        }

        f[m] = 1; // the longest end seen: every job of the history is done
        partial[m] = mean;
        var firstNext = new int[m + 1];
        for (int i = 0, j = 1; i < m; i++)
        {
            j = Math.Max(j, i + 1);
            while (j < m && g[j] - g[i] < minGap)
            {
                j++;
            }

            firstNext[i] = j;
        }

        var programme = new Programme(g, f, partial, firstNext);
        double lo = Math.Log(mean * 1e-6), hi = Math.Log(mean * 1e2);
        Solution best = programme.Solve(Math.Exp(hi));
        if (best.Requests <= budget)
        {
            // Bisection for the least price that keeps within the budget.
            for (int step = 0; step < Bisections; step++)
            {
                double mid = (lo + hi) / 2;
                Solution s = programme.Solve(Math.Exp(mid));
                if (s.Requests <= budget)
                {
                    best = s;
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }
        }

        // Past the plan the gap is capped at the longest end seen (the last planned check).
        return new CheckPlan(best.Checks, best.Requests, best.Lateness, budget, best.Checks[best.Checks.Length - 1], programme.Work);
    }

    // 0, the quantiles k/QuantilePoints, an even grid up to the longest end and the longest end itself, sorted, distinct.
    private static double[] Grid(double[] low, double[] high, double[] weight)
    {
        double min = double.MaxValue, max = 0;
        for (int k = 0; k < low.Length; k++)
        {
            min = Math.Min(min, low[k]);
            max = Math.Max(max, high[k]);
        }

        var grid = new List<double>(QuantilePoints + EvenPoints + 2) { 0, max };
        for (int k = 1; k <= EvenPoints; k++)
        {
            grid.Add(max * k / EvenPoints);
        }

        for (int k = 1; k < QuantilePoints; k++)
        {
            grid.Add(Quantile(low, high, weight, min, max, (double)k / QuantilePoints));
        }

        grid.Sort();
        var distinct = new List<double>(grid.Count);
        foreach (double t in grid)
        {
            if (t <= max && (distinct.Count == 0 || t - distinct[^1] > 1e-9))
            {
                distinct.Add(t);
            }
        }

        if (distinct[^1] < max)
        {
            distinct[^1] = max;
        }

        return distinct.ToArray();
    }

    // The least t with P(d ≤ t) ≥ share, by bisection (50 halvings of at most a day: far below a microsecond).
    private static double Quantile(double[] low, double[] high, double[] weight, double min, double max, double share)
    {
        double a = min, b = max;
        for (int step = 0; step < 50; step++)
        {
            double t = (a + b) / 2;
            if (Cdf(low, high, weight, t) < share)
            {
                a = t;
            }
            else
            {
                b = t;
            }
        }

        return b;
    }

    private static double Cdf(double[] low, double[] high, double[] weight, double t) => CdfAndPartial(low, high, weight, t).Cdf;

    // P(d ≤ t) and E[d; d ≤ t] for the mixture of uniforms on [low_k, high_k] with weights weight_k (points where low = high).
    private static (double Cdf, double Partial) CdfAndPartial(double[] low, double[] high, double[] weight, double t)
    {
        double cdf = 0, partial = 0;
        for (int k = 0; k < low.Length; k++)
        {
            double a = low[k], b = high[k];
            if (t >= b)
            {
                cdf += weight[k];
                partial += weight[k] * (a + b) / 2;
            }
            else if (t > a)
            {
                double share = (t - a) / (b - a);
                cdf += weight[k] * share;
                partial += weight[k] * share * (a + t) / 2;
            }
        }

        return (cdf, partial);
    }

    private readonly record struct Solution(double[] Checks, double Requests, double Lateness);

    private sealed class Programme(double[] g, double[] f, double[] partial, int[] firstNext)
    {
        private readonly double[] _value = new double[g.Length];
        private readonly int[] _next = new int[g.Length];

        public long Work { get; private set; }

        public Solution Solve(double lambda)
        {
            int m = g.Length - 1;
            _value[m] = 0;
            for (int i = m - 1; i >= 0; i--)
            {
                double best = double.PositiveInfinity;
                int bestJ = m;
                double fi = f[i], pi = partial[i];
                for (int j = firstNext[i]; j <= m; j++)
                {
                    double cost = (g[j] * (f[j] - fi)) - (partial[j] - pi) + _value[j];
                    if (cost < best)
                    {
                        best = cost;
                        bestJ = j;
                    }
                }

                Work += m + 1 - firstNext[i];
                _value[i] = best + (lambda * (1 - fi));
                _next[i] = bestJ;
            }

            double requests = 1, lateness = 0;
            var checks = new List<double>();
            for (int i = 0; i < m;)
            {
                int j = _next[i];
                requests += 1 - f[i];
                lateness += (g[j] * (f[j] - f[i])) - (partial[j] - partial[i]);
                checks.Add(g[j]);
                i = j;
            }

            return new Solution(checks.ToArray(), requests, lateness);
        }
    }
}
