using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <summary>
/// A batch's held checks on one server, sent in groups (group long-poll): the waits that want a hold join a queue, and
/// the queue leaves as group requests of 16 ids (more, up to the server's <see cref="GroupCapability.MaxIds"/>, when the
/// holds would not suffice), each one hold
/// of the batch's <see cref="CheckBudget"/>. Each wait's check ends as its own held check would: when its job finishes,
/// when its own hold is over, or with a failure; the others of its group stay held and leave again at once, together.
/// </summary>
/// <remarks>
/// Waits that come while a group is out join the queue; the queue leaves at once (as many groups as holds are free),
/// except while it is deferred — a batch defers it through a burst of new jobs, and the end of a group's answer defers
/// it while its members take their answers, so the waits that come back at once leave together. Members are answered
/// inline (synchronous continuations), so the waits run on to their next check inside that deferral. A wait that
/// finds no hold free checks unheld, as it would without groups. One member's cancellation ends its part only; when a
/// group has no member left, its request is cancelled.
/// </remarks>
internal sealed partial class GroupHolds
{
    // A member whose hold ends this close to an answer takes it as the end of its hold (the wire has whole milliseconds,
    // rounded up, so a group's wait never ends before its shortest hold). A server whose timer fires early makes the
    // members whose hold is not quite over leave again for the rest: one more request, not one more check.
    private static readonly TimeSpan s_slack = TimeSpan.FromMilliseconds(1);

    // Every answer costs both ends work for each id of its group, and a group's members who finish meanwhile wait for
    // its next request: groups stay this small while the holds suffice, and grow (to the server's limit) when they do not.
    private const int PreferredGroupSize = 16;

    private readonly ServerConnection _server;
    private readonly CheckBudget _budget;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly LinkedList<Member> _queue = new();
    private int _deferrals;
    private int _awaitingProbe;

    public GroupHolds(ServerConnection server, CheckBudget budget, TimeProvider time)
    {
        _server = server;
        _budget = budget;
        _time = time;
    }

    /// <summary>False once the server is known not to offer group checks (then waits hold their own checks).</summary>
    /// <remarks>
    /// The first call asks the server; an answer that comes at once (or is known) decides this check already, so waits
    /// of a server without groups take their holds in order, as they would without this class. While the answer is
    /// coming, checks wait in the queue for it.
    /// </remarks>
    public bool IsOffered =>
        _budget.AllowsHolds && !_server.Groups.IsUnsupported && _server.Groups.TryGet(out _) is not { Capability: null };

    /// <summary>One held check of <paramref name="jobId"/> for up to <paramref name="hold"/>, in a group.</summary>
    public Task<GroupCheck> CheckAsync(string jobId, TimeSpan hold, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var member = new Member(jobId, _time.GetTimestamp(), hold);
        lock (_lock)
        {
            member.Node = _queue.AddLast(member);
        }

        if (cancellationToken.CanBeCanceled)
        {
            CancellationTokenRegistration registration = cancellationToken.Register(static state =>
            {
                var (holds, m, token) = ((GroupHolds, Member, CancellationToken))state!;
                holds.Leave(m, token);
            }, (this, member, cancellationToken));
            lock (_lock)
            {
                if (member.Finished)
                {
                    registration.Dispose();
                }
                else
                {
                    member.Registration = registration;
                }
            }
        }

        Pump();
        return member.Done.Task;
    }

    /// <summary>Holds the queue until <see cref="EndDefer"/>, so waits that come together leave together.</summary>
    public void BeginDefer()
    {
        lock (_lock)
        {
            _deferrals++;
        }
    }

    /// <summary>Ends a <see cref="BeginDefer"/>; the last one sends the queue.</summary>
    public void EndDefer()
    {
        lock (_lock)
        {
            _deferrals--;
        }

        Pump();
    }

