namespace VideoTranslation.Tests.Support;

/// <summary>A modelled job of a <see cref="FakeServer"/>.</summary>
public sealed class FakeJob
{
    internal int RequestCount;

    public FakeJob(string id, DateTimeOffset createdAt, TimeSpan duration, string outcome)
    {
        Id = id;
        CreatedAt = createdAt;
        Duration = duration;
        Outcome = outcome;
    }

    public string Id { get; }

    public DateTimeOffset CreatedAt { get; }

    public TimeSpan Duration { get; }

    public DateTimeOffset FinishAt => CreatedAt + Duration;

    public string Outcome { get; }

    /// <summary>The <c>etaSeconds</c> to report for the true time left; null (or returning null): no eta.</summary>
    public Func<TimeSpan, double?>? Eta { get; set; }

    /// <summary>Whether <see cref="Eta"/> goes into the body (else it only feeds <see cref="RetryAfter"/>).</summary>
    public bool EtaInBody { get; set; } = true;

    /// <summary>Whether pending answers carry <c>progress</c> (always the truth, 4 decimals, as the simulator's).</summary>
    public bool Progress { get; set; }

    /// <summary>Whether finished answers say when the job ended (<c>completedAt</c>, as the simulator's), at <see cref="FinishAt"/>.</summary>
    public bool SaysCompletedAt { get; set; }

    /// <summary>Whether pending answers carry <c>Retry-After</c>: the eta (else the truth) rounded up, at least 1.</summary>
    public bool RetryAfter { get; set; }

    /// <summary>Status requests this job answered.</summary>
    public int Requests => Volatile.Read(ref RequestCount);

    /// <summary>The pending answers this job served, oldest first.</summary>
    public IReadOnlyList<PendingAnswer> PendingAnswers
    {
        get
        {
            lock (this)
            {
                return Served.ToArray();
            }
        }
    }

    internal List<PendingAnswer> Served { get; } = new();

    /// <summary>When an answer first reported the final state.</summary>
    public DateTimeOffset? FirstServedFinal { get; set; }

    /// <summary>How late the final state was first served: when an answer first said so, minus when the job finished.</summary>
    public TimeSpan? Lateness => FirstServedFinal - FinishAt;

    public bool IsDone(DateTimeOffset now) => now >= FinishAt;

    /// <summary>The exact time left, as the simulator's eta with no noise and scale 1.</summary>
    public static Func<TimeSpan, double?> ExactEta => remaining => remaining.TotalSeconds;

    /// <summary>The time left times <paramref name="scale"/> (the simulator's <c>Hints:EtaScale</c>).</summary>
    public static Func<TimeSpan, double?> ScaledEta(double scale) => remaining => remaining.TotalSeconds * scale;

    /// <summary>The time left times (1 + sigma·N(0, 1)), at least 0 (the simulator's <c>Hints:EtaNoise</c>).</summary>
    public static Func<TimeSpan, double?> NoisyEta(Random random, double sigma) => remaining =>
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Max(0, remaining.TotalSeconds * (1 + (sigma * z)));
    };

    /// <summary>The same eta whatever the truth.</summary>
    public static Func<TimeSpan, double?> ConstantEta(double seconds) => _ => seconds;

    /// <summary>The given etas, one per pending answer, whatever the truth; then the last one again.</summary>
    public static Func<TimeSpan, double?> ScriptedEta(params double[] seconds)
    {
        int next = 0;
        return _ => seconds[Math.Min(next++, seconds.Length - 1)];
    }
}

/// <summary>A pending answer as served: when, and the <c>etaSeconds</c> in its body (null: none).</summary>
public sealed record PendingAnswer(DateTimeOffset At, double? EtaSeconds);
