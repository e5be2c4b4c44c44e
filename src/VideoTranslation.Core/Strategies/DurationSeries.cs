using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>A ring of the most recent durations and their uncertainties, with the sorted copy and the plan made once per change.</summary>
internal sealed class DurationSeries
{
    private readonly double[] _ring;
    private readonly double[] _widths;
    private int _next;
    private double[]? _sorted;
    private double[]? _plan;

    public DurationSeries(int capacity)
    {
        _ring = new double[capacity];
        _widths = new double[capacity];
    }

    public int Count { get; private set; }

    public void Add(double seconds, double width)
    {
        _ring[_next] = seconds;
        _widths[_next] = width;
        _next = (_next + 1) % _ring.Length;
        if (Count < _ring.Length)
        {
            Count++;
        }

        _sorted = null;
        _plan = null;
    }

    public double[] Sorted()
    {
        if (_sorted is null)
        {
            var copy = new double[Count];
            int i = 0;
            foreach ((double seconds, double _) in InOrder())
            {
                copy[i++] = seconds;
            }

            Array.Sort(copy);
            _sorted = copy;
        }

        return _sorted;
    }

    // [q(1/n), …, q(n/n) = latest end]: quantiles of the mixture of uniform intervals [mid − w/2, mid + w/2].
    public double[] Plan(int checks)
    {
        if (_plan is not null && _plan.Length == checks)
        {
            return _plan;
        }

        var low = new double[Count];
        var high = new double[Count];
        int i = 0;
        foreach ((double seconds, double width) in InOrder())
        {
            low[i] = Math.Max(0, seconds - (width / 2));
            high[i] = seconds + (width / 2);
            i++;
        }

        double min = double.MaxValue, max = 0;
        for (int j = 0; j < Count; j++)
        {
            min = Math.Min(min, low[j]);
            max = Math.Max(max, high[j]);
        }

        var plan = new double[checks];
        for (int k = 1; k <= checks; k++)
        {
            double share = (double)k / checks;
            if (k == checks)
            {
                plan[k - 1] = max;
                continue;
            }

            // Bisection on the mixture's CDF: 50 halvings of at most a day is far below a millisecond.
            double a = min, b = max;
            for (int step = 0; step < 50; step++)
            {
                double t = (a + b) / 2;
                if (Cdf(low, high, t) < share)
                {
                    a = t;
                }
                else
                {
                    b = t;
                }
            }

            plan[k - 1] = b;
        }

        _plan = plan;
        return plan;
    }

    public IEnumerable<(double Seconds, double Width)> InOrder()
    {
        int start = Count < _ring.Length ? 0 : _next;
        for (int i = 0; i < Count; i++)
        {
            int at = (start + i) % _ring.Length;
            yield return (_ring[at], _widths[at]);
        }
    }

    private static double Cdf(double[] low, double[] high, double t)
    {
        double sum = 0;
        for (int j = 0; j < low.Length; j++)
        {
            if (t >= high[j])
            {
                sum += 1;
            }
            else if (t > low[j])
            {
                sum += (t - low[j]) / (high[j] - low[j]);
            }
        }

        return sum / low.Length;
    }
}
