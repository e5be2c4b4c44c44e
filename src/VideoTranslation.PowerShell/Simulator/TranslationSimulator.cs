using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace VideoTranslation.PowerShell;

/// <summary>A simulator process started by Start-TranslationSimulator.</summary>
public sealed class TranslationSimulator
{
    internal TranslationSimulator(Process process, Uri uri, DateTimeOffset startTime, IReadOnlyDictionary<string, string> settings, bool apiKeyRequired, Func<string> recentErrors)
    {
        ApiKeyRequired = apiKeyRequired;
        Process = process;
        Uri = uri;
        StartTime = startTime;
        Settings = settings;
        RecentErrors = recentErrors;
    }

    /// <summary>The simulator's base address: pipe the object to commands that take -Uri.</summary>
    public Uri Uri { get; }

    /// <summary>The simulator's process id.</summary>
    public int ProcessId => Process.Id;

    /// <summary>When it started listening.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>The delay model (Fixed, Uniform, Gaussian).</summary>
    public string DelayModel => Settings.TryGetValue("delay-model", out string? model) ? model : "Uniform";

    /// <summary>The API it speaks: Simulator, HeyGen, HeyGenV2 or HeyGenVideo (-Service).</summary>
    public string Service => Settings.TryGetValue("service", out string? service) ? service : "Simulator";

    /// <summary>The settings it was started with, as simulator switches without the leading dashes.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Whether it was started with -ApiKey, so that it answers 401 without the key. The key itself is not kept.</summary>
    public bool ApiKeyRequired { get; }

    /// <summary><see langword="true"/> while the process runs.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !Process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    internal Process Process { get; }

    /// <summary>The last lines the simulator wrote to stderr, for error messages.</summary>
    internal Func<string> RecentErrors { get; }

    /// <inheritdoc />
    public override string ToString() => Uri.ToString();
}
