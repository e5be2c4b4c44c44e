namespace VideoTranslation;

/// <summary>
/// The library's telemetry, the .NET way: an <see cref="System.Diagnostics.ActivitySource"/> and a
/// <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="SourceName"/>, which OpenTelemetry
/// (<c>AddSource</c>, <c>AddMeter</c>), <c>dotnet-counters</c>, <c>dotnet-trace</c> and Application Insights read. Nothing
/// is measured or allocated for them while nobody listens. docs/observability.md lists every span, attribute and instrument.
/// </summary>
public static class TranslationTelemetry
{
    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>: <c>VideoTranslation</c>.</summary>
    public const string SourceName = "VideoTranslation";
}
