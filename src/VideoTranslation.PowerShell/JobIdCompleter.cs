using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Completes -JobId with the ids of jobs created in this session by New-TranslationJob (on the -Uri already typed,
/// if any). The protocol has no "list jobs" route, so the session's own record is the source.
/// </summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var pattern = CompletionPattern.For(wordToComplete);
        string? uri = fakeBoundParameters?["Uri"]?.ToString();
        return SessionJobs.All()
            .Where(job => uri is null || job.Uri.AbsoluteUri.TrimEnd('/') == uri.TrimEnd('/'))
            .Where(job => pattern.IsMatch(job.Id))
            .Select(job => new CompletionResult(job.Id, job.Id, CompletionResultType.ParameterValue, $"{job.Id} on {job.Uri} (created {job.CreatedAt:T})"))
            .ToList();
    }
}

/// <summary>The jobs created in this process by New-TranslationJob, newest last; bounded.</summary>
internal static class SessionJobs
{
    private const int Capacity = 1000;
    private static readonly List<TranslationJob> s_jobs = new();

    public static void Add(TranslationJob job)
    {
        lock (s_jobs)
        {
            if (s_jobs.Count == Capacity)
            {
                s_jobs.RemoveAt(0);
            }

            s_jobs.Add(job);
        }
    }

    public static TranslationJob[] All()
    {
        lock (s_jobs)
        {
            return s_jobs.ToArray();
        }
    }
}

/// <summary>The word typed so far as a case-insensitive prefix pattern, its quotes removed (every completer's match).</summary>
internal static class CompletionPattern
{
    public static WildcardPattern For(string? wordToComplete) =>
        new((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
}
