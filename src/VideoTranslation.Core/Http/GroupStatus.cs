using System;
using System.Collections.Generic;

namespace VideoTranslation.Internal;

/// <summary>What a server offers for checking many jobs in one held request (group long-poll).</summary>
internal sealed class GroupCapability
{
    public GroupCapability(int maxIds, TimeSpan maxHold)
    {
        MaxIds = maxIds;
        MaxHold = maxHold;
    }

    /// <summary>The most job ids one group request may list.</summary>
    public int MaxIds { get; }

    /// <summary>The longest hold the server honours for a group request.</summary>
    public TimeSpan MaxHold { get; }
}

/// <summary>One job's part of a group answer: its status, or the failure that is that job's alone (an unknown id).</summary>
internal readonly struct GroupItem
{
    public GroupItem(TranslationStatus? status, TranslationException? error)
    {
        Status = status;
        Error = error;
    }

    public TranslationStatus? Status { get; }

    public TranslationException? Error { get; }
}

/// <summary>A 2xx answer to a group status request as its <see cref="TranslationService"/> read it.</summary>
internal sealed class GroupAnswer
{
    public GroupAnswer(IReadOnlyList<GroupItem> items, TimeSpan? longPollLimit)
    {
        Items = items;
        LongPollLimit = longPollLimit;
    }

    /// <summary>One item per id asked, in the order asked.</summary>
    public IReadOnlyList<GroupItem> Items { get; }

    /// <summary>The longest hold the server honours (<c>X-Long-Poll-Max</c>); <see langword="null"/> when it offers none.</summary>
    public TimeSpan? LongPollLimit { get; }
}
