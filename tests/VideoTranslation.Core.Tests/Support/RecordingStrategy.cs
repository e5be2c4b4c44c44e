namespace VideoTranslation.Tests.Support;

/// <summary>
/// A strategy that records every context the wait loop gives it; it sleeps <c>delay</c> (1 s unless told, unchecked so a
/// test can ask for what no built-in strategy allows), and asks for a hold of <c>hold</c>.
/// </summary>
public sealed class RecordingStrategy(TimeSpan? delay = null, TimeSpan? hold = null) : PollingStrategy
{
    public List<PollingContext> Holds { get; } = new();

    public List<PollingContext> Delays { get; } = new();

    public List<PollingContext> Completed { get; } = new();

    public override TimeSpan GetLongPollWait(PollingContext context)
    {
        Holds.Add(context);
        return hold ?? TimeSpan.Zero;
    }

    public override TimeSpan GetNextDelay(PollingContext context)
    {
        Delays.Add(context);
        return delay ?? TimeSpan.FromSeconds(1);
    }

    public override void OnWaitCompleted(PollingContext context) => Completed.Add(context);
}
