namespace VideoTranslation.Simulator.Configuration;

/// <summary>The API the simulator speaks (the Service setting, --service).</summary>
internal enum SimulatedService
{
    /// <summary>The simulator's own protocol (docs/protocol.md).</summary>
    Simulator,

    /// <summary>HeyGen v3 video translations: POST /v3/video-translations, GET /v3/video-translations/{id}.</summary>
    HeyGen,

    /// <summary>HeyGen v2 video translations: POST /v2/video_translate, GET /v2/video_translate/{id}.</summary>
    HeyGenV2,

    /// <summary>HeyGen video status: GET /v1/video_status.get?video_id=, GET /v3/videos/{id}; created by POST /v2/video/generate.</summary>
    HeyGenVideo,
}

/// <summary>Reads the Service setting and the settings whose defaults depend on it.</summary>
internal static class SimulatedServices
{
    /// <summary>The service named by <paramref name="text"/>, or Simulator when it names none.</summary>
    public static SimulatedService ParseOrDefault(string? text) => TryParse(text, out var service) ? service : SimulatedService.Simulator;

    /// <summary>The concurrency limit of the HeyGen modes when none is set (HeyGen's pay-as-you-go limit).</summary>
    public const int HeyGenDefaultConcurrencyLimit = 10;

    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<SimulatedService>();

    /// <summary>The service named by <paramref name="text"/>, case-insensitively; names only, never numbers.</summary>
    public static bool TryParse(string? text, out SimulatedService service)
    {
        var name = Names.FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        service = name is null ? SimulatedService.Simulator : Enum.Parse<SimulatedService>(name);
        return name is not null;
    }

    /// <summary>The validated options' service (Simulator when the value is bad: the validator reports that).</summary>
    public static SimulatedService Service(this SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TryParse(options.Service, out var service) ? service : SimulatedService.Simulator;
    }

    /// <summary>The limit in force: the setting, else 10 in the HeyGen modes and none in Simulator mode.</summary>
    public static int? EffectiveConcurrencyLimit(this SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ConcurrencyLimit
            ?? (options.Service() == SimulatedService.Simulator ? null : HeyGenDefaultConcurrencyLimit);
    }
}
