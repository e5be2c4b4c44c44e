using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// Issue 14 item 4: no outcome is ever lost or mistaken, whatever the batch size. Thousands of ids the server does not
/// know, among known ones, in group long-polls as large as the server allows: every id has exactly one outcome, each
/// unknown one its 404 (TranslationJobNotFound in PowerShell), each known one its result.
/// </summary>
public class BatchAccountingTests
{
    [Fact]
    public async Task Thousands_of_unknown_ids_among_known_ones_each_get_exactly_one_outcome_a_404_in_large_groups()
    {
        using var h = new Harness();
        h.Server.GroupMaxIds = 500;
        var known = Enumerable.Range(0, 200).Select(i => $"known-{i:D5}").ToArray();
        foreach (string id in known)
        {
            h.Server.Add(id, Sec(5));
        }

        // Ids as long as a real service's (a GUID and a prefix): a group's answer of 500 of them is over 64 KB.
        var unknown = Enumerable.Range(0, 2000).Select(i => $"no-such-job-{Guid.Empty.ToString().Replace("0", "7", StringComparison.Ordinal)}-{i:D5}").ToArray();
        var ids = unknown.Concat(known).OrderBy(id => id.GetHashCode(StringComparison.Ordinal)).ToArray();
        var targets = ids.Select(id => new TranslationJobTarget(h.Client, id)).ToArray();

        // Four holds: the 2,200 waits go out in groups of the server's 500.
        var outcomes = await h.WaitTargets(targets, Exact(new LongPollStrategy(fallback: new FixedStrategy(Sec(1)))), new TranslationBatchOptions { MaxHeldChecks = 4 });

        Assert.Contains(h.Server.GroupRequests, g => g.Ids.Length == 500);
        Assert.Equal(ids.Length, outcomes.Count);
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), outcomes.Select(o => o.JobId!).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(outcomes.Where(o => o.JobId!.StartsWith("no-such", StringComparison.Ordinal)), o =>
            Assert.Equal(404, Assert.IsType<TranslationHttpException>(o.Error).StatusCode));
        Assert.All(outcomes.Where(o => o.JobId!.StartsWith("known", StringComparison.Ordinal)), o => Assert.True(o.Succeeded, o.Error?.Message));
    }
}
