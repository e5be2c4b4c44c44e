using System;
using System.Linq;

namespace VideoTranslation.Internal;

/// <summary>Removes secrets from URLs before they reach logs, exceptions or results.</summary>
internal static class UriRedaction
{
    // Query parameters the protocol defines and that carry no secret; every other value is masked.
    private static readonly string[] s_safeQueryNames = ["wait"];

    public static Uri Redact(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0))
        {
            return uri;
        }

        // A fragment can carry a token (#access_token=…); none of ours has a use for it.
        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Fragment = uri.Fragment.Length > 1 ? "***" : string.Empty };
        if (uri.Query.Length > 1)
        {
            var parts = uri.Query.Substring(1).Split('&').Select(part =>
            {
                int eq = part.IndexOf('=');
                string name = eq < 0 ? part : part.Substring(0, eq);
                if (s_safeQueryNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    return part;
                }

                // A bare value (?s3cret) may itself be the secret.
                return eq < 0 ? (part.Length == 0 ? part : "***") : name + "=***";
            });
            builder.Query = string.Join("&", parts);
        }

        return builder.Uri;
    }
}
