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
    private CheckPlan? _plan;
    private int _planChecks;

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
        Version++;
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

    /// <summary>How many plans were made: one per change of the history (or of the checks asked for) at most.</summary>
    public int PlansMade { get; private set; }

    /// <summary>Counts the changes, so that a plan made from a snapshot is kept only if nothing changed meanwhile.</summary>
    public long Version { get; private set; }

    /// <summary>The plan made since the last change for <paramref name="checks"/>, if any.</summary>
    public bool TryGetPlan(int checks, out CheckPlan? plan)
    {
        plan = _plan is not null && _planChecks == checks ? _plan : null;
        return plan is not null;
    }

    /// <summary>Each duration as its interval [mid − w/2, mid + w/2]: what <see cref="MakePlan"/> needs, copied.</summary>
    public (double[] Low, double[] High) Intervals()
    {
        var low = new double[Count];
        var high = new double[Count];
        int i = 0;
        foreach ((double seconds, double width) in InOrder())
        {
            low[i] = Math.Max(0, seconds - (width / 2));
            high[i] = seconds + (width / 2);
            i++;
        }

        return (low, high);
    }

    /// <summary>Keeps <paramref name="plan"/>, made from the snapshot of <paramref name="version"/>, unless the history changed since.</summary>
    public void Keep(long version, int checks, CheckPlan plan)
    {
        PlansMade++;
        if (version == Version)
        {
            _plan = plan;
            _planChecks = checks;
        }
    }

    // The least-lateness plan over the mixture of uniform intervals, within a mean of min(checks, ReferenceShare × the
    // reference backoff's) requests per job. Pure, and a few ms: made outside the history's lock.
    public static CheckPlan MakePlan(double[] low, double[] high, int checks)
    {
        (double[] binLow, double[] binHigh, double[] weight, long fitWork) = DurationDensity.Fit(low, high);
        double budget = Math.Min(checks, CheckPlanner.ReferenceShare * CheckPlanner.ReferenceRequests(binLow, binHigh, weight));
        CheckPlan plan = CheckPlanner.Make(binLow, binHigh, weight, budget, CheckPlanner.MinGapSeconds);
        return plan with { Work = plan.Work + fitWork };
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
}
