using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Threading.Tasks;

namespace VideoTranslation.PowerShell;

/// <summary>
/// <para type="synopsis">Starts a local simulator of the video-translation backend and returns it once it answers.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "TranslationSimulator", SupportsShouldProcess = true)]
[OutputType(typeof(TranslationSimulator))]
public sealed class StartTranslationSimulatorCommand : AsyncCmdlet
{
    private static readonly string[] s_services = { "Simulator", "HeyGen", "HeyGenV2", "HeyGenVideo" };

    private static readonly Dictionary<string, string[]> s_delayParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Fixed"] = new[] { nameof(DelaySec) },
        ["Uniform"] = new[] { nameof(MinDelaySec), nameof(MaxDelaySec) },
        ["Gaussian"] = new[] { nameof(MeanDelaySec), nameof(DelayStdDevSec) },
    };

    private static readonly Dictionary<string, string[]> s_errorParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Fixed"] = new[] { nameof(ErrorProbability) },
        ["Uniform"] = new[] { nameof(MinErrorProbability), nameof(MaxErrorProbability) },
        ["Gaussian"] = new[] { nameof(MeanErrorProbability), nameof(ErrorProbabilityStdDev) },
    };

    /// <summary>How job durations are drawn: Fixed (-DelaySec), Uniform (-MinDelaySec, -MaxDelaySec), Gaussian (-MeanDelaySec, -DelayStdDevSec). Default Uniform 15–30 s.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("Fixed", "Uniform", "Gaussian")]
    public string DelayModel { get; set; } = "Uniform";

    /// <summary>Every job's duration in seconds (-DelayModel Fixed).</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? DelaySec { get; set; }

    /// <summary>The shortest duration in seconds (-DelayModel Uniform).</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? MinDelaySec { get; set; }

    /// <summary>The longest duration in seconds (-DelayModel Uniform).</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? MaxDelaySec { get; set; }

    /// <summary>The mean duration in seconds (-DelayModel Gaussian).</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? MeanDelaySec { get; set; }

    /// <summary>The standard deviation of durations in seconds (-DelayModel Gaussian; durations below 0 become 0).</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double? DelayStdDevSec { get; set; }

    /// <summary>How each job's chance of ending in error is drawn: Fixed, Uniform or Gaussian. Default Fixed 0.</summary>
    [Parameter]
    [ValidateSet("Fixed", "Uniform", "Gaussian")]
    public string ErrorModel { get; set; } = "Fixed";

    /// <summary>The chance, 0 to 1, that a job ends in error (-ErrorModel Fixed).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? ErrorProbability { get; set; }

    /// <summary>The lowest chance (-ErrorModel Uniform).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? MinErrorProbability { get; set; }

    /// <summary>The highest chance (-ErrorModel Uniform).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? MaxErrorProbability { get; set; }

    /// <summary>The mean chance (-ErrorModel Gaussian; clamped to 0..1).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? MeanErrorProbability { get; set; }

    /// <summary>The standard deviation of the chance (-ErrorModel Gaussian).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? ErrorProbabilityStdDev { get; set; }

    /// <summary>The TCP port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>Makes every random draw reproducible.</summary>
    [Parameter]
    public int? Seed { get; set; }

    /// <summary>Sends no progress, etaSeconds or Retry-After hints.</summary>
    [Parameter]
    public SwitchParameter NoHints { get; set; }

    /// <summary>Turns long-poll off: <c>?wait=</c> is ignored and no <c>X-Long-Poll-Max</c> header is sent, as on the original server.</summary>
    [Parameter]
    public SwitchParameter NoLongPoll { get; set; }

    /// <summary>Turns group long-poll (<c>POST /jobs/status</c>) off: each held check is a request of its own.</summary>
    [Parameter]
    public SwitchParameter NoGroupLongPoll { get; set; }

    /// <summary>
    /// An API key the simulator requires (X-Api-Key) on every route but /health and /capabilities. It reaches the
    /// simulator in its environment (VTSIM_ApiKey), never on its command line, where other users could read it.
    /// </summary>
    [Parameter]
    [SecureStringTransformation]
    [ValidateNotNull]
    [ValidateApiKeyNotEmpty]
    public SecureString? ApiKey { get; set; }

    /// <summary>
    /// The API the simulator speaks: Simulator (its own protocol, the default), HeyGen (v3 video translations), HeyGenV2
    /// (v2 video_translate) or HeyGenVideo (v1/v3 video status). In a HeyGen mode it serves that API's paths, bodies,
    /// status words, error envelopes, Idempotency-Key, concurrency limit and webhooks.
    /// </summary>
    [Parameter]
    [ValidateSet("Simulator", "HeyGen", "HeyGenV2", "HeyGenVideo")]
    public string Service { get; set; } = "Simulator";

    /// <summary>At most this many unfinished jobs; a create over it answers 429 rate_limit_exceeded with Retry-After. Default 10 in the HeyGen modes, no limit in Simulator mode.</summary>
    [Parameter]
    [ValidateRange(1, 1000000)]
    public int? ConcurrencyLimit { get; set; }

    /// <summary>How long to wait for the simulator to start listening, in seconds. Default 30.</summary>
    [Parameter]
    [ValidateRange(1.0, 600.0)]
    public double StartTimeoutSec { get; set; } = 30;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        Dictionary<string, string> settings = Settings();
        string description = string.Join(" ", settings.Select(s => $"--{s.Key} {s.Value}"));
        var environment = new Dictionary<string, string>();
        if (ApiKey is not null)
        {
            // The key becomes text only to go into the child's environment; the description says only that there is one.
            string key = ApiKeyParameter.Reveal(ApiKey);
            if (ApiKeyParameter.Check(key, "-ApiKey") is { } invalid)
            {
                ThrowTerminatingError(invalid);
            }

            environment[ApiKeyParameter.SimulatorEnvironmentVariable] = key;
            description += $" (API key in its environment, {ApiKeyParameter.SimulatorEnvironmentVariable})";
        }

        if (!ShouldProcess($"simulator ({description})", "Start"))
        {
            return;
        }

        if (!System.IO.File.Exists(SimulatorLauncher.SimulatorDll))
        {
            ThrowTerminatingError(new ErrorRecord(
                new System.IO.FileNotFoundException($"The simulator is missing from the module folder: '{SimulatorLauncher.SimulatorDll}'. Rebuild the module (dotnet build).", SimulatorLauncher.SimulatorDll),
                ErrorIds.SimulatorFilesMissing,
                ErrorCategory.ResourceUnavailable,
                SimulatorLauncher.SimulatorDll));
        }

        string? dotnet = SimulatorLauncher.FindDotnet(out IReadOnlyList<string> lookedIn);
        if (dotnet is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"No 'dotnet' host was found (looked in: {string.Join(", ", lookedIn)}). {SimulatorLauncher.RuntimeAdvice}"),
                ErrorIds.SimulatorRuntimeMissing,
                ErrorCategory.NotInstalled,
                "dotnet"));
        }

        WriteVerbose($"Starting {dotnet} {SimulatorLauncher.SimulatorDll} {description}");
        Task<TranslationSimulator> start = SimulatorLauncher.StartAsync(dotnet!, settings, environment, TimeSpan.FromSeconds(StartTimeoutSec), StopToken);
        PumpUntil(start);
        ThrowIfStopping();
        if (start.Exception?.InnerException is SimulatorStartException failure)
        {
            ErrorCategory category = failure.ErrorId switch
            {
                ErrorIds.SimulatorRuntimeMissing => ErrorCategory.NotInstalled,
                ErrorIds.SimulatorStartTimedOut => ErrorCategory.OperationTimeout,
                _ when failure.BadSettings => ErrorCategory.InvalidArgument,
                _ => ErrorCategory.ResourceUnavailable,
            };
            ThrowTerminatingError(new ErrorRecord(failure, failure.ErrorId, category, description));
        }

        TranslationSimulator simulator = start.GetAwaiter().GetResult();
        SimulatorRegistry.Add(simulator, Runspace.DefaultRunspace);
        WriteVerbose($"Simulator {simulator.ProcessId} is listening on {simulator.Uri}");
        WriteObject(simulator);
    }

    private Dictionary<string, string> Settings()
    {
        // ValidateSet ignores case; show the model as the help spells it.
        DelayModel = s_delayParameters.Keys.First(k => string.Equals(k, DelayModel, StringComparison.OrdinalIgnoreCase));
        ErrorModel = s_errorParameters.Keys.First(k => string.Equals(k, ErrorModel, StringComparison.OrdinalIgnoreCase));
        RejectParametersOfOtherModels("DelayModel", DelayModel, s_delayParameters);
        RejectParametersOfOtherModels("ErrorModel", ErrorModel, s_errorParameters);
        var settings = new Dictionary<string, string>
        {
            ["port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["delay-model"] = DelayModel,
        };
        Add(settings, "delay", DelaySec);
        Add(settings, "delay-min", MinDelaySec);
        Add(settings, "delay-max", MaxDelaySec);
        Add(settings, "delay-mean", MeanDelaySec);
        Add(settings, "delay-stddev", DelayStdDevSec);
        settings["error-model"] = ErrorModel;
        Add(settings, "error-probability", ErrorProbability);
        Add(settings, "error-min", MinErrorProbability);
        Add(settings, "error-max", MaxErrorProbability);
        Add(settings, "error-mean", MeanErrorProbability);
        Add(settings, "error-stddev", ErrorProbabilityStdDev);
        if (Seed is int seed)
        {
            settings["seed"] = seed.ToString(CultureInfo.InvariantCulture);
        }

        if (NoHints)
        {
            settings["hints"] = "false";
        }

        if (NoLongPoll)
        {
            settings["long-poll"] = "false";
        }

        if (NoGroupLongPoll)
        {
            settings["group-long-poll"] = "false";
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Service)))
        {
            // ValidateSet ignores case; pass the name as the help spells it.
            settings["service"] = s_services.First(s => string.Equals(s, Service, StringComparison.OrdinalIgnoreCase));
        }

        if (ConcurrencyLimit is int limit)
        {
            settings["concurrency-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private void RejectParametersOfOtherModels(string modelParameter, string model, Dictionary<string, string[]> parametersByModel)
    {
        foreach (KeyValuePair<string, string[]> other in parametersByModel.Where(p => !string.Equals(p.Key, model, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (string parameter in other.Value.Where(MyInvocation.BoundParameters.ContainsKey))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"-{parameter} belongs to -{modelParameter} {other.Key}, but -{modelParameter} is {model}; with {model} use {string.Join(" and ", parametersByModel[model].Select(p => "-" + p))}."),
                    ErrorIds.InvalidSimulatorParameters,
                    ErrorCategory.InvalidArgument,
                    parameter));
            }
        }
    }

    private static void Add(Dictionary<string, string> settings, string key, double? value)
    {
        if (value is double v)
        {
            settings[key] = v.ToString("R", CultureInfo.InvariantCulture);
        }
    }
}
