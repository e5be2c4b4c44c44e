using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace VideoTranslation.Simulator.Configuration;

/// <summary>Checks every setting at start-up; each message names the setting and the bad value.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public const double MaxDelaySeconds = 86_400;
    public const double MaxWaitSecondsLimit = 300;
    public const double MaxSlowSeconds = 300;
    public const int MaxRetryAfterSeconds = 3_600;
    public const double MaxRetentionSeconds = 86_400;
    public const int MaxLiveJobsLimit = 1_000_000;
    public const double MaxEtaNoise = 10;
    public const double MaxEtaScale = 100;
    public const int MaxWebhookRetries = 10;

    internal static readonly string[] Models = ["fixed", "uniform", "gaussian"];

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!IPAddress.TryParse(options.Host, out _))
        {
            errors.Add($"Host is '{options.Host}'; it must be an IP address such as 127.0.0.1 (a host name cannot bind port 0).");
        }

        if (options.Port is < 0 or > 65_535)
        {
            errors.Add($"Port is {options.Port}; it must be between 0 and 65535 (0 picks a free port).");
        }

        if (options.ParentPid is { } pid)
        {
            ValidateParentPid(pid, errors);
        }

        if (options.ApiKey is { Length: > 0 } key && string.IsNullOrWhiteSpace(key))
        {
            errors.Add("ApiKey is blank; give a real key or leave it unset.");
        }

        if (!SimulatedServices.TryParse(options.Service, out _))
        {
            errors.Add($"Service is '{options.Service}'; it must be one of {string.Join(", ", SimulatedServices.Names)}.");
        }

        if (options.ConcurrencyLimit is < 1 or > MaxLiveJobsLimit)
        {
            errors.Add($"ConcurrencyLimit is {options.ConcurrencyLimit}; it must be between 1 and {MaxLiveJobsLimit} (unset: 10 in the HeyGen modes, no limit in Simulator mode).");
        }

        Range(errors, "Webhooks:TimeoutSeconds", options.Webhooks.TimeoutSeconds, 0.1, MaxSlowSeconds);
        if (options.Webhooks.Retries is < 0 or > MaxWebhookRetries)
        {
            errors.Add($"Webhooks:Retries is {options.Webhooks.Retries}; it must be between 0 and {MaxWebhookRetries}.");
        }

        Range(errors, "Webhooks:RetryDelaySeconds", options.Webhooks.RetryDelaySeconds, 0, MaxSlowSeconds);

        ValidateDelay(options.Delay, errors);
        ValidateError(options.Error, errors);
        Range(errors, "Hints:EtaNoise", options.Hints.EtaNoise, 0, MaxEtaNoise);
        if (!(options.Hints.EtaScale > 0 && options.Hints.EtaScale <= MaxEtaScale))
        {
            errors.Add($"Hints:EtaScale is {Format(options.Hints.EtaScale)}; it must be greater than 0 and at most {Format(MaxEtaScale)}.");
        }

        if (!(options.LongPoll.MaxWaitSeconds > 0 && options.LongPoll.MaxWaitSeconds <= MaxWaitSecondsLimit))
        {
            errors.Add($"LongPoll:MaxWaitSeconds is {Format(options.LongPoll.MaxWaitSeconds)}; it must be greater than 0 and at most {Format(MaxWaitSecondsLimit)}.");
        }

        if (!(options.Jobs.RetentionSeconds > 0 && options.Jobs.RetentionSeconds <= MaxRetentionSeconds))
        {
            errors.Add($"Jobs:RetentionSeconds is {Format(options.Jobs.RetentionSeconds)}; it must be greater than 0 and at most {Format(MaxRetentionSeconds)}.");
        }

        if (options.Jobs.MaxLiveJobs is < 1 or > MaxLiveJobsLimit)
        {
            errors.Add($"Jobs:MaxLiveJobs is {options.Jobs.MaxLiveJobs}; it must be between 1 and {MaxLiveJobsLimit}.");
        }

        ValidateFaults(options.Faults, key => "Faults:" + key, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Checks fault settings; <paramref name="nameOf"/> turns a property name into the name the user wrote.</summary>
    public static void ValidateFaults(FaultOptions faults, Func<string, string> nameOf, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(nameOf);
        ArgumentNullException.ThrowIfNull(errors);

        (string Name, double Value)[] probabilities =
        [
            (nameof(FaultOptions.InternalErrorProbability), faults.InternalErrorProbability),
            (nameof(FaultOptions.ServiceUnavailableProbability), faults.ServiceUnavailableProbability),
            (nameof(FaultOptions.TooManyRequestsProbability), faults.TooManyRequestsProbability),
            (nameof(FaultOptions.SlowProbability), faults.SlowProbability),
            (nameof(FaultOptions.MalformedBodyProbability), faults.MalformedBodyProbability),
            (nameof(FaultOptions.UnknownResultProbability), faults.UnknownResultProbability),
            (nameof(FaultOptions.DropConnectionProbability), faults.DropConnectionProbability),
        ];
        var allValid = true;
        foreach (var (property, value) in probabilities)
        {
            allValid &= Probability(errors, nameOf(property), value);
        }

        // At most one fault is injected per request, so the probabilities share the unit interval.
        var sum = probabilities.Sum(p => p.Value);
        if (allValid && sum > 1 + 1e-9)
        {
            errors.Add($"The fault probabilities add up to {Format(sum)}; at most one fault is injected per request, so their sum must be at most 1.");
        }

        // Creates draw from their own pair, so these share the unit interval only with each other.
        var createValid = Probability(errors, nameOf(nameof(FaultOptions.SlowCreateProbability)), faults.SlowCreateProbability);
        createValid &= Probability(errors, nameOf(nameof(FaultOptions.DropAfterCreateProbability)), faults.DropAfterCreateProbability);
        var createSum = faults.SlowCreateProbability + faults.DropAfterCreateProbability;
        if (createValid && createSum > 1 + 1e-9)
        {
            errors.Add($"SlowCreateProbability and DropAfterCreateProbability add up to {Format(createSum)}; at most one fault is injected per create, so their sum must be at most 1.");
        }

        Range(errors, nameOf(nameof(FaultOptions.SlowSeconds)), faults.SlowSeconds, 0, MaxSlowSeconds);
        if (faults.RetryAfterSeconds is < 0 or > MaxRetryAfterSeconds)
        {
            errors.Add($"{nameOf(nameof(FaultOptions.RetryAfterSeconds))} is {faults.RetryAfterSeconds}; it must be between 0 and {MaxRetryAfterSeconds}.");
        }

        if (!IsModel(faults.RetryAfterFormat, "seconds") && !IsModel(faults.RetryAfterFormat, "date"))
        {
            errors.Add($"{nameOf(nameof(FaultOptions.RetryAfterFormat))} is '{faults.RetryAfterFormat}'; it must be 'seconds' or 'date'.");
        }

        Range(errors, nameOf(nameof(FaultOptions.UnavailableForSeconds)), faults.UnavailableForSeconds, 0, MaxDelaySeconds);
    }

    private static void ValidateDelay(DelayOptions delay, List<string> errors)
    {
        var modelValid = Model(errors, "Delay:Model", delay.Model, "delay");
        DelaySeconds(errors, "Delay:Seconds", delay.Seconds);
        var min = DelaySeconds(errors, "Delay:Min", delay.Min);
        var max = DelaySeconds(errors, "Delay:Max", delay.Max);
        DelaySeconds(errors, "Delay:Mean", delay.Mean);
        Range(errors, "Delay:StdDev", delay.StdDev, 0, MaxDelaySeconds);

        // Order rules only bind the model in use: Delay:Min is meaningless to a gaussian model.
        if (modelValid && min && max && IsModel(delay.Model, "uniform") && delay.Min > delay.Max)
        {
            errors.Add($"Delay:Min ({Format(delay.Min)}) is greater than Delay:Max ({Format(delay.Max)}).");
        }
    }

    private static void ValidateError(ErrorOptions error, List<string> errors)
    {
        var modelValid = Model(errors, "Error:Model", error.Model, "error");
        Probability(errors, "Error:Probability", error.Probability);
        var min = Probability(errors, "Error:Min", error.Min);
        var max = Probability(errors, "Error:Max", error.Max);
        Probability(errors, "Error:Mean", error.Mean);
        Range(errors, "Error:StdDev", error.StdDev, 0, 1);

        if (modelValid && min && max && IsModel(error.Model, "uniform") && error.Min > error.Max)
        {
            errors.Add($"Error:Min ({Format(error.Min)}) is greater than Error:Max ({Format(error.Max)}).");
        }
    }

    private static void ValidateParentPid(int pid, List<string> errors)
    {
        if (pid <= 0)
        {
            errors.Add($"ParentPid is {pid}; it must be the id of a running process.");
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            errors.Add($"ParentPid is {pid}, but no process with that id is running.");
        }
    }

    internal static bool IsModel(string? model, string expected) =>
        string.Equals(model?.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static bool Model(List<string> errors, string key, string? model, string what)
    {
        if (Models.Any(m => IsModel(model, m)))
        {
            return true;
        }

        errors.Add($"{key} is '{model}'; it must be one of fixed, uniform, gaussian (the {what} model).");
        return false;
    }

    private static bool DelaySeconds(List<string> errors, string key, double value) =>
        Range(errors, key, value, 0, MaxDelaySeconds, "a delay in seconds");

    private static bool Probability(List<string> errors, string key, double value) =>
        Range(errors, key, value, 0, 1, "a probability");

    private static bool Range(List<string> errors, string key, double value, double min, double max, string? what = null)
    {
        // The negated form also rejects NaN.
        if (!(value >= min && value <= max))
        {
            var subject = what ?? "it";
            errors.Add($"{key} is {Format(value)}; {subject} must be between {Format(min)} and {Format(max)}.");
            return false;
        }

        return true;
    }

    internal static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
