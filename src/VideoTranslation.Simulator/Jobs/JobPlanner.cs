using VideoTranslation.Simulator.Models;

namespace VideoTranslation.Simulator.Jobs;

/// <summary>The state a status route reports.</summary>
internal enum JobResult
{
    Pending,
    Completed,
    Error,
}

/// <summary>What a job will do: drawn at creation, or overridden by the request that created it.</summary>
/// <param name="DelaySeconds">How long the job stays pending.</param>
/// <param name="Outcome">Completed or Error, reported once the delay has passed.</param>
/// <param name="ErrorProbability">The drawn probability the outcome came from; null when the outcome was overridden.</param>
internal sealed record JobPlan(double DelaySeconds, JobResult Outcome, double? ErrorProbability, bool DelayOverridden, bool OutcomeOverridden);

/// <summary>Overrides a test can send with POST /jobs.</summary>
internal sealed record JobOverrides(double? DelaySeconds, JobResult? Outcome);

/// <summary>What a HeyGen-style create said about one job; the simulator only echoes it (and calls CallbackUrl back).</summary>
internal sealed record JobDetails(
    string? Language = null,
    string? Title = null,
    string? Mode = null,
    string? VideoUrl = null,
    Uri? CallbackUrl = null,
    string? CallbackId = null)
{
    public static JobDetails None { get; } = new();
}

/// <summary>Draws each new job's delay and outcome from the configured models.</summary>
internal sealed class JobPlanner
{
    private readonly DelayModel _delay;
    private readonly ErrorModel _error;
    private readonly SeededRandom _random;

    public JobPlanner(DelayModel delay, ErrorModel error, SeededRandom random)
    {
        _delay = delay;
        _error = error;
        _random = random;
    }

    public JobPlan Plan(JobOverrides? overrides = null)
    {
        // Every job takes the same three draws, overridden or not, so the jobs after it draw the same values.
        var (delay, probability, roll) = _random.Draw(r => (_delay.SampleSeconds(r), _error.SampleProbability(r), r.NextDouble()));
        var drawnOutcome = roll < probability ? JobResult.Error : JobResult.Completed;
        return new JobPlan(
            overrides?.DelaySeconds ?? delay,
            overrides?.Outcome ?? drawnOutcome,
            overrides?.Outcome is null ? probability : null,
            overrides?.DelaySeconds is not null,
            overrides?.Outcome is not null);
    }
}