    private void Pump()
    {
        List<Group>? groups = null;
        List<Member>? refused = null;
        GroupCheck refusal = default;
        Task? probing;
        lock (_lock)
        {
            if (_deferrals > 0 || _queue.Count == 0)
            {
                return;
            }
        }

        // Outside the lock: the first call sends the probe.
        GroupSupport.Probe? known = _server.Groups.TryGet(out probing);
        if (known is null && Interlocked.Exchange(ref _awaitingProbe, 1) != 0)
        {
            probing = null; // someone already waits for it
        }

        lock (_lock)
        {
            if (known is null || _deferrals > 0)
            {
                // The probe's answer (or the end of the deferral) pumps again.
            }
            else if (known.Capability is not { } capability)
            {
                refused = TakeAll();
                refusal = GroupCheck.Unsupported;
            }
            else
            {
                long now = _time.GetTimestamp();
                int holds = Math.Max(1, _budget.FreeHolds);
                int size = Math.Min(capability.MaxIds, Math.Max(PreferredGroupSize, (_queue.Count + holds - 1) / holds));
                while (_queue.Count > 0 && _budget.TryTakeHold())
                {
                    (groups ??= new List<Group>()).Add(Form(capability.MaxHold, size, now));
                }

                if (_queue.Count > 0)
                {
                    refused = TakeAll();
                    refusal = GroupCheck.NoHold;
                }
            }
        }

        if (probing is not null)
        {
            probing.ContinueWith(
                static (_, state) =>
                {
                    var holds = (GroupHolds)state!;
                    Volatile.Write(ref holds._awaitingProbe, 0);
                    holds.Pump();
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        foreach (Member member in refused ?? (IEnumerable<Member>)Array.Empty<Member>())
        {
            Finish(member, refusal);
        }

        foreach (Group group in groups ?? (IEnumerable<Group>)Array.Empty<Group>())
        {
            _ = SendAsync(group);
        }
    }

    // Under _lock: the first members of the queue, at most size, as one group asking the shortest hold left among them.
    private Group Form(TimeSpan maxHold, int size, long now)
    {
        var group = new Group { MaxHold = maxHold };
        while (_queue.Count > 0 && group.Members.Count < size)
        {
            Member member = _queue.First!.Value;
            _queue.RemoveFirst();
            member.Node = null;
            member.Group = group;
            group.Members.Add(member);
        }

        return Seal(group, now);
    }

    // Under _lock: the members of an answered group whose checks go on, as the next group, whole (never split), on the
    // same hold; null when they have all gone meanwhile.
    private Group? Regroup(Group answered, List<Member> survivors, long now)
    {
        var group = new Group { MaxHold = answered.MaxHold };
        foreach (Member member in survivors)
        {
            if (!member.Finished)
            {
                answered.Live--;
                member.Group = group;
                group.Members.Add(member);
            }
        }

        return group.Members.Count == 0 ? null : Seal(group, now);
    }

    // Under _lock.
    private Group Seal(Group group, long now)
    {
        TimeSpan wait = group.MaxHold;
        foreach (Member member in group.Members)
        {
            TimeSpan left = member.Left(_time.GetElapsedTime(member.Started, now), group.MaxHold);
            wait = left < wait ? left : wait;
        }

        group.Live = group.Members.Count;
        group.Wait = wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1);
        group.Ids = group.Members.ConvertAll(m => m.JobId);
        return group;
    }

    // Under _lock.
    private List<Member> TakeAll()
    {
        var all = new List<Member>(_queue);
        foreach (Member member in all)
        {
            member.Node = null;
        }

        _queue.Clear();
        return all;
    }

    private async Task SendAsync(Group group)
    {
        GroupAnswer? answer = null;
        GroupCheck failure = default;
        try
        {
            answer = await _server.CheckGroupAsync(group.Ids, group.Wait, group.Cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (group.Cancel.IsCancellationRequested)
        {
            // Every member has gone.
        }
        catch (TranslationHttpException ex) when (ex.StatusCode is 400 or 404 or 405 or 501)
        {
            // A server that does not know the route after all: each wait holds its own checks from now on.
            _server.Groups.MarkUnsupported();
            failure = GroupCheck.Unsupported;
        }
        catch (TranslationException ex)
        {
            failure = GroupCheck.Failed(ex); // each member's failure, transient or not, as its own check's would be
        }
        catch (Exception ex)
        {
            failure = GroupCheck.Crashed(ex);
        }

        // The members whose check goes on leave again first, so that what the answered waits do next (their callbacks,
        // their ends) never delays the others; those that come back at once then leave together.
        var answered = new List<(Member Member, GroupCheck Check)>();
        var survivors = new List<Member>();
        long now = _time.GetTimestamp();
        for (int i = 0; i < group.Members.Count; i++)
        {
            Member member = group.Members[i];
            if (answer is null)
            {
                answered.Add((member, failure));
                continue;
            }

            GroupItem item = answer.Items[i];
            if (item.Error is { } error)
            {
                answered.Add((member, GroupCheck.Failed(error)));
            }
            else if (item.Status!.IsTerminal || answer.LongPollLimit is not { } limit || member.Left(_time.GetElapsedTime(member.Started, now), limit) <= s_slack)
            {
                answered.Add((member, GroupCheck.Answered(item.Status)));
            }
            else
            {
                survivors.Add(member);
            }
        }

        Group? next;
        lock (_lock)
        {
            next = survivors.Count == 0 ? null : Regroup(group, survivors, now);
        }

        if (next is null)
        {
            _budget.ReleaseHold();
        }
        else
        {
            _ = SendAsync(next); // keeps the hold
        }

        BeginDefer();
        try
        {
            foreach ((Member member, GroupCheck check) in answered)
            {
                Finish(member, check);
            }
        }
        finally
        {
            group.Cancel.Dispose();
            EndDefer();
        }
    }
}
