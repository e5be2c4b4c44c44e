using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using VideoTranslation.Internal;

namespace VideoTranslation.PowerShell;

/// <summary>Wait-TranslationJob -AsJob: the input collected here, the waiting done by the same command in a <see cref="TranslationWaitJob"/>.</summary>
public sealed partial class WaitTranslationJobCommand
{
    // What the job's own command must not get: what it is given per input record, and what names a variable of this
    // session or this pipeline (which the job's runspace does not have).
    private static readonly HashSet<string> s_notForJob = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(AsJob), nameof(Uri), nameof(JobId), nameof(Service), nameof(ServiceProfile),
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private static readonly string[] s_singleJob = { "(single job)" };

    private readonly List<PSObject> _jobInput = new();

    // Every input record's -Uri, -JobId and service, as an object the job's command takes by property name.
    private void CollectForJob(TranslationService service)
    {
        var record = new PSObject();
        record.Properties.Add(new PSNoteProperty(nameof(Uri), Uri));
        record.Properties.Add(new PSNoteProperty(nameof(Service), service.Name));
        if (JobId is not null)
        {
            record.Properties.Add(new PSNoteProperty(nameof(JobId), JobId));
        }

        _jobInput.Add(record);
    }

    private void StartJob()
    {
        if (_jobInput.Count == 0)
        {
            return; // every -Uri was refused, each with its error: nothing to wait on
        }

        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, object> bound in MyInvocation.BoundParameters)
        {
            if (!s_notForJob.Contains(bound.Key))
            {
                parameters[bound.Key] = bound.Value;
            }
        }

        if (ProfileService is { } profile)
        {
            parameters[nameof(ServiceProfile)] = profile; // checked here already; a relative file path would mean another folder there
        }

        if (HistoryPath is not null && FileSystemPath(HistoryPath) is { } historyPath)
        {
            parameters[nameof(HistoryPath)] = historyPath;
        }

        if (OnStatusChange is not null)
        {
            // Made again from its text, as Start-ThreadJob does: a block runs only in the runspace it belongs to, and
            // the job's is another. So the caller's variables are not visible in it (pass what it needs in its text).
            parameters[nameof(OnStatusChange)] = ScriptBlock.Create(OnStatusChange.ToString());
        }

        var job = new TranslationWaitJob(JobCommand(), JobLocation(), ModulePath(), parameters, _jobInput);
        JobRepository.Add(job);
        job.Start();
        WriteObject(job);
    }

    // The job's runspace starts in the process's working directory, not at this session's location, so a relative
    // -HistoryPath goes to the job as a full path. Anything else is left for the job's command to report.
    private string? FileSystemPath(string path)
    {
        try
        {
            string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            return provider.Name == "FileSystem" ? full : null;
        }
        catch (Exception ex) when (ex is RuntimeException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    // What Get-Job shows as the job's Command: the servers and job ids, never a key or a header.
    private string JobCommand()
    {
        List<string> ids = _jobInput.SelectMany(r => r.Properties[nameof(JobId)]?.Value as string[] ?? s_singleJob).ToList();
        string shown = string.Join(", ", ids.Take(3)) + (ids.Count > 3 ? $", … ({ids.Count} jobs)" : string.Empty);
        return $"Wait-TranslationJob -Uri {JobLocation()} -JobId {shown}";
    }

    private string JobLocation() =>
        string.Join(", ", _jobInput.Select(r => UriRedaction.Redact((Uri)r.Properties[nameof(Uri)].Value).ToString()).Distinct());

    // The job's runspace imports this module as this session did: by its manifest, which also loads its formats.
    private string ModulePath()
    {
        string assembly = typeof(WaitTranslationJobCommand).Assembly.Location;
        string folder = MyInvocation.MyCommand.Module?.ModuleBase ?? Path.GetDirectoryName(assembly)!;
        string manifest = Path.Combine(folder, "VideoTranslation.psd1");
        return File.Exists(manifest) ? manifest : assembly;
    }
}
