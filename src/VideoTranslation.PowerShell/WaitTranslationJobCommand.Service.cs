using System;
using System.Linq;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob's polling when the user gives none: the service's own.</summary>
public sealed partial class WaitTranslationJobCommand
{
    // The strategy's settings: the service's own when no interval parameter is given, else the parameters (whose
    // defaults are the simulator's). A batch has one strategy, so it follows the service of the first job.
    private PollingStrategyOptions StrategyOptions(TranslationService service)
    {
        bool intervalsGiven = new[] { nameof(Interval), nameof(MaxInterval), nameof(BackoffFactor), nameof(Jitter) }.Any(MyInvocation.BoundParameters.ContainsKey);
        PollingStrategyOptions settings = intervalsGiven
            ? new PollingStrategyOptions
            {
                Interval = TimeSpan.FromSeconds(Interval),
                MaxInterval = TimeSpan.FromSeconds(MaxInterval),
                Factor = BackoffFactor,
                Jitter = Jitter,
            }
            : service.CreatePollingOptions();
        settings.MaxHold = TimeSpan.FromSeconds(MaxHoldSec);
        settings.History = _historyFile?.History;
        return settings;
    }

    // The waits start with the first job, whose service decides the strategy's defaults.
    private void StartWaiting(TranslationService service)
    {
        _options!.Strategy = PollingStrategy.Create(Kind, StrategyOptions(service));
        _work = RunAsync(_options, _batch!);
    }
}
