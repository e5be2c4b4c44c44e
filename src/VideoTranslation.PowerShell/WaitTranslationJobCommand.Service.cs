using System;
using System.Linq;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob's polling when the user gives none: the service's own.</summary>
public sealed partial class WaitTranslationJobCommand
{
    // The strategy's settings: the service's own when no interval parameter is given, else the parameters (whose
    // defaults are the simulator's).
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

    // The waits start with the first job. Without any strategy parameter the strategy is left to the core, which gives
    // each job its own service's (Auto over HeyGen's 30 s then 60 s, say), so a batch of several services fits each;
    // with one, the strategy is made here, its unset values the first job's service's.
    private void StartWaiting(TranslationService service)
    {
        bool strategyGiven = Kind != PollingStrategyKind.Auto ||
            new[] { nameof(Interval), nameof(MaxInterval), nameof(BackoffFactor), nameof(Jitter), nameof(MaxHoldSec), nameof(HistoryPath) }.Any(MyInvocation.BoundParameters.ContainsKey);
        if (strategyGiven)
        {
            _options!.Strategy = PollingStrategy.Create(Kind, StrategyOptions(service));
        }

        _work = RunAsync(_options!, _batch!);
    }
}
