using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace VideoTranslation.PowerShell;

/// <summary>
/// The API key of the cmdlets: where it comes from, and the one place it becomes plain text. The key is held as a
/// <see cref="SecureString"/> (-ApiKey) or read from <see cref="EnvironmentVariable"/>; it is turned into a string only
/// by <see cref="Reveal"/>, at the moment it is handed to the client core or to the simulator's environment, and it is
/// never written to a stream, a message or an object.
/// </summary>
internal static class ApiKeyParameter
{
    /// <summary>The environment variable read when -ApiKey is not given; empty or unset means no key.</summary>
    public const string EnvironmentVariable = "VIDEOTRANSLATION_API_KEY";

    /// <summary>How error messages name the environment variable.</summary>
    public const string EnvironmentVariableDisplay = "$env:" + EnvironmentVariable;

    /// <summary>The environment variable that gives the simulator its API key (docs/protocol.md: prefix VTSIM_).</summary>
    public const string SimulatorEnvironmentVariable = "VTSIM_ApiKey";

    /// <summary>The key from the environment, or <see langword="null"/> when the variable is unset or empty.</summary>
    /// <param name="variable">The variable: <see cref="EnvironmentVariable"/>, or a service's own (HEYGEN_API_KEY).</param>
    public static string? FromEnvironment(string variable = EnvironmentVariable)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The plain text of <paramref name="key"/>. The only conversion of a SecureString in the module.</summary>
    public static string Reveal(SecureString key)
    {
        IntPtr buffer = IntPtr.Zero;
        try
        {
            buffer = Marshal.SecureStringToGlobalAllocUnicode(key);
            return Marshal.PtrToStringUni(buffer, key.Length);
        }
        finally
        {
            if (buffer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(buffer);
            }
        }
    }

    /// <summary>
    /// Checks <paramref name="key"/> by the core's own rule (non-blank, no control characters) and returns an error
    /// record that names where it came from, never the key; <see langword="null"/> when it is fine.
    /// </summary>
    public static ErrorRecord? Check(string key, string source)
    {
        try
        {
            _ = new TranslationClientOptions { ApiKey = key };
            return null;
        }
        catch (ArgumentException ex)
        {
            string fix = source.StartsWith("$env:", StringComparison.Ordinal)
                ? $"set {source} to the key, or to an empty string for no key"
                : "give the key itself, for example -ApiKey (Read-Host -AsSecureString), or omit -ApiKey for no key";
            return new ErrorRecord(
                new ArgumentException($"The API key from {source} is blank or holds control characters (line breaks included), which no HTTP header can carry; {fix}. The key is not shown.", ex),
                ErrorIds.InvalidApiKey,
                ErrorCategory.InvalidArgument,
                source);
        }
    }
}

/// <summary>
/// Lets only a <see cref="SecureString"/> (or null, for ValidateNotNull to report) bind to -ApiKey, with a message that
/// says how to make one: PowerShell's own message only says that a string cannot be converted.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>The parameter's name, for the message: ApiKey (default) or Token.</summary>
    public string ParameterName { get; set; } = "ApiKey";

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null or SecureString)
        {
            return value;
        }

        throw new ArgumentTransformationMetadataException(ParameterName == "ApiKey"
            ? $"-ApiKey takes a SecureString, not a {value.GetType().Name}, so that the key is not kept as plain text in the session: " +
              $"use -ApiKey (Read-Host -AsSecureString), or set {ApiKeyParameter.EnvironmentVariableDisplay} and omit -ApiKey."
            : $"-{ParameterName} takes a SecureString, not a {value.GetType().Name}, so that it is not kept as plain text in the session: " +
              $"use -{ParameterName} (Read-Host -AsSecureString), or (ConvertTo-SecureString $text -AsPlainText) where the text comes from a secret store.");
    }
}

/// <summary>Rejects an empty SecureString at binding (an Enter pressed at Read-Host -AsSecureString), without reading the key.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateApiKeyNotEmptyAttribute : ValidateArgumentsAttribute
{
    /// <summary>The parameter's name, for the message: ApiKey (default) or Token.</summary>
    public string ParameterName { get; set; } = "ApiKey";

    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is SecureString { Length: 0 })
        {
            throw new ValidationMetadataException(ParameterName == "ApiKey"
                ? "The API key is empty; give the key, or omit -ApiKey to send none."
                : $"The -{ParameterName} is empty; give it, or omit -{ParameterName} to send none.");
        }
    }
}
