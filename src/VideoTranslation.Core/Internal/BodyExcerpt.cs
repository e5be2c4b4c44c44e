using System;
using System.Text;

namespace VideoTranslation.Internal;

/// <summary>Turns the start of a response body into one short printable line for error messages.</summary>
internal static class BodyExcerpt
{
    public const int MaxChars = 200;

    public static string From(byte[] body, int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        // Decode a little more than we show; invalid UTF-8 becomes U+FFFD rather than an exception.
        int take = Math.Min(length, (MaxChars * 4) + 4);
        string text = Encoding.UTF8.GetString(body, 0, take);
        var sb = new StringBuilder(Math.Min(text.Length, MaxChars + 1));
        foreach (char c in text)
        {
            if (sb.Length == MaxChars)
            {
                return sb.Append('…').ToString();
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return length > take ? sb.Append('…').ToString() : sb.ToString();
    }
}
