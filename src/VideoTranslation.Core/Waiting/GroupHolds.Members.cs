using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <content>A wait's check in the queue or in a group, a group request, and how a member ends: answered or gone.</content>
internal sealed partial class GroupHolds
{
    private void Finish(Member member, GroupCheck check)
    {
        CancellationTokenRegistration registration;
        lock (_lock)
        {
            if (member.Finished)
            {
                return;
            }

            Detach(member);
            registration = member.Registration;
        }

        registration.Dispose();
        if (check.Kind == GroupCheckKind.Crashed)
        {
            member.Done.TrySetException(check.Exception!);
        }
        else
        {
            member.Done.TrySetResult(check.WithStart(member.Started));
        }
    }

    private void Leave(Member member, CancellationToken cancellationToken)
    {
        CancellationTokenSource? abandon = null;
        lock (_lock)
        {
            if (member.Finished)
            {
                return;
            }

            Group? group = member.Group;
            Detach(member);
            if (group is not null && group.Live == 0)
            {
                abandon = group.Cancel;
            }
        }

        member.Done.TrySetCanceled(cancellationToken);
        try
        {
            abandon?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The group's answer came meanwhile.
        }
    }

    // Under _lock.
    private void Detach(Member member)
    {
        member.Finished = true;
        if (member.Node is { } node)
        {
            _queue.Remove(node);
            member.Node = null;
        }

        if (member.Group is { } group)
        {
            group.Live--;
            member.Group = null;
        }
    }

    private sealed class Member
    {
        public Member(string jobId, long started, TimeSpan hold)
        {
            JobId = jobId;
            Started = started;
            Hold = hold;
        }

        public string JobId { get; }

        /// <summary>When the wait asked for the check: its hold counts from here.</summary>
        public long Started { get; }

        public TimeSpan Hold { get; }

        // Synchronous continuations: the wait runs on inline, inside the deferral of the answer (see the remarks).
        public TaskCompletionSource<GroupCheck> Done { get; } = new();

        public CancellationTokenRegistration Registration { get; set; }

        public LinkedListNode<Member>? Node { get; set; }

        public Group? Group { get; set; }

        public bool Finished { get; set; }

        /// <summary>The hold left after <paramref name="elapsed"/>, the hold being at most <paramref name="limit"/> (the server's).</summary>
        public TimeSpan Left(TimeSpan elapsed, TimeSpan limit) => (Hold < limit ? Hold : limit) - elapsed;
    }

    private sealed class Group
    {
        public List<Member> Members { get; } = new();

        public List<string> Ids { get; set; } = null!;

        public TimeSpan Wait { get; set; }

        /// <summary>The server's longest hold when the group was first formed.</summary>
        public TimeSpan MaxHold { get; set; }

        public int Live { get; set; }

        public CancellationTokenSource Cancel { get; } = new();
    }
}
