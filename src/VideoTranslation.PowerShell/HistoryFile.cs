using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using VideoTranslation.Internal;

namespace VideoTranslation.PowerShell;

/// <summary>
/// The file of <c>Wait-TranslationJob -HistoryPath</c>: resolved on the file system provider, read at the start (a
/// missing file is an empty history), written once at the end — also after Ctrl+C and <c>-ErrorAction Stop</c>, so
/// durations learned before the stop are kept.
/// </summary>
internal sealed class HistoryFile
{
    private readonly string _path;
    private bool _saved;

    private HistoryFile(string path, DurationHistory history)
    {
        _path = path;
        History = history;
    }

    public DurationHistory History { get; }

    /// <summary>Reads the file, or stops the command with an error that says what is wrong with the path or the file.</summary>
    public static HistoryFile Load(PSCmdlet cmdlet, string historyPath)
    {
        string path = Resolve(cmdlet, historyPath);
        if (Directory.Exists(path))
        {
            Stop(cmdlet, new IOException($"-HistoryPath '{path}' is a folder; name a file in it, like {Path.Combine(path, "durations.json")}."), ErrorCategory.InvalidArgument, path);
        }

        // A FIFO blocks the read until a writer comes and a device reads without end: told before opening it.
        if (FileKind.NotRegular(path) is string kind)
        {
            Stop(cmdlet, new IOException($"-HistoryPath '{path}' is {kind}, not a regular file; name a file, like durations.json."), ErrorCategory.InvalidArgument, path);
        }

        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            Stop(cmdlet, new DirectoryNotFoundException($"The folder of -HistoryPath '{path}' does not exist; create it, or name a file in an existing folder."), ErrorCategory.ObjectNotFound, path);
        }

        DurationHistory? history = null;
        try
        {
            history = DurationHistory.Load(path);
        }
        catch (InvalidDataException ex)
        {
            // The message names the file and what is wrong with it; the file is left as it is.
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidDurationHistory, ErrorCategory.InvalidData, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Stop(cmdlet, new IOException($"The duration history '{path}' cannot be read: {ex.Message}", ex), ErrorCategory.ReadError, path);
        }

        cmdlet.WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Read the duration history '{0}'.", path));
        return new HistoryFile(path, history!);
    }

    /// <summary>Writes the file once; a failure is an error record when the pipeline can still take one.</summary>
    public void Save(PSCmdlet cmdlet, bool reportFailure)
    {
        if (_saved)
        {
            return;
        }

        _saved = true;
        try
        {
            History.Save(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // After a stop or a terminating error nothing more can be written to the pipeline.
            if (reportFailure)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new IOException($"The duration history '{_path}' cannot be written: {ex.Message}", ex),
                    ErrorIds.DurationHistoryInaccessible,
                    ErrorCategory.WriteError,
                    _path));
            }
        }
    }

    private static string Resolve(PSCmdlet cmdlet, string historyPath)
    {
        string path = string.Empty;
        try
        {
            path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(historyPath, out ProviderInfo provider, out _);
            if (provider.Name != "FileSystem")
            {
                Stop(cmdlet, new ArgumentException($"-HistoryPath '{historyPath}' is on the {provider.Name} drive; it must name a file on a file-system drive."), ErrorCategory.InvalidArgument, historyPath);
            }
        }
        catch (Exception ex) when (ex is SessionStateException or NotSupportedException or ArgumentException)
        {
            Stop(cmdlet, new ArgumentException($"-HistoryPath '{historyPath}' is not a usable file path: {ex.Message}", ex), ErrorCategory.InvalidArgument, historyPath);
        }

        return path;
    }

    private static void Stop(PSCmdlet cmdlet, Exception exception, ErrorCategory category, string target) =>
        cmdlet.ThrowTerminatingError(new ErrorRecord(exception, ErrorIds.DurationHistoryInaccessible, category, target));
}
