using System;
using System.Collections.Generic;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// Finds a member the parser reads that an object has more than once. JSON leaves such a body's meaning open (RFC 8259
/// §4: names SHOULD be unique) and <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> would silently take
/// one copy, so a status parser calls this first and rejects the body. System.Text.Json 8, the newest PowerShell 7.4
/// loads, cannot reject duplicates itself (<c>AllowDuplicateProperties</c> is .NET 10's).
/// </summary>
internal static class JsonMembers
{
    /// <summary>The first of <paramref name="names"/> that <paramref name="value"/> has more than once; <see langword="null"/> if none (or not an object).</summary>
    /// <remarks>Names compare as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> does: ordinal, after unescaping.</remarks>
    public static string? Repeated(JsonElement value, IReadOnlyCollection<string> names)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        HashSet<string>? seen = null;
        foreach (JsonProperty member in value.EnumerateObject())
        {
            foreach (string name in names)
            {
                if (string.Equals(member.Name, name, StringComparison.Ordinal) && !(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>The protocol error of a body whose <paramref name="field"/> (a name or a path) appears more than once.</summary>
    public static TranslationProtocolException Ambiguous(ServerAnswer answer, string where, string field) =>
        answer.Fail($"{where}the answer is ambiguous: \"{field}\" appears more than once.");
}
