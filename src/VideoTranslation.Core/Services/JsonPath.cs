using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VideoTranslation.Internal;

/// <summary>
/// A dotted path into a JSON answer (<c>data.status</c>, <c>jobs[0].state</c>): member names from the root, <c>[n]</c>
/// for an array item. Hand-written: System.Text.Json has no path queries, and this small subset is all a profile needs
/// (a JSONPath library would accept filters and wildcards that can match more than one value).
/// </summary>
internal sealed class JsonPath
{
    private readonly Step[] _steps;

    private JsonPath(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses a path, or returns why it is not one.</summary>
    public static JsonPath? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty";
            return null;
        }

        var steps = new List<Step>();
        var name = new StringBuilder();
        int i = 0;
        bool expectName = true;
        while (i < text!.Length)
        {
            char c = text[i];
            if (c == '.')
            {
                if (!EndName(name, steps, expectName, text, i, out problem))
                {
                    return null;
                }

                expectName = true;
                i++;
            }
            else if (c == '[')
            {
                if (expectName && name.Length > 0)
                {
                    steps.Add(Step.Member(name.ToString()));
                    name.Clear();
                }
                else if (expectName && steps.Count == 0)
                {
                    problem = $"starts with '[' at character {i + 1}; begin with a member name, like items[0]";
                    return null;
                }

                int close = text.IndexOf(']', i);
                string digits = close < 0 ? string.Empty : text.Substring(i + 1, close - i - 1);
                if (close < 0 || digits.Length == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    problem = $"has '[' at character {i + 1} without a whole number and ']' after it";
                    return null;
                }

                steps.Add(Step.Item(index));
                expectName = false;
                i = close + 1;
                if (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    problem = $"has '{text[i]}' after ']' at character {i + 1}; use '.' before a member name";
                    return null;
                }
            }
            else if (c == ']' || char.IsWhiteSpace(c))
            {
                problem = $"has '{(c == ']' ? "]" : "a space")}' at character {i + 1}";
                return null;
            }
            else
            {
                name.Append(c);
                expectName = true;
                i++;
            }
        }

        if (name.Length > 0)
        {
            steps.Add(Step.Member(name.ToString()));
        }
        else if (text[text.Length - 1] == '.')
        {
            problem = "ends with '.'";
            return null;
        }

        return new JsonPath(text, steps.ToArray());
    }

    /// <summary>The value at this path, or false when some step is missing (or the value is null).</summary>
    public bool TryFind(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (Step step in _steps)
        {
            if (step.Name is { } name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || step.Index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[step.Index];
            }
        }

        return value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined;
    }

    /// <summary>
    /// The part of this path that leads to a member given twice (<c>data</c>, or <c>data.status</c>), where the answer is
    /// ambiguous; <see langword="null"/> when each member on the way appears once (or the path ends early).
    /// </summary>
    public string? FindRepeated(JsonElement root)
    {
        JsonElement value = root;
        var prefix = new StringBuilder();
        foreach (Step step in _steps)
        {
            if (step.Name is { } name)
            {
                prefix.Append(prefix.Length == 0 ? string.Empty : ".").Append(name);
                if (JsonMembers.Repeated(value, new[] { name }) is not null)
                {
                    return prefix.ToString();
                }

                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return null;
                }
            }
            else
            {
                prefix.Append('[').Append(step.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                if (value.ValueKind != JsonValueKind.Array || step.Index >= value.GetArrayLength())
                {
                    return null;
                }

                value = value[step.Index];
            }
        }

        return null;
    }

    /// <summary>The string at this path; a number or boolean as its JSON text; else null.</summary>
    public string? FindText(JsonElement root) =>
        TryFind(root, out JsonElement value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;

    public override string ToString() => Text;

    private static bool EndName(StringBuilder name, List<Step> steps, bool expectName, string text, int at, out string? problem)
    {
        problem = null;
        if (name.Length > 0)
        {
            steps.Add(Step.Member(name.ToString()));
            name.Clear();
            return true;
        }

        if (expectName)
        {
            problem = at == 0 ? "starts with '.'" : $"has an empty name at character {at + 1} ('..')";
            return false;
        }

        return true; // "items[0].name": the '.' after ']'
    }

    private readonly struct Step
    {
        private Step(string? name, int index)
        {
            Name = name;
            Index = index;
        }

        public string? Name { get; }

        public int Index { get; }

        public static Step Member(string name) => new(name, -1);

        public static Step Item(int index) => new(null, index);
    }
}
