using System.Reflection;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace VideoTranslation.Simulator.Configuration;

/// <summary>
/// Lays out the configuration sources: an optional JSON file (--config), then VTSIM_ environment variables,
/// then the command line, each overriding the one before. Unknown keys in any of them stop the start-up.
/// </summary>
internal static class SimulatorConfiguration
{
    public const string EnvironmentPrefix = "VTSIM_";
    public const string ConfigFileKey = "Config";

    /// <summary>Friendly switches; every key can also be given in full, e.g. --Delay:Model gaussian.</summary>
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--config"] = ConfigFileKey,
        ["--host"] = "Host",
        ["--port"] = "Port",
        ["--seed"] = "Seed",
        ["--parent-pid"] = "ParentPid",
        ["--ignore-terminal-signals"] = "IgnoreTerminalSignals",
        ["--api-key"] = "ApiKey",
        ["--service"] = "Service",
        ["--concurrency-limit"] = "ConcurrencyLimit",
        ["--delay-model"] = "Delay:Model",
        ["--delay"] = "Delay:Seconds",
        ["--delay-min"] = "Delay:Min",
        ["--delay-max"] = "Delay:Max",
        ["--delay-mean"] = "Delay:Mean",
        ["--delay-stddev"] = "Delay:StdDev",
        ["--error-model"] = "Error:Model",
        ["--error-probability"] = "Error:Probability",
        ["--error-min"] = "Error:Min",
        ["--error-max"] = "Error:Max",
        ["--error-mean"] = "Error:Mean",
        ["--error-stddev"] = "Error:StdDev",
        ["--hints"] = "Hints:Enabled",
        ["--eta-noise"] = "Hints:EtaNoise",
        ["--eta-scale"] = "Hints:EtaScale",
        ["--long-poll"] = "LongPoll:Enabled",
        ["--max-wait"] = "LongPoll:MaxWaitSeconds",
        ["--group-long-poll"] = "LongPoll:GroupEnabled",
        ["--retention"] = "Jobs:RetentionSeconds",
        ["--max-jobs"] = "Jobs:MaxLiveJobs",
        ["--fault-500"] = "Faults:InternalErrorProbability",
        ["--fault-503"] = "Faults:ServiceUnavailableProbability",
        ["--fault-429"] = "Faults:TooManyRequestsProbability",
        ["--fault-slow"] = "Faults:SlowProbability",
        ["--fault-malformed"] = "Faults:MalformedBodyProbability",
        ["--fault-unknown-result"] = "Faults:UnknownResultProbability",
        ["--fault-drop"] = "Faults:DropConnectionProbability",
        ["--fault-slow-create"] = "Faults:SlowCreateProbability",
        ["--fault-drop-after-create"] = "Faults:DropAfterCreateProbability",
        ["--slow-seconds"] = "Faults:SlowSeconds",
        ["--retry-after"] = "Faults:RetryAfterSeconds",
        ["--retry-after-format"] = "Faults:RetryAfterFormat",
        ["--unavailable-for"] = "Faults:UnavailableForSeconds",
        ["--webhook-timeout"] = "Webhooks:TimeoutSeconds",
        ["--webhook-retries"] = "Webhooks:Retries",
        ["--webhook-retry-delay"] = "Webhooks:RetryDelaySeconds",
    };

    public static IReadOnlyDictionary<string, string> SwitchMappings => Switches;

    /// <summary>Host settings that ASP.NET Core itself reads from the command line.</summary>
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName"];

    /// <summary>Every configuration key the simulator understands, taken from the options classes.</summary>
    public static IReadOnlySet<string> KnownKeys { get; } = BuildKnownKeys();

    public static void Apply(ConfigurationManager configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);

        // Unprefixed environment variables would let PORT or SEED from the parent's environment slip into the
        // settings, and the default command-line source knows none of the friendly switches: both are replaced.
        for (var i = configuration.Sources.Count - 1; i >= 0; i--)
        {
            if (configuration.Sources[i] is CommandLineConfigurationSource
                or EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                configuration.Sources.RemoveAt(i);
            }
        }

        IConfiguration commandLine;
        try
        {
            commandLine = new ConfigurationBuilder().AddCommandLine(args, Switches).Build();
        }
        catch (FormatException ex)
        {
            throw new SimulatorConfigurationException($"The command line cannot be read: {ex.Message}", ex);
        }

        CheckKeys(commandLine, "on the command line");

        if (commandLine[ConfigFileKey] is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
            {
                throw new SimulatorConfigurationException($"Config is '{file}', but there is no such file ({path}).");
            }

            try
            {
                CheckKeys(new ConfigurationBuilder().AddJsonFile(path, optional: false).Build(), $"in {file}");
            }
            catch (InvalidDataException ex)
            {
                throw new SimulatorConfigurationException($"Config file '{file}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
            }

            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        CheckKeys(new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build(), $"in the {EnvironmentPrefix}* environment variables");
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args, Switches);

        // Binding here turns "Port=abc" into a clear start-up error instead of a failure at the first request.
        try
        {
            configuration.Get<SimulatorOptions>();
        }
        catch (InvalidOperationException ex)
        {
            throw new SimulatorConfigurationException(ex.Message, ex);
        }
    }

    private static void CheckKeys(IConfiguration source, string where)
    {
        var unknown = source.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => pair.Key)
            .Where(key => !KnownKeys.Contains(key)
                && !key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase)
                && !HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.Select(k => $"'{k}'"));
            throw new SimulatorConfigurationException($"Unknown setting {names} {where}. Run with --help for the settings.");
        }
    }

    private static HashSet<string> BuildKnownKeys()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConfigFileKey };
        AddKeys(typeof(SimulatorOptions), prefix: "", keys);
        return keys;
    }

    private static void AddKeys(Type type, string prefix, HashSet<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = prefix + property.Name;
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                AddKeys(property.PropertyType, key + ":", keys);
            }
            else
            {
                keys.Add(key);
            }
        }
    }
}

/// <summary>A configuration that cannot be used; its message is shown to the user as it is.</summary>
internal sealed class SimulatorConfigurationException : Exception
{
    public SimulatorConfigurationException()
    {
    }

    public SimulatorConfigurationException(string message)
        : base(message)
    {
    }

    public SimulatorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
