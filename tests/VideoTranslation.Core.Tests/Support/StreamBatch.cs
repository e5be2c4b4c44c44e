namespace VideoTranslation.Tests.Support;

/// <summary>
/// <see cref="TranslationBatch.WaitAllAsync(IAsyncEnumerable{TranslationJobTarget}, TranslationWaitOptions?, TranslationBatchOptions?, CancellationToken)"/>
/// over a <see cref="JobFeed"/>, consumed by the test one outcome at a time as an <c>await foreach</c> would, on a
/// harness's fake clock: the test sees each outcome, then decides what to add, whether to go on, or to leave.
/// </summary>
public sealed class StreamBatch
{
    private readonly JobFeed _input;
    private readonly BatchDriver _driver;
    private readonly IAsyncEnumerator<TranslationJobOutcome> _outcomes;
    private Task<bool>? _move;

    internal StreamBatch(Harness harness, JobFeed input, TranslationWaitOptions? options, TranslationBatchOptions? batch, int? slots, CancellationToken cancellationToken)
    {
        batch ??= new TranslationBatchOptions();
        _input = input;

        // Fake time moves only once the input has been taken and an outcome asked for has been handed over.
        _driver = new BatchDriver(
            harness,
            () => input.Taken,
            slots ?? batch.MaxConcurrency,
            batch,
            () => (input.Queued == 0 || input.Disposed) && (_move is not { IsCompleted: false } || Finished <= Outcomes.Count));
        _outcomes = TranslationBatch.WaitAllAsync(input, options, batch, cancellationToken).GetAsyncEnumerator(CancellationToken.None); // the token is the batch's
        Ask();
    }

    /// <summary>The outcomes the test has been handed, in order.</summary>
    public List<TranslationJobOutcome> Outcomes { get; } = new();

    /// <summary>Jobs whose end the batch has reported (OnJobFinished), handed over or not.</summary>
    public int Finished => _driver.Finished;

    /// <summary>
    /// Asks for the next outcome without moving fake time (the batch starts at the first ask, which the constructor
    /// makes); the ask in progress if there is one.
    /// </summary>
    public Task<bool> Ask()
    {
        if (_move is null)
        {
            var prior = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                _move = _outcomes.MoveNextAsync().AsTask();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(prior);
            }
        }

        return _move;
    }

    /// <summary>
    /// Runs fake time until the next outcome is handed over (failing the test if none is within <paramref name="limit"/>):
    /// that outcome, or null when the batch ended; throws what the batch threw.
    /// </summary>
    public TranslationJobOutcome? Next(TimeSpan? limit = null)
    {
        Task<bool> move = Ask();
        Assert.True(_driver.RunUntil(() => move.IsCompleted, limit), "the batch stopped moving");
        Assert.True(move.IsCompleted, $"no outcome within {limit}; {Finished} finished, {_input.Taken} taken");
        _move = null;
        if (!move.GetAwaiter().GetResult())
        {
            return null;
        }

        Outcomes.Add(_outcomes.Current);
        return _outcomes.Current;
    }

    /// <summary>Runs fake time for <paramref name="span"/> (an ask in progress may complete meanwhile); false when the batch stopped moving.</summary>
    public bool Run(TimeSpan span) => _driver.RunUntil(() => false, span);

    /// <summary>Leaves the enumeration, as <c>break</c> does: the task of the enumerator's disposal.</summary>
    public Task Leave()
    {
        Assert.Null(_move); // as in await foreach: only between outcomes
        return _outcomes.DisposeAsync().AsTask();
    }
}
