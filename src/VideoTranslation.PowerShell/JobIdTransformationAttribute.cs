using System;
using System.Collections;
using System.Management.Automation;

namespace VideoTranslation.PowerShell;

/// <summary>
/// Lets -JobId take plain ids by value from the pipeline (<c>Get-Content ids.txt | Wait-TranslationJob</c>) without
/// turning every other piped object into an id. PowerShell binds a piped object by value without coercion, then by
/// property name, then by value with coercion, and that last step would make any object an id by its ToString():
/// a simulator object (which has a Uri but no job id) would become the id "http://127.0.0.1:5080/".
/// </summary>
/// <remarks>
/// Strings, numbers and arrays pass unchanged; the module's own objects become their job id; an object with a JobId
/// or Id property is left to bind by that property; any other object is "no -JobId" (the single-job endpoint),
/// as such an object bound before -JobId took input by value.
/// </remarks>
public sealed class JobIdTransformationAttribute : ArgumentTransformationAttribute
{
    // What "no -JobId" binds as: a string instance of its own, told apart by reference, so no id typed or piped is it.
    private static readonly string s_noJobId = new("(no job id)".ToCharArray());

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null or IConvertible or IEnumerable => inputData, // strings, numbers, arrays: as PowerShell binds them
            TranslationJob job => job.Id,
            TranslationStatus status => status.JobId ?? (object)NoJobId(),
            TranslationWaitResult result => result.JobId ?? (object)NoJobId(),
            _ when HasIdProperty(inputData) => inputData, // not a string: binds by its property, in the next step
            _ => NoJobId(),
        };
    }

    /// <summary>The job ids as the cmdlet uses them: <see langword="null"/> (the single-job endpoint) for "no -JobId".</summary>
    /// <param name="jobIds">The bound value.</param>
    /// <returns><paramref name="jobIds"/>, or <see langword="null"/>.</returns>
    internal static string[]? Normalize(string[]? jobIds) =>
        jobIds is { Length: 1 } && ReferenceEquals(jobIds[0], s_noJobId) ? null : jobIds;

    private static string[] NoJobId() => new[] { s_noJobId };

    private static bool HasIdProperty(object? inputData)
    {
        PSObject item = PSObject.AsPSObject(inputData!);
        return item.Properties["JobId"] is not null || item.Properties["Id"] is not null;
    }
}

/// <summary>Refuses a null or empty -JobId with a message that says what to give instead.</summary>
public sealed class ValidateJobIdsAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is null)
        {
            throw new ValidationMetadataException("The argument is null. Give a job id, or omit -JobId for the single-job /status endpoint.");
        }

        if (value is Array { Length: 0 })
        {
            throw new ValidationMetadataException("The argument is an empty list. Give a job id, or omit -JobId for the single-job /status endpoint.");
        }
    }
}
