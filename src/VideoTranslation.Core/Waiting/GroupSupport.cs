using System;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// Whether one server offers group long-poll, asked once per client (<see cref="ServerConnection"/> has one of these)
/// and remembered: offered with its limits, or not offered for good (the service never does, the server says no, or a
/// group request was refused as unknown). A probe that failed transiently is asked again, at most once a second.
/// </summary>
internal sealed class GroupSupport
{
    private static readonly TimeSpan s_reprobeAfter = TimeSpan.FromSeconds(1);

    private readonly ServerConnection _server;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private Task<Probe>? _probe;
    private long _probedAt;
    private volatile bool _unsupported;

    public GroupSupport(ServerConnection server, TimeProvider time)
    {
        _server = server;
        _time = time;
    }

    /// <summary>Known not to offer group checks: waits hold their own checks from now on.</summary>
    public bool IsUnsupported => _unsupported;

    /// <summary>What is known now; when the answer is still coming, <paramref name="pending"/> completes when it has.</summary>
    public Probe? TryGet(out Task? pending)
    {
        pending = null;
        if (_unsupported)
        {
            return Probe.None;
        }

        TaskCompletionSource<Probe>? starting = null;
        Task<Probe> probe;
        lock (_lock)
        {
            if (_probe is null || (_probe.IsCompleted && _probe.Result.Failed && _time.GetElapsedTime(_probedAt) >= s_reprobeAfter))
            {
                _probedAt = _time.GetTimestamp();
                starting = new TaskCompletionSource<Probe>();
                _probe = starting.Task;
            }

            probe = _probe;
        }

        if (starting is not null)
        {
            _ = AskAsync(starting); // outside the lock: an answer that comes at once completes it here
        }

        if (probe.IsCompleted)
        {
            return probe.Result;
        }

        pending = probe;
        return null;
    }

    /// <summary>A group request was refused as unknown (404, 405, 400, 501): never again on this server.</summary>
    public void MarkUnsupported() => _unsupported = true;

    private async Task AskAsync(TaskCompletionSource<Probe> probe)
    {
        Probe result;
        try
        {
            GroupCapability? capability = await _server.GetGroupCapabilityAsync(CancellationToken.None).ConfigureAwait(false);
            result = capability is null ? Probe.None : new Probe(capability, failed: false);
        }
        catch (TranslationException ex) when (!ex.IsTransient)
        {
            // The original server has no /capabilities (404); any other definite refusal means the same.
            result = Probe.None;
        }
        catch (Exception)
        {
            // Transient (or the client went away): not now; asked again later.
            result = Probe.Later;
        }

        if (result == Probe.None)
        {
            _unsupported = true;
        }

        // The pause before asking again counts from the answer: counted from the question, a probe that took the
        // request timeout (a silent server) was asked again by the very pump it woke, and the waits queued for its
        // answer never left the queue (issue 14).
        lock (_lock)
        {
            _probedAt = _time.GetTimestamp();
        }

        probe.SetResult(result);
    }

    /// <summary>The answer of a probe.</summary>
    internal sealed class Probe
    {
        public static readonly Probe None = new(null, failed: false);

        public static readonly Probe Later = new(null, failed: true);

        public Probe(GroupCapability? capability, bool failed)
        {
            Capability = capability;
            Failed = failed;
        }

        /// <summary>The capability; <see langword="null"/>: not offered, or not known (<see cref="Failed"/>).</summary>
        public GroupCapability? Capability { get; }

        /// <summary>The probe failed transiently; the waits hold their own checks this time.</summary>
        public bool Failed { get; }
    }
}
