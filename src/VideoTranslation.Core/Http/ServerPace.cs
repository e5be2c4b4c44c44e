using System;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// A server's pace: after it answers 429 with <c>Retry-After</c>, every request to it from this client — every wait of a
/// batch, and creates — holds back until that time, so the batch slows to the server's pace instead of each wait
/// learning the limit on its own with a 429 of its own.
/// </summary>
internal sealed class ServerPace
{
    // A Retry-After above this is not believed for the whole client (the one wait that got it still honours it).
    private static readonly TimeSpan s_maxPause = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private long _resumeAtTicks; // UTC ticks; 0: never paused

    public ServerPace(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Records a 429's <c>Retry-After</c>, received at <paramref name="receivedAt"/>.</summary>
    public void Slow(TimeSpan retryAfter, DateTimeOffset receivedAt)
    {
        long resume = (receivedAt + (retryAfter < s_maxPause ? retryAfter : s_maxPause)).UtcTicks;
        long seen = Interlocked.Read(ref _resumeAtTicks);
        while (resume > seen)
        {
            long was = Interlocked.CompareExchange(ref _resumeAtTicks, resume, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>How long a request must hold back now; zero when the server is not pausing us.</summary>
    public TimeSpan Pause
    {
        get
        {
            long resume = Interlocked.Read(ref _resumeAtTicks);
            long now = _time.GetUtcNow().UtcTicks;
            return resume > now ? TimeSpan.FromTicks(resume - now) : TimeSpan.Zero;
        }
    }

    /// <summary>Holds back until the server's pause ends, or for <paramref name="notAfter"/> at most (a deadline's time left).</summary>
    public async ValueTask WaitAsync(TimeSpan? notAfter, CancellationToken cancellationToken)
    {
        TimeSpan pause = Pause;
        if (notAfter is TimeSpan limit && limit < pause)
        {
            pause = limit;
        }

        if (pause > TimeSpan.Zero)
        {
            await _time.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
