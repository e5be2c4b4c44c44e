using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VideoTranslation.Simulator.Configuration;
using VideoTranslation.Simulator.Tests.Support;

namespace VideoTranslation.Simulator.Tests;

/// <summary>Start-up validation: every bad setting stops the server with a message naming the setting and value.</summary>
public sealed class ConfigurationTests
{
    private static List<string> Failures(params string[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings.Parse(settings)).Build();
        var options = configuration.Get<SimulatorOptions>() ?? new SimulatorOptions();
        var result = new SimulatorOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Failures());
    }

    [Theory]
    [InlineData("Delay:Model=exponential", "Delay:Model is 'exponential'; it must be one of fixed, uniform, gaussian")]
    [InlineData("Error:Model=poisson", "Error:Model is 'poisson'; it must be one of fixed, uniform, gaussian")]
    [InlineData("Delay:Seconds=-0.5", "Delay:Seconds is -0.5; a delay in seconds must be between 0 and 86400")]
    [InlineData("Delay:Min=-1", "Delay:Min is -1; a delay in seconds must be between 0")]
    [InlineData("Delay:Max=100000", "Delay:Max is 100000; a delay in seconds must be between 0 and 86400")]
    [InlineData("Delay:Mean=-3", "Delay:Mean is -3")]
    [InlineData("Delay:StdDev=-1", "Delay:StdDev is -1")]
    [InlineData("Delay:Seconds=NaN", "Delay:Seconds is NaN")]
    [InlineData("Error:Probability=1.5", "Error:Probability is 1.5; a probability must be between 0 and 1")]
    [InlineData("Error:Probability=-0.1", "Error:Probability is -0.1; a probability must be between 0 and 1")]
    [InlineData("Error:Min=2", "Error:Min is 2; a probability must be between 0 and 1")]
    [InlineData("Error:Max=-1", "Error:Max is -1")]
    [InlineData("Error:Mean=1.01", "Error:Mean is 1.01")]
    [InlineData("Error:StdDev=-0.2", "Error:StdDev is -0.2")]
    [InlineData("Hints:EtaNoise=-1", "Hints:EtaNoise is -1")]
    [InlineData("Hints:EtaScale=0", "Hints:EtaScale is 0; it must be greater than 0")]
    [InlineData("LongPoll:MaxWaitSeconds=0", "LongPoll:MaxWaitSeconds is 0; it must be greater than 0 and at most 300")]
    [InlineData("LongPoll:MaxWaitSeconds=301", "LongPoll:MaxWaitSeconds is 301")]
    [InlineData("Jobs:RetentionSeconds=0", "Jobs:RetentionSeconds is 0")]
    [InlineData("Jobs:MaxLiveJobs=0", "Jobs:MaxLiveJobs is 0; it must be between 1 and 1000000")]
    [InlineData("Faults:InternalErrorProbability=1.1", "Faults:InternalErrorProbability is 1.1; a probability must be between 0 and 1")]
    [InlineData("Faults:ServiceUnavailableProbability=-1", "Faults:ServiceUnavailableProbability is -1")]
    [InlineData("Faults:TooManyRequestsProbability=2", "Faults:TooManyRequestsProbability is 2")]
    [InlineData("Faults:SlowProbability=2", "Faults:SlowProbability is 2")]
    [InlineData("Faults:MalformedBodyProbability=2", "Faults:MalformedBodyProbability is 2")]
    [InlineData("Faults:UnknownResultProbability=2", "Faults:UnknownResultProbability is 2")]
    [InlineData("Faults:DropConnectionProbability=2", "Faults:DropConnectionProbability is 2")]
    [InlineData("Faults:SlowSeconds=-1", "Faults:SlowSeconds is -1")]
    [InlineData("Faults:RetryAfterSeconds=-1", "Faults:RetryAfterSeconds is -1")]
    [InlineData("Faults:RetryAfterFormat=minutes", "Faults:RetryAfterFormat is 'minutes'; it must be 'seconds' or 'date'.")]
    [InlineData("Faults:UnavailableForSeconds=-1", "Faults:UnavailableForSeconds is -1")]
    [InlineData("Host=localhost", "Host is 'localhost'; it must be an IP address")]
    [InlineData("Port=70000", "Port is 70000; it must be between 0 and 65535")]
    [InlineData("ParentPid=-5", "ParentPid is -5")]
    [InlineData("ParentPid=2147483647", "ParentPid is 2147483647, but no process with that id is running")]
    [InlineData("ApiKey=   ", "ApiKey is blank")]
    [InlineData("Service=HeyGenV4", "Service is 'HeyGenV4'; it must be one of Simulator, HeyGen, HeyGenV2, HeyGenVideo.")]
    [InlineData("Service=1", "Service is '1'; it must be one of")]
    [InlineData("ConcurrencyLimit=0", "ConcurrencyLimit is 0; it must be between 1 and 1000000")]
    [InlineData("Webhooks:TimeoutSeconds=0", "Webhooks:TimeoutSeconds is 0")]
    [InlineData("Webhooks:Retries=11", "Webhooks:Retries is 11; it must be between 0 and 10.")]
    [InlineData("Webhooks:RetryDelaySeconds=-1", "Webhooks:RetryDelaySeconds is -1")]
    [InlineData("Faults:SlowCreateProbability=2", "Faults:SlowCreateProbability is 2")]
    [InlineData("Faults:DropAfterCreateProbability=-1", "Faults:DropAfterCreateProbability is -1")]
    public void A_bad_setting_fails_with_a_message_naming_it_and_its_value(string setting, string expected)
    {
        var failure = Assert.Single(Failures(setting));
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uniform", "Delay:Min (30) is greater than Delay:Max (10).")]
    public void Min_above_max_fails_for_the_uniform_delay(string model, string expected)
    {
        Assert.Equal(expected, Assert.Single(Failures($"Delay:Model={model}", "Delay:Min=30", "Delay:Max=10")));
    }

    [Fact]
    public void Min_above_max_fails_for_the_uniform_error_probability()
    {
        Assert.Equal("Error:Min (0.6) is greater than Error:Max (0.2).", Assert.Single(Failures("Error:Model=uniform", "Error:Min=0.6", "Error:Max=0.2")));
    }

    [Fact]
    public void Min_above_max_does_not_matter_to_a_model_that_does_not_use_them()
    {
        Assert.Empty(Failures("Delay:Model=gaussian", "Delay:Min=30", "Delay:Max=10"));
    }

    [Fact]
    public void Create_fault_probabilities_may_not_add_up_to_more_than_one_but_do_not_count_against_the_status_faults()
    {
        Assert.Contains("add up to 1.5", Assert.Single(Failures("Faults:SlowCreateProbability=0.7", "Faults:DropAfterCreateProbability=0.8")), StringComparison.Ordinal);
        Assert.Empty(Failures("Faults:DropAfterCreateProbability=1", "Faults:InternalErrorProbability=1"));
    }

    [Fact]
    public void Service_names_are_read_in_any_case()
    {
        Assert.Empty(Failures("Service=heygenv2"));
    }

    [Fact]
    public void Fault_probabilities_may_not_add_up_to_more_than_one()
    {
        var failure = Assert.Single(Failures("Faults:InternalErrorProbability=0.5", "Faults:SlowProbability=0.3", "Faults:DropConnectionProbability=0.3"));
        Assert.Contains("add up to 1.1", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        Assert.Equal(3, Failures("Delay:Model=x", "Error:Probability=3", "Port=-1").Count);
    }

    [Fact]
    public void Fractional_seconds_and_model_names_in_any_case_are_valid()
    {
        Assert.Empty(Failures("Delay:Model=FIXED", "Delay:Seconds=0.05", "LongPoll:MaxWaitSeconds=0.5", "Jobs:RetentionSeconds=0.2"));
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_the_validation_message()
    {
        var builder = SimulatorApp.CreateBuilder(["--port", "0", "--delay-model", "exponential", "--Error:Probability", "7"]);
        await using var app = SimulatorApp.Build(builder);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(ex.Failures, f => f.Contains("Delay:Model is 'exponential'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Error:Probability is 7", StringComparison.Ordinal));
    }

    [Fact]
    public void Friendly_switches_and_full_keys_both_reach_the_settings()
    {
        var configuration = new ConfigurationManager();
        SimulatorConfiguration.Apply(configuration, ["--delay-model", "gaussian", "--delay-mean=0.05", "--Error:Probability", "0.25", "--fault-429", "0.1"]);
        var options = configuration.Get<SimulatorOptions>()!;

        Assert.Equal("gaussian", options.Delay.Model);
        Assert.Equal(0.05, options.Delay.Mean);
        Assert.Equal(0.25, options.Error.Probability);
        Assert.Equal(0.1, options.Faults.TooManyRequestsProbability);
    }

    [Fact]
    public void Every_friendly_switch_maps_to_a_known_setting()
    {
        Assert.All(SimulatorConfiguration.SwitchMappings.Values, key => Assert.Contains(key, SimulatorConfiguration.KnownKeys));
    }

    [Theory]
    [InlineData(new[] { "--dealy", "5" }, "Unknown setting 'dealy' on the command line")]
    [InlineData(new[] { "--Delay:Modle", "fixed" }, "Unknown setting 'Delay:Modle' on the command line")]
    [InlineData(new[] { "--port", "abc" }, "'abc' at 'Port'")]
    [InlineData(new[] { "--hints", "maybe" }, "'maybe' at 'Hints:Enabled' to type 'System.Boolean'")]
    [InlineData(new[] { "--long-poll", "2" }, "'2' at 'LongPoll:Enabled' to type 'System.Boolean'")]
    [InlineData(new[] { "--seed", "abc" }, "'abc' at 'Seed' to type 'System.Int32'")]
    [InlineData(new[] { "--max-jobs", "1e3" }, "'1e3' at 'Jobs:MaxLiveJobs' to type 'System.Int32'")]
    [InlineData(new[] { "--delay", "1,5" }, "'1,5' at 'Delay:Seconds' to type 'System.Double'")]
    [InlineData(new[] { "--config", "/no/such/file.json" }, "Config is '/no/such/file.json', but there is no such file")]
    public void An_unusable_command_line_stops_the_start_up_with_a_clear_message(string[] args, string expected)
    {
        var ex = Assert.Throws<SimulatorConfigurationException>(() => SimulatorConfiguration.Apply(new ConfigurationManager(), args));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_file_is_read_and_checked_for_unknown_keys()
    {
        var good = Path.GetTempFileName();
        var bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(good, """{ "Delay": { "Model": "fixed", "Seconds": 0.05 }, "Faults": { "SlowSeconds": 1.5 } }""");
            File.WriteAllText(bad, """{ "Delay": { "Model": "fixed" }, "Bogus": 1 }""");

            var configuration = new ConfigurationManager();
            SimulatorConfiguration.Apply(configuration, ["--config", good, "--delay", "0.07"]);
            var options = configuration.Get<SimulatorOptions>()!;
            Assert.Equal("fixed", options.Delay.Model);
            Assert.Equal(0.07, options.Delay.Seconds); // the command line wins over the file
            Assert.Equal(1.5, options.Faults.SlowSeconds);

            var ex = Assert.Throws<SimulatorConfigurationException>(() => SimulatorConfiguration.Apply(new ConfigurationManager(), ["--config", bad]));
            Assert.Contains("Unknown setting 'Bogus'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(good);
            File.Delete(bad);
        }
    }
}
