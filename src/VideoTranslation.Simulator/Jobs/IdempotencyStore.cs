using System.Collections.Concurrent;

namespace VideoTranslation.Simulator.Jobs;

/// <summary>What a create with an Idempotency-Key does: run, replay the first answer, or be refused.</summary>
internal enum IdempotencyDecision
{
    /// <summary>A new key: run the create, then <see cref="IdempotencyStore.Complete"/> or <see cref="IdempotencyStore.Abandon"/>.</summary>
    Run,

    /// <summary>The key's first create succeeded with the same body: answer what it answered.</summary>
    Replay,

    /// <summary>The key's first create is still being handled (409 request_in_progress).</summary>
    InProgress,

    /// <summary>The key's first create succeeded with another body: HeyGen replays its answer all the same (and warns).</summary>
    Mismatch,
}

/// <summary>
/// Remembers creates by Idempotency-Key (scoped by the caller, e.g. to its route) for 24 hours of simulated time: the
/// request body's fingerprint and the first successful answer. A create that failed forgets its key, so the client can retry it with the same key.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider time)
{
    /// <summary>How long a key is remembered (HeyGen replays for 24 h).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public (IdempotencyDecision Decision, IResult? Answer) Begin(string key, string fingerprint)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            var fresh = new Entry(fingerprint, now, null);
            var entry = _entries.GetOrAdd(key, fresh);
            if (ReferenceEquals(entry, fresh))
            {
                SweepIfLarge(now);
                return (IdempotencyDecision.Run, null);
            }

            if (now - entry.CreatedAt >= Window)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                continue; // expired: the key is new again
            }

            if (entry.Answer is null)
            {
                return (IdempotencyDecision.InProgress, null);
            }

            return entry.Fingerprint == fingerprint
                ? (IdempotencyDecision.Replay, entry.Answer)
                : (IdempotencyDecision.Mismatch, entry.Answer);
        }
    }

    /// <summary>Keeps the successful answer of the create that began with <paramref name="key"/>.</summary>
    public void Complete(string key, IResult answer)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            _entries[key] = entry with { Answer = answer };
        }
    }

    /// <summary>Forgets a key whose create failed, so the same key can be retried.</summary>
    public void Abandon(string key) => _entries.TryRemove(key, out _);

    private void SweepIfLarge(DateTimeOffset now)
    {
        if (_entries.Count < 10_000)
        {
            return;
        }

        foreach (var pair in _entries.Where(p => now - p.Value.CreatedAt >= Window))
        {
            _entries.TryRemove(pair);
        }
    }

    private sealed record Entry(string Fingerprint, DateTimeOffset CreatedAt, IResult? Answer);
}
