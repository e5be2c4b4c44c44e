// The VideoTranslation core's spans and metrics on the console: starts a simulator, creates a batch of jobs, waits on
// them with the default strategy and prints how each ended. See README.md.
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VideoTranslation;
using VideoTranslation.Samples;

// The library's ActivitySource and Meter are both named this ("VideoTranslation").
const string Telemetry = TranslationTelemetry.SourceName;

// OpenTelemetry's default histogram buckets (0, 5, 10, 25 … 10000) suit milliseconds; the library's are in seconds.
double[] seconds = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Not killed at once: the code below stops the waits and the simulator and exports what it has.
    stop.Cancel();
};

int exitCode;
ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("TelemetrySample");
using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(Telemetry)
    .AddSource("System.Net.Http") // HttpClient's own spans: built into .NET 9 and later, no instrumentation package.
    .AddConsoleExporter()
    .Build())
using (MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(Telemetry)
    .AddView(i => i.Meter.Name == Telemetry && i.Unit == "s" ? new ExplicitBucketHistogramConfiguration { Boundaries = seconds } : null)
    .AddConsoleExporter()
    .Build())
{
    exitCode = await RunAsync(stop.Token);
} // Disposing the providers exports what is left: the metrics, which the console exporter prints only every 60 s.

return exitCode;

static async Task<int> RunAsync(CancellationToken cancellationToken)
{
    try
    {
        // Gaussian job durations of a second or two.
        using SimulatorProcess simulator = await SimulatorProcess.StartAsync(
            ["--delay-model", "gaussian", "--delay-mean", "1.5", "--delay-stddev", "0.5", "--seed", "13"], cancellationToken);
        Console.WriteLine($"Simulator listening on {simulator.Uri}");

        using var client = new TranslationClient(simulator.Uri);
        var ids = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            TranslationJob job = await client.CreateJobAsync(cancellationToken: cancellationToken);
            ids.Add(job.Id);
        }

        // The default strategy (Auto: long-poll on this simulator), every job at once.
        IReadOnlyList<TranslationJobOutcome> outcomes = await client.WaitForAllAsync(ids, cancellationToken: cancellationToken);
        foreach (TranslationJobOutcome outcome in outcomes)
        {
            Console.WriteLine(outcome); // "<job id>: Completed after 1 check in 1.85 s", or the error that ended the wait
        }

        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        Console.Error.WriteLine("Canceled.");
        return 130;
    }
    catch (InvalidOperationException ex) // The simulator did not start.
    {
        Console.Error.WriteLine(ex.Message);
        return 1;
    }
    catch (TranslationException ex) // A create failed.
    {
        Console.Error.WriteLine($"{ex.GetType().Name}: {ex.Message}");
        return 1;
    }
}
