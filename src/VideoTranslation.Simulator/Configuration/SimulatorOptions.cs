namespace VideoTranslation.Simulator.Configuration;

/// <summary>Every setting of the simulator, bound from configuration (command line, VTSIM_ environment, JSON file).</summary>
internal sealed class SimulatorOptions
{
    /// <summary>IP address to listen on; an address, not a host name, so port 0 works.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (the listening line on stdout tells which).</summary>
    public int Port { get; set; } = 5080;

    /// <summary>Seed for every random draw; null draws a seed (logged so a run can be repeated).</summary>
    public int? Seed { get; set; }

    /// <summary>Exit when this process exits.</summary>
    public int? ParentPid { get; set; }

    /// <summary>Ignore the signals of a terminal's Ctrl+C, Ctrl+\ and Ctrl+Z; stop on SIGTERM, the parent's exit or a kill.</summary>
    public bool IgnoreTerminalSignals { get; set; }

    /// <summary>When set, requests must carry it in the X-Api-Key header (HeyGen v3 also takes Authorization: Bearer).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API the simulator speaks: Simulator (its own protocol), HeyGen (v3 translations), HeyGenV2, HeyGenVideo.</summary>
    public string Service { get; set; } = nameof(SimulatedService.Simulator);

    /// <summary>At most this many unfinished jobs; a create over it answers 429. Unset: 10 in the HeyGen modes, no limit in Simulator mode.</summary>
    public int? ConcurrencyLimit { get; set; }

    public WebhookOptions Webhooks { get; set; } = new();

    public DelayOptions Delay { get; set; } = new();

    public ErrorOptions Error { get; set; } = new();

    public HintOptions Hints { get; set; } = new();

    public LongPollOptions LongPoll { get; set; } = new();

    public JobOptions Jobs { get; set; } = new();

    public FaultOptions Faults { get; set; } = new();
}

/// <summary>How long a job stays pending, in seconds.</summary>
internal sealed class DelayOptions
{
    public string Model { get; set; } = "uniform";

    public double Seconds { get; set; } = 22.5;

    public double Min { get; set; } = 15;

    public double Max { get; set; } = 30;

    public double Mean { get; set; } = 22.5;

    public double StdDev { get; set; } = 3.75;
}

/// <summary>The probability that a job ends in error, drawn per job.</summary>
internal sealed class ErrorOptions
{
    public string Model { get; set; } = "fixed";

    public double Probability { get; set; }

    public double Min { get; set; }

    public double Max { get; set; }

    public double Mean { get; set; }

    public double StdDev { get; set; }
}

/// <summary>The progress, etaSeconds and Retry-After hints of a pending job.</summary>
internal sealed class HintOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Relative standard deviation of the noise on etaSeconds and Retry-After (0 = exact).</summary>
    public double EtaNoise { get; set; }

    /// <summary>Factor on etaSeconds and Retry-After (1 = true; 0.5 = always half the truth).</summary>
    public double EtaScale { get; set; } = 1;
}

/// <summary>The wait query parameter of the status routes.</summary>
internal sealed class LongPollOptions
{
    public bool Enabled { get; set; } = true;

    public double MaxWaitSeconds { get; set; } = 60;

    /// <summary>POST /jobs/status: one held request for many jobs (needs <see cref="Enabled"/>).</summary>
    public bool GroupEnabled { get; set; } = true;
}

/// <summary>Resource limits of the job store.</summary>
internal sealed class JobOptions
{
    /// <summary>How long a finished job stays readable after it finished.</summary>
    public double RetentionSeconds { get; set; } = 300;

    /// <summary>How many jobs (pending or finished but not yet expired) the store holds at most.</summary>
    public int MaxLiveJobs { get; set; } = 10_000;
}

/// <summary>Injected faults of the status routes. Also the body of PUT /admin/faults.</summary>
internal sealed class FaultOptions
{
    public double InternalErrorProbability { get; set; }

    public double ServiceUnavailableProbability { get; set; }

    public double TooManyRequestsProbability { get; set; }

    public double SlowProbability { get; set; }

    public double MalformedBodyProbability { get; set; }

    public double UnknownResultProbability { get; set; }

    public double DropConnectionProbability { get; set; }

    /// <summary>Creates (POST /jobs and the HeyGen create routes): hold the answer SlowSeconds after the job was made.</summary>
    public double SlowCreateProbability { get; set; }

    /// <summary>Creates: make the job(s), then drop the connection without an answer (a retried create must not make more).</summary>
    public double DropAfterCreateProbability { get; set; }

    /// <summary>How long a slow answer is held before it is answered normally.</summary>
    public double SlowSeconds { get; set; } = 2;

    /// <summary>The Retry-After of an injected 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How an injected 429 writes Retry-After: "seconds" (delay-seconds) or "date" (an HTTP-date that far ahead).</summary>
    public string RetryAfterFormat { get; set; } = "seconds";

    /// <summary>Answer 503 to job and status routes for this long from start-up (or from the PUT that sets it).</summary>
    public double UnavailableForSeconds { get; set; }
}

/// <summary>How a job's callback_url is told that the job ended (the HeyGen modes).</summary>
internal sealed class WebhookOptions
{
    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>How many times a failed delivery is tried again.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The pause before each retry (simulated clock).</summary>
    public double RetryDelaySeconds { get; set; } = 1;
}
