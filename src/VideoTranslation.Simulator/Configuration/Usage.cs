using System.Globalization;
using System.Text;

namespace VideoTranslation.Simulator.Configuration;

/// <summary>The --help text, built from the switch mappings so it cannot drift from them.</summary>
internal static class Usage
{
    public static string Text { get; } = Build();

    private static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine("VideoTranslation.Simulator: a video-translation backend for testing clients.");
        text.AppendLine();
        text.AppendLine("Usage: VideoTranslation.Simulator [--switch value | --Section:Key value | --Section:Key=value] ...");
        text.AppendLine();
        text.AppendLine("Switches (each maps to a configuration key; docs/protocol.md has defaults and ranges):");
        foreach (var (switchName, key) in SimulatorConfiguration.SwitchMappings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {switchName,-24} {key}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Every key can also come from an environment variable {SimulatorConfiguration.EnvironmentPrefix}Section__Key");
        text.AppendLine("or from a JSON file given with --config (command line > environment > file).");
        text.AppendLine("On start the server writes one line to stdout: {\"event\":\"listening\",\"url\":\"http://127.0.0.1:PORT\",\"pid\":N}");
        return text.ToString();
    }
}
