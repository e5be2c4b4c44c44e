using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Turns -ServiceProfile (a hashtable, a PSCustomObject, the path of a .psd1 or .json file, or a
/// <see cref="TranslationServiceProfile"/>) into a service. Only the keys and their types are checked here; what the
/// values mean (a URL with {id}, a path, words in one list each) is checked by the core's
/// <see cref="TranslationService.FromProfile"/>, whose message is passed on with where the profile came from.
/// </summary>
internal static class ServiceProfileReader
{
    private static readonly string[] s_textKeys =
    {
        nameof(TranslationServiceProfile.Name), nameof(TranslationServiceProfile.StatusUrl), nameof(TranslationServiceProfile.StatusPath),
        nameof(TranslationServiceProfile.VideoUrlPath), nameof(TranslationServiceProfile.FailureMessagePath), nameof(TranslationServiceProfile.ProgressPath),
        nameof(TranslationServiceProfile.LanguagePath), nameof(TranslationServiceProfile.ErrorCodePath), nameof(TranslationServiceProfile.ErrorMessagePath),
        nameof(TranslationServiceProfile.CompletedAtPath),
    };

    private static readonly string[] s_listKeys =
    {
        nameof(TranslationServiceProfile.PendingValues), nameof(TranslationServiceProfile.CompletedValues), nameof(TranslationServiceProfile.FailedValues),
    };

    private static string KnownKeys => string.Join(", ", s_textKeys.Take(3).Concat(s_listKeys).Concat(s_textKeys.Skip(3)));

    /// <summary>The service the profile describes; a profile that is wrong stops the command (InvalidServiceProfile).</summary>
    public static TranslationService Read(PSCmdlet cmdlet, object value)
    {
        object input = value is PSObject wrapped ? wrapped.BaseObject : value;
        string source = "the -ServiceProfile " + (input is IDictionary ? "hashtable" : "object");
        try
        {
            if (input is TranslationService service)
            {
                return service; // Wait-TranslationJob -AsJob hands its job the profile it has already checked
            }

            TranslationServiceProfile profile = input switch
            {
                TranslationServiceProfile given => given,
                IDictionary table => FromTable(Entries(table)),
                string or FileInfo => FromFile(cmdlet, input.ToString(), out source),
                PSCustomObject => FromTable(((PSObject)value).Properties.Select(p => new KeyValuePair<object, object?>(p.Name, p.Value))),
                _ => throw new ProfileException(
                    $"-ServiceProfile takes a hashtable, or the path of a .psd1 or .json file, not a {input.GetType().Name}.", ErrorCategory.InvalidArgument),
            };
            return TranslationService.FromProfile(profile);
        }
        catch (ProfileException ex)
        {
            cmdlet.ThrowTerminatingError(Record(ex.Message, ex.Category, source, ex.InnerException));
        }
        catch (ArgumentException ex)
        {
            cmdlet.ThrowTerminatingError(Record(WithoutParameterSuffix(ex.Message), ErrorCategory.InvalidArgument, source, ex));
        }

        return null!; // not reached: ThrowTerminatingError throws
    }

    private static ErrorRecord Record(string problem, ErrorCategory category, string source, Exception? inner) =>
        new(new ArgumentException($"The service profile from {source} is wrong: {problem}", inner), ErrorIds.InvalidServiceProfile, category, source)
        {
            ErrorDetails = new ErrorDetails($"The service profile from {source} is wrong: {problem}")
            {
                RecommendedAction = "Fix the profile; Get-Help about_VideoTranslation shows one (docs/services.md has more).",
            },
        };

    private static IEnumerable<KeyValuePair<object, object?>> Entries(IDictionary table)
    {
        foreach (DictionaryEntry entry in table)
        {
            yield return new KeyValuePair<object, object?>(entry.Key, entry.Value);
        }
    }

    private static TranslationServiceProfile FromTable(IEnumerable<KeyValuePair<object, object?>> entries)
    {
        var profile = new TranslationServiceProfile();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<object, object?> entry in entries)
        {
            string key = (entry.Key is PSObject k ? k.BaseObject : entry.Key)?.ToString() ?? string.Empty;
            object? item = entry.Value is PSObject v ? v.BaseObject : entry.Value;
            if (!seen.Add(key))
            {
                throw new ProfileException($"the key '{key}' is given twice.", ErrorCategory.InvalidArgument);
            }

            if (s_textKeys.FirstOrDefault(known => string.Equals(known, key, StringComparison.OrdinalIgnoreCase)) is { } textKey)
            {
                SetText(profile, textKey, item);
            }
            else if (s_listKeys.FirstOrDefault(known => string.Equals(known, key, StringComparison.OrdinalIgnoreCase)) is { } listKey)
            {
                SetList(profile, listKey, item);
            }
            else
            {
                throw new ProfileException($"'{key}' is not a key of a service profile; the keys are {KnownKeys}.", ErrorCategory.InvalidArgument);
            }
        }

        return profile;
    }

    private static void SetText(TranslationServiceProfile profile, string key, object? value)
    {
        if (value is null)
        {
            return; // as if not given: the core says so where the key is required
        }

        if (value is not string text)
        {
            throw new ProfileException($"'{key}' must be a string, not {Describe(value)}.", ErrorCategory.InvalidArgument);
        }

        typeof(TranslationServiceProfile).GetProperty(key)!.SetValue(profile, text);
    }

    private static void SetList(TranslationServiceProfile profile, string key, object? value)
    {
        var words = new List<string>();
        IEnumerable items = value switch
        {
            null => Array.Empty<object>(),
            string one => new[] { one },
            IEnumerable many and not IDictionary => many,
            _ => throw new ProfileException($"'{key}' must be a list of status words (strings), not {Describe(value)}.", ErrorCategory.InvalidArgument),
        };
        foreach (object? raw in items)
        {
            object? item = raw is PSObject w ? w.BaseObject : raw;
            words.Add(item as string ?? throw new ProfileException(
                $"'{key}' holds {Describe(item)}; every status word must be a string, like 'completed'.", ErrorCategory.InvalidArgument));
        }

        typeof(TranslationServiceProfile).GetProperty(key)!.SetValue(profile, words);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        IDictionary => "a hashtable",
        string => "a string",
        IEnumerable => "a list",
        bool => "a boolean",
        _ => "a " + value.GetType().Name,
    };

    private static TranslationServiceProfile FromFile(PSCmdlet cmdlet, string? path, out string source)
    {
        source = $"'{path}'";
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new ProfileException($"it is not a file-system path (the {provider.Name} provider's).", ErrorCategory.InvalidArgument);
            }
        }
        catch (Exception ex) when (ex is RuntimeException or ArgumentException or NotSupportedException)
        {
            throw new ProfileException($"it is not a usable path: {ex.Message}", ErrorCategory.InvalidArgument, ex);
        }

        source = $"the file '{full}'";
        if (!File.Exists(full))
        {
            throw new ProfileException(
                Directory.Exists(full) ? "it is a folder, not a .psd1 or .json file." : "there is no such file.",
                Directory.Exists(full) ? ErrorCategory.InvalidArgument : ErrorCategory.ObjectNotFound);
        }

        string extension = Path.GetExtension(full);
        if (string.Equals(extension, ".psd1", StringComparison.OrdinalIgnoreCase))
        {
            return FromTable(Entries(ReadDataFile(full)));
        }

        if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromTable(ReadJsonFile(full));
        }

        throw new ProfileException($"a profile file is a .psd1 (a PowerShell hashtable) or a .json file, not '{extension}'.", ErrorCategory.InvalidArgument);
    }

    // As Import-PowerShellDataFile reads one: a single hashtable of constants, evaluated without running any code.
    private static IDictionary ReadDataFile(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            ParseError first = errors[0];
            throw new ProfileException(
                $"it is not a PowerShell data file: line {first.Extent.StartLineNumber}: {first.Message}", ErrorCategory.InvalidData);
        }

        if (ast.EndBlock?.Statements is not { Count: 1 } statements ||
            statements[0] is not PipelineAst pipeline || pipeline.GetPureExpression() is not HashtableAst table)
        {
            throw new ProfileException("a .psd1 profile must hold one hashtable, @{ StatusUrl = …; … }, and nothing else.", ErrorCategory.InvalidData);
        }

        try
        {
            return (IDictionary)table.SafeGetValue();
        }
        catch (InvalidOperationException ex)
        {
            throw new ProfileException($"it holds something that is not a constant (only strings and lists of strings): {ex.Message}", ErrorCategory.InvalidData, ex);
        }
    }

    private static List<KeyValuePair<object, object?>> ReadJsonFile(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ProfileException($"a .json profile must be one object, {{\"StatusUrl\": …}}, not {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}.", ErrorCategory.InvalidData);
            }

            return doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<object, object?>(p.Name, FromJson(p.Value))).ToList();
        }
        catch (JsonException ex)
        {
            throw new ProfileException($"it is not JSON: {ex.Message}", ErrorCategory.InvalidData, ex);
        }
        catch (IOException ex)
        {
            throw new ProfileException($"it cannot be read: {ex.Message}", ErrorCategory.ReadError, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ProfileException($"it cannot be read: {ex.Message}", ErrorCategory.ReadError, ex);
        }
    }

    private static object? FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        JsonValueKind.Array => value.EnumerateArray().Select(FromJson).ToArray(),
        JsonValueKind.Object => new Hashtable(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        _ => value.GetDouble(),
    };

    private static string WithoutParameterSuffix(string message)
    {
        int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix > 0 ? message.Substring(0, suffix) : message;
    }

    private sealed class ProfileException : Exception
    {
        public ProfileException(string message, ErrorCategory category, Exception? inner = null)
            : base(message, inner)
        {
            Category = category;
        }

        public ErrorCategory Category { get; }
    }
}
