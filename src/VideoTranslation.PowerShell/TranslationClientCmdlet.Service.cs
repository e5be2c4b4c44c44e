using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace VideoTranslation.PowerShell;

/// <summary>Which service the cmdlets speak: -Service, -ServiceProfile, a piped object's Service, or the one -Uri implies.</summary>
public abstract partial class TranslationClientCmdlet
{
    private static readonly string[] s_serviceNames = Enum.GetNames(typeof(TranslationServiceKind));
    private TranslationService? _profileService;
    private bool _serviceOnCommandLine;

    /// <summary>
    /// The service's wire format: Simulator, HeyGen (v3 video translations), HeyGenV2 or HeyGenVideo. Without it (and
    /// without -ServiceProfile), a piped job's own service, else HeyGen for https://api.heygen.com, else Simulator.
    /// </summary>
    /// <remarks>
    /// A string, not the enum: a piped object's Service may be a profile's name, which must reach the cmdlet to be
    /// matched with -ServiceProfile (or refused with a message that says so) instead of failing at binding.
    /// </remarks>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    public string? Service { get; set; }

    /// <summary>
    /// A JSON status API described declaratively: a hashtable, or the path of a .psd1 or .json file, with the keys
    /// StatusUrl, StatusPath, PendingValues, CompletedValues, FailedValues (required) and Name, VideoUrlPath,
    /// FailureMessagePath, ProgressPath, LanguagePath, ErrorCodePath, ErrorMessagePath, CompletedAtPath. Checked before any request.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public object? ServiceProfile { get; set; }

    /// <summary>The service of a profile given with -ServiceProfile, checked; <see langword="null"/> without one.</summary>
    private protected TranslationService? ProfileService => _profileService;

    // Called from BeginProcessing: what is on the command line is checked once, before any request.
    private void BindServiceParameters()
    {
        _serviceOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Service));
        if (_serviceOnCommandLine && ServiceProfile is not null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-Service and -ServiceProfile cannot be used together: -Service names a built-in service, -ServiceProfile describes another one. Give one of them."),
                ErrorIds.ConflictingServiceParameters,
                ErrorCategory.InvalidArgument,
                Service));
        }

        if (_serviceOnCommandLine && BuiltIn(Service) is null)
        {
            ThrowTerminatingError(UnknownService(Service, piped: false));
        }

        if (ServiceProfile is not null)
        {
            _profileService = ServiceProfileReader.Read(this, ServiceProfile);
        }
    }

    /// <summary>The service of the current record, or <see langword="null"/> after writing why there is none.</summary>
    private TranslationService? ServiceForCurrentRecord()
    {
        string? name = string.IsNullOrWhiteSpace(Service) ? null : Service!.Trim();
        if (_profileService is not null)
        {
            if (name is null || string.Equals(name, _profileService.Name, StringComparison.OrdinalIgnoreCase))
            {
                return _profileService;
            }

            // -Service on the command line was refused in BeginProcessing, so this one came with a piped object.
            WriteError(new ErrorRecord(
                new ArgumentException($"The piped job is of the '{name}' service, but -ServiceProfile describes the '{_profileService.Name}' service: wait on each job with the service that made it."),
                ErrorIds.ConflictingServiceParameters,
                ErrorCategory.InvalidArgument,
                name));
            return null;
        }

        if (name is null)
        {
            return TranslationService.ForUri(Uri);
        }

        if (BuiltIn(name) is { } service)
        {
            return service;
        }

        WriteError(UnknownService(name, piped: true));
        return null;
    }

    private static TranslationService? BuiltIn(string? name)
    {
        string? match = s_serviceNames.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return match is null ? null : TranslationService.Get((TranslationServiceKind)Enum.Parse(typeof(TranslationServiceKind), match));
    }

    private static ErrorRecord UnknownService(string? name, bool piped)
    {
        string names = string.Join(", ", s_serviceNames);
        string message = piped
            ? $"The piped job is of the '{name}' service, which is not a built-in one ({names}): if it is a profile's name, give the same -ServiceProfile it was waited on with."
            : $"-Service '{name}' is not a built-in service: give one of {names}, or describe another service with -ServiceProfile.";
        return new ErrorRecord(new ArgumentException(message), ErrorIds.UnknownTranslationService, ErrorCategory.InvalidArgument, name);
    }
}

/// <summary>Completes -Service with the built-in service names (Simulator, HeyGen, HeyGenV2, HeyGenVideo).</summary>
public sealed class ServiceNameCompleter : IArgumentCompleter
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
        return Enum.GetNames(typeof(TranslationServiceKind))
            .Where(pattern.IsMatch)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, Describe(name)))
            .ToList();
    }

    private static string Describe(string name) => name switch
    {
        nameof(TranslationServiceKind.HeyGen) => "HeyGen v3 video translations: POST /v3/video-translations, GET /v3/video-translations/{id}",
        nameof(TranslationServiceKind.HeyGenV2) => "HeyGen v2 video translations: GET /v2/video_translate/{id}",
        nameof(TranslationServiceKind.HeyGenVideo) => "HeyGen video status: GET /v1/video_status.get?video_id={id}",
        _ => "The simulator's protocol and the original GET /status (the default)",
    };
}
