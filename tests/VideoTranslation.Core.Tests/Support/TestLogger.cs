using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace VideoTranslation.Tests.Support;

public static class TestLogger
{
    /// <summary>A logger with every level enabled and collected: a secret logged at any level, Trace included, is seen.</summary>
    public static FakeLogger EveryLevel()
    {
        var collector = FakeLogCollector.Create(new FakeLogCollectorOptions { CollectRecordsForDisabledLogLevels = true });
        var logger = new FakeLogger(collector);
        foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
        {
            logger.ControlLevel(level, enabled: true);
        }

        return logger;
    }
}
