using System;
using Microsoft.Extensions.Logging;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Sends the core's log lines to the cmdlet's verbose (Information and above) and debug (Debug) streams, through
/// the cmdlet's pipeline-thread queue. Which levels are on is decided once on the pipeline thread, because
/// preference variables cannot be read from the pool threads that log.
/// </summary>
internal sealed class PipelineLogger : ILogger
{
    private readonly Action<Action> _post;
    private readonly Action<string> _writeVerbose;
    private readonly Action<string> _writeDebug;
    private readonly bool _verbose;
    private readonly bool _debug;

    public PipelineLogger(Action<Action> post, Action<string> writeVerbose, Action<string> writeDebug, bool verbose, bool debug)
    {
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
        LogLevel.Information or LogLevel.Warning or LogLevel.Error or LogLevel.Critical => _verbose,
        _ => false,
    };

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string line = formatter(state, exception);
        if (logLevel == LogLevel.Debug)
        {
            _post(() => _writeDebug(line));
        }
        else
        {
            _post(() => _writeVerbose(line));
        }
    }
}
