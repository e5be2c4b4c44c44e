using System;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Sends the core's log lines to the cmdlet's verbose (Information and above) and debug (Debug) streams, and its retry
/// lines (<see cref="TranslationLogEvents.RetryingAfterFailure"/>) to the warning stream, always — so -WarningAction and
/// -WarningVariable govern them as any warning — through the cmdlet's pipeline-thread queue. Which levels are on is decided once on the pipeline thread, because
/// preference variables cannot be read from the pool threads that log.
/// </summary>
internal sealed class PipelineLogger : ILogger
{
    private readonly Action<Action> _post;
    private readonly Action<string> _writeVerbose;
    private readonly Action<string> _writeDebug;
    private readonly Action<string> _writeWarning;
    private readonly bool _verbose;
    private readonly bool _debug;

    public PipelineLogger(Action<Action> post, Action<string> writeVerbose, Action<string> writeDebug, Action<string> writeWarning, bool verbose, bool debug)
    {
        _writeWarning = writeWarning;
        _post = post;
        _writeVerbose = writeVerbose;
        _writeDebug = writeDebug;
        _verbose = verbose;
        _debug = debug;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Debug => _debug,
        LogLevel.Warning => true, // retries are warnings; the other Warning lines are verbose, decided in Log
        LogLevel.Information or LogLevel.Error or LogLevel.Critical => _verbose,
        _ => false,
    };

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // Warnings: retries, and a batch's limits lowered to fit the process's descriptor limit.
        bool retry = eventId.Id == TranslationLogEvents.RetryingAfterFailure.Id || eventId.Id == TranslationLogEvents.CreateRetrying.Id ||
                     eventId.Id == TranslationLogEvents.BatchLimitedByDescriptors.Id;
        if (!IsEnabled(logLevel) || (logLevel == LogLevel.Warning && !retry && !_verbose))
        {
            return;
        }

        string line = formatter(state, exception);
        if (retry)
        {
            _post(() => _writeWarning(line));
        }
        else if (logLevel == LogLevel.Debug)
        {
            _post(() => _writeDebug(line));
        }
        else
        {
            _post(() => _writeVerbose(line));
        }
    }
}
