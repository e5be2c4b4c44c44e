using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VideoTranslation.Internal;

/// <content>A wait's check in the queue or in a group, and a group request.</content>
internal sealed partial class GroupHolds
{
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
