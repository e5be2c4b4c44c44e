using System;
using VideoTranslation.Internal;

namespace VideoTranslation;

/// <summary>
/// The settings of the named strategies (<see cref="PollingStrategy.Create"/>). <see cref="Interval"/>,
/// <see cref="Factor"/>, <see cref="MaxInterval"/> and <see cref="Jitter"/> shape the exponential backoff — the strategy
/// itself for Exponential, the last resort of the others — and <see cref="Interval"/> alone is Fixed's delay. Setters
/// validate and name the setting and value in their exception.
/// </summary>
public sealed class PollingStrategyOptions
{
    private TimeSpan _interval = ExponentialStrategy.Default.InitialInterval;
    private TimeSpan _maxInterval = ExponentialStrategy.Default.MaxInterval;
    private double _factor = ExponentialStrategy.Default.Factor;
    private double _jitter = ExponentialStrategy.Default.Jitter;
    private TimeSpan _maxHold = LongPollStrategy.DefaultMaxHold;

    /// <summary>Fixed's delay; the first delay of the exponential backoff. Positive, at most a day. Default 1 s.</summary>
    public TimeSpan Interval
    {
        get => _interval;
        set => _interval = Guard.PositiveDuration(value, nameof(Interval));
    }

    /// <summary>The cap of the exponential backoff; at least <see cref="Interval"/> when the strategy is made. Default 5 s.</summary>
    public TimeSpan MaxInterval
    {
        get => _maxInterval;
        set => _maxInterval = Guard.PositiveDuration(value, nameof(MaxInterval));
    }

    /// <summary>The growth of the exponential backoff per check, 1 to 100. Default 1.5.</summary>
    public double Factor
    {
        get => _factor;
        set => _factor = Guard.InRange(value, nameof(Factor), 1, 100);
    }

    /// <summary>The fraction by which each delay of the exponential backoff is randomly shortened, 0 to 1. Default 0.2.</summary>
    public double Jitter
    {
        get => _jitter;
        set => _jitter = Guard.InRange(value, nameof(Jitter), 0, 1);
    }

    /// <summary>The longest long-poll hold to ask for (Auto, LongPoll). Default 30 s.</summary>
    public TimeSpan MaxHold
    {
        get => _maxHold;
        set => _maxHold = Guard.PositiveDuration(value, nameof(MaxHold));
    }

    /// <summary>Where durations are learned (Auto, Learned); <see langword="null"/> for <see cref="DurationHistory.Shared"/>.</summary>
    public DurationHistory? History { get; set; }
}
