using VideoTranslation.Internal;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// DelayPolicy alone: the delay before the next check and the hold of the next check, as pure functions. No clock,
/// no server; every value exact. What a whole wait does with them is in WaitLoopTests, DeadlineTests and
/// PollingFloorAndRetryAfterTests.
/// </summary>
public class DelayPolicyTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    // Milliseconds in, milliseconds out; null: none (no failure, no Retry-After, no deadline).
    public static TheoryData<string, double, double, double, double?, double?, double?, double> Delays => new()
    {
        // The floor counts from the start of the last check.
        { "the strategy's delay above the floor", 2_000, 100, 0, null, null, null, 2_000 },
        { "the floor above the strategy's delay, after an instant answer", 10, 100, 0, null, null, null, 100 },
        { "the floor less the time the check took", 10, 100, 30, null, null, null, 70 },
        { "a check that took the whole floor needs only the strategy's delay", 10, 100, 100, null, null, null, 10 },
        { "a held check needs no more pause", 0, 100, 30_000, null, null, null, 0 },
        { "a held check longer than the floor, then the strategy's delay", 250, 100, 30_000, null, null, null, 250 },
        { "the floor as it stands when the check started at once", 0, 100, 0, null, null, null, 100 },

        // After a failure: the retry backoff's pause and a failed answer's Retry-After are floors too.
        { "the backoff above the strategy's delay", 1_000, 100, 0, 4_000, null, null, 4_000 },
        { "the strategy's delay above the backoff", 6_000, 100, 0, 4_000, null, null, 6_000 },
        { "the floor above the backoff", 0, 100, 0, 50, null, null, 100 },
        { "a failed answer's Retry-After above the backoff", 1_000, 100, 0, 500, 9_000, null, 9_000 },
        { "a failed answer's Retry-After below the backoff", 1_000, 100, 0, 5_000, 2_000, null, 5_000 },
        { "a Retry-After of zero changes nothing", 1_000, 100, 0, 500, 0, null, 1_000 },
        { "the backoff is not counted from the check's start", 0, 100, 3_000, 500, null, null, 500 },

        // Without a failure, the server's Retry-After is not the policy's business (the strategy weighs it).
        { "a Retry-After without a failure is ignored", 1_000, 100, 0, null, 9_000, null, 1_000 },

        // No sleep is longer than a day, whoever asks.
        { "a strategy asking for two days", 2 * 86_400_000.0, 100, 0, null, null, null, 86_400_000 },
        { "a backoff of two days", 0, 100, 0, 2 * 86_400_000.0, null, null, 86_400_000 },
        { "a Retry-After of a week", 0, 100, 0, 500, 7 * 86_400_000.0, null, 86_400_000 },
        { "exactly a day is kept", 86_400_000, 100, 0, null, null, null, 86_400_000 },

        // The deadline: the last check happens exactly at it.
        { "a delay past the deadline ends at it", 5_000, 100, 0, null, null, 1_234, 1_234 },
        { "a delay exactly to the deadline is kept", 5_000, 100, 0, null, null, 5_000, 5_000 },
        { "a delay before the deadline is kept", 5_000, 100, 0, null, null, 5_001, 5_000 },
        { "the floor past the deadline ends at it", 10, 100, 0, null, null, 40, 40 },
        { "a backoff past the deadline ends at it", 0, 100, 0, 4_000, 9_000, 2_500, 2_500 },
        { "the day cap, then the deadline", 2 * 86_400_000.0, 100, 0, null, null, 90_000_000, 86_400_000 },
        { "no time left: check now", 5_000, 100, 0, null, null, 0, 0 },
        { "the deadline has passed: check now, never a negative delay", 5_000, 100, 0, null, null, -3_000, 0 },
    };

    [Theory]
    [MemberData(nameof(Delays))]
    public void NextDelay(string why, double strategy, double floor, double sinceCheckStarted, double? failurePause, double? retryAfter, double? timeLeft, double expected)
    {
        TimeSpan delay = DelayPolicy.NextDelay(
            Ms(strategy),
            Ms(floor),
            Ms(sinceCheckStarted),
            failurePause is double p ? Ms(p) : null,
            retryAfter is double r ? Ms(r) : null,
            timeLeft is double t ? Ms(t) : null);

        Assert.True(Ms(expected) == delay, $"{why}: expected {expected} ms, got {delay.TotalMilliseconds} ms");
    }

    [Fact]
    public void NextDelay_is_exact_to_the_tick()
    {
        // 100 ms less 33.3333 ms, not rounded to milliseconds anywhere.
        TimeSpan since = TimeSpan.FromTicks(333_333);
        Assert.Equal(TimeSpan.FromTicks(1_000_000 - 333_333), DelayPolicy.NextDelay(TimeSpan.Zero, Ms(100), since, null, null, null));
        Assert.Equal(TimeSpan.FromTicks(1), DelayPolicy.NextDelay(Sec(5), Ms(100), TimeSpan.Zero, null, null, TimeSpan.FromTicks(1)));
    }

    public static TheoryData<string, double, double?, double> Holds => new()
    {
        { "no deadline: the strategy's hold", 30_000, null, 30_000 },
        { "no hold asked", 0, null, 0 },
        { "no hold asked, with a deadline", 0, 10_000, 0 },
        { "a negative hold is none", -5_000, null, 0 },
        { "a hold before the deadline", 30_000, 30_001, 30_000 },
        { "a hold exactly to the deadline", 30_000, 30_000, 30_000 },
        { "a hold past the deadline ends at it", 30_000, 12_345, 12_345 },
        { "no time left: no hold", 30_000, 0, 0 },
        { "the deadline has passed: no hold, never a negative one", 30_000, -1_000, 0 },
    };

    [Theory]
    [MemberData(nameof(Holds))]
    public void Hold(string why, double strategy, double? timeLeft, double expected)
    {
        TimeSpan hold = DelayPolicy.Hold(Ms(strategy), timeLeft is double t ? Ms(t) : null);

        Assert.True(Ms(expected) == hold, $"{why}: expected {expected} ms, got {hold.TotalMilliseconds} ms");
    }

    [Fact]
    public void The_day_cap_is_the_longest_duration_any_option_accepts()
    {
        Assert.Equal(Day, Guard.MaxDuration);
        Assert.Equal(Day, DelayPolicy.NextDelay(TimeSpan.MaxValue, Ms(100), TimeSpan.Zero, null, null, null));
    }
}
