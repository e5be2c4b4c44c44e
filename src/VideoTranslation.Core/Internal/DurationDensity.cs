using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>
/// The distribution of durations behind a history of observations each known only to lie in an interval (the last
/// pending check to the final one): a histogram fitted by expectation–maximisation for interval-censored data, the
/// smoothed form of Turnbull's estimator. Exact observations (zero width) stay points (a histogram of them past
/// <see cref="Bins"/> of them).
/// </summary>
/// <remarks>
/// Spreading each observation evenly over its interval (the first guess, and what a single observation gives) is
/// biased: checks made at coarse times record wide intervals, and the spread puts mass where no job ended (below the
/// shortest duration, above the longest). Each round gives every observation's unit of mass to the bins of its
/// interval in proportion to how likely the current histogram makes them, so intervals that overlap sharpen each
/// other. Cost: 2 × <see cref="Bins"/> × observations × <see cref="Rounds"/> steps at most, and at most
/// 2 × <see cref="Bins"/> weighted intervals out, whatever the size of the history.
/// </remarks>
internal static class DurationDensity
{
    /// <summary>Equal bins over the range of the interval observations.</summary>
    public const int Bins = 192;

    /// <summary>
    /// Rounds of expectation–maximisation from the even spread: one sharpens overlapping intervals toward where they
    /// agree; more fit a small history to a few sharp peaks between which the plan then checks too seldom (measured:
    /// 3 and 8 rounds were later on the lognormal workload than 1, no better on the others).
    /// </summary>
    public const int Rounds = 1;

    /// <summary>The fitted distribution as weighted intervals (low, high, weight; weights add up to 1), and the steps it took.</summary>
    public static (double[] Low, double[] High, double[] Weight, long Work) Fit(double[] low, double[] high)
    {
        int n = low.Length;
        var points = new List<double>();
        var intervals = new List<int>();
        double min = double.MaxValue, max = 0;
        for (int k = 0; k < n; k++)
        {
            if (high[k] - low[k] <= 1e-9)
            {
                points.Add(low[k]);
            }
            else
            {
                intervals.Add(k);
                min = Math.Min(min, low[k]);
                max = Math.Max(max, high[k]);
            }
        }

        var outLow = new List<double>();
        var outHigh = new List<double>();
        var outWeight = new List<double>();
        if (points.Count <= Bins)
        {
            foreach (double p in points)
            {
                outLow.Add(p);
                outHigh.Add(p);
                outWeight.Add(1.0 / n);
            }
        }
        else
        {
            // Many exact durations: a histogram of them, so the planner's cost stays bounded by the bins.
            points.Sort();
            double from = points[0], step = (points[points.Count - 1] - from) / Bins;
            var counts = new int[Bins];
            foreach (double p in points)
            {
                counts[Math.Min(step > 0 ? (int)((p - from) / step) : 0, Bins - 1)]++;
            }

            for (int j = 0; j < Bins; j++)
            {
                if (counts[j] > 0)
                {
                    outLow.Add(from + (j * step));
                    outHigh.Add(j == Bins - 1 ? points[points.Count - 1] : from + ((j + 1) * step));
                    outWeight.Add((double)counts[j] / n);
                }
            }
        }

        long work = 0;
        if (intervals.Count > 0)
        {
            double width = (max - min) / Bins;
            var first = new int[intervals.Count];
            var cover = new double[intervals.Count][];
            var mass = new double[Bins];
            for (int i = 0; i < intervals.Count; i++)
            {
                // cover[i][b]: the share of bin first + b inside the interval, the chance of the interval given the bin.
                double a = low[intervals[i]], b = high[intervals[i]];
                int from = Math.Min(Math.Max((int)((a - min) / width), 0), Bins - 1);
                int to = Math.Min(Math.Max((int)Math.Ceiling((b - min) / width), from + 1), Bins);
                first[i] = from;
                cover[i] = new double[to - from];
                for (int j = from; j < to; j++)
                {
                    double lo = min + (j * width), hi = lo + width;
                    double inside = Math.Max(0, Math.Min(hi, b) - Math.Max(lo, a)) / width;
                    cover[i][j - from] = inside;
                    mass[j] += inside * width / (b - a) / intervals.Count; // the even spread
                }
            }

            var next = new double[Bins];
            for (int round = 0; round < Rounds; round++)
            {
                Array.Clear(next, 0, Bins);
                for (int i = 0; i < intervals.Count; i++)
                {
                    double[] c = cover[i];
                    double total = 0;
                    for (int j = 0; j < c.Length; j++)
                    {
                        total += mass[first[i] + j] * c[j];
                    }

                    if (total <= 0)
                    {
                        continue;
                    }

                    for (int j = 0; j < c.Length; j++)
                    {
                        next[first[i] + j] += mass[first[i] + j] * c[j] / total / intervals.Count;
                    }

                    work += 2 * c.Length;
                }

                (mass, next) = (next, mass);
            }

            double share = (double)intervals.Count / n;
            for (int j = 0; j < Bins; j++)
            {
                if (mass[j] > 1e-12)
                {
                    outLow.Add(min + (j * width));
                    outHigh.Add(j == Bins - 1 ? max : min + ((j + 1) * width));
                    outWeight.Add(mass[j] * share);
                }
            }
        }

        double sum = 0;
        foreach (double w in outWeight)
        {
            sum += w;
        }

        for (int j = 0; j < outWeight.Count; j++)
        {
            outWeight[j] /= sum;
        }

        return (outLow.ToArray(), outHigh.ToArray(), outWeight.ToArray(), work);
    }
}
