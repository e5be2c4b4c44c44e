using System;
using System.Collections.Generic;

namespace VideoTranslation;

/// <summary>
/// Describes a JSON status API the library has no built-in service for, so it can be waited on without code:
/// where a job's status is (<see cref="StatusUrl"/>), where in the answer its status word is (<see cref="StatusPath"/>),
/// which words mean pending, completed and failed, and where the result URL and failure message are. Pass it to
/// <see cref="TranslationService.FromProfile"/>, which checks it and says what is wrong before any request is made.
/// </summary>
/// <remarks>
/// Paths are dotted member names from the answer's root, with <c>[n]</c> for an array item: <c>data.status</c>,
/// <c>jobs[0].state</c>. Words match ignoring case. Profiles wait only: they create no jobs. docs/services.md has examples.
/// </remarks>
public sealed class TranslationServiceProfile
{
    /// <summary>The service's name, shown in results, messages and logs, and the key its durations are learned under. Default <c>Custom</c>.</summary>
    public string Name { get; set; } = "Custom";

    /// <summary>
    /// The status URL of a job: a template with <c>{id}</c> where the job id goes (escaped as one path segment or query
    /// value), relative to the client's base address (<c>v1/jobs/{id}</c>, <c>status?job={id}</c>) or absolute. Required.
    /// </summary>
    public string? StatusUrl { get; set; }

    /// <summary>Where the status word is in a 2xx answer, like <c>data.status</c>. Required.</summary>
    public string? StatusPath { get; set; }

    /// <summary>The words that mean the job is still running, like <c>queued</c>, <c>processing</c>. At least one.</summary>
    public IList<string> PendingValues { get; set; } = new List<string>();

    /// <summary>The words that mean the job finished successfully, like <c>completed</c>. At least one.</summary>
    public IList<string> CompletedValues { get; set; } = new List<string>();

    /// <summary>The words that mean the job failed, like <c>failed</c>. At least one.</summary>
    public IList<string> FailedValues { get; set; } = new List<string>();

    /// <summary>Where the result's URL is, when the service gives one (read when it is an absolute http(s) URL). Optional.</summary>
    public string? VideoUrlPath { get; set; }

    /// <summary>Where a failed job's message is, when the service gives one. Optional.</summary>
    public string? FailureMessagePath { get; set; }

    /// <summary>Where the job's progress is, as a number from 0 to 1 (anything else is ignored). Optional.</summary>
    public string? ProgressPath { get; set; }

    /// <summary>Where the job's output language is, when the service gives it; durations are learned per language. Optional.</summary>
    public string? LanguagePath { get; set; }

    /// <summary>
    /// Where a finished job's end time is, as an ISO 8601 string or unix seconds (anything else is ignored), when the
    /// service gives one: the wait's detection lateness is measured from it (<see cref="TranslationStatus.CompletedAt"/>). Optional.
    /// </summary>
    public string? CompletedAtPath { get; set; }

    /// <summary>Where a non-2xx answer's error code is (its error envelope), like <c>error.code</c>. Optional.</summary>
    public string? ErrorCodePath { get; set; }

    /// <summary>Where a non-2xx answer's error message is, like <c>error.message</c>. Optional.</summary>
    public string? ErrorMessagePath { get; set; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
