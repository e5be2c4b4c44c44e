using System;
using System.Globalization;

namespace VideoTranslation.Internal;

/// <summary>Option validation with messages that name the option and the rejected value.</summary>
internal static class Guard
{
    /// <summary>The longest single duration any option accepts; longer ones are almost certainly unit mistakes.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    public static TimeSpan PositiveDuration(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                $"{name} must be greater than zero and at most {Format(MaxDuration)}; it was {Format(value)}.");
        }

        return value;
    }

    public static double InRange(double value, string name, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and {2}; it was {3}.", name, min, max, value));
        }

        return value;
    }

    public static int InRange(int value, string name, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                name,
                value,
                string.Format(CultureInfo.InvariantCulture, "{0} must be between {1} and {2}; it was {3}.", name, min, max, value));
        }

        return value;
    }

    /// <summary>A count with its noun, singular for one: "1 check", "3 checks".</summary>
    public static string Count(int count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>Formats a duration the way a person reads it: "250 ms", "5 s", "00:10:00".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return "infinite";
        }

        if (value.Duration() < TimeSpan.FromSeconds(1))
        {
            return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
        }

        if (value.Duration() < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
        }

        return value.ToString("c", CultureInfo.InvariantCulture);
    }
}
