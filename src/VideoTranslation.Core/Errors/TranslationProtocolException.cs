using System;

namespace VideoTranslation;

/// <summary>
/// The server answered 2xx, but the body is not the status contract <c>{"result": "pending" | "completed" | "error"}</c>:
/// not JSON, not an object, no string <c>result</c>, an unknown <c>result</c> value, or larger than the client reads.
/// Retrying will not fix it, so the wait fails at once.
/// </summary>
public sealed class TranslationProtocolException : TranslationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong with the answer, for a person.</param>
    /// <param name="bodyExcerpt">The start of the response body, made printable.</param>
    /// <param name="requestUri">The URL asked, without secrets.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    /// <param name="method">The HTTP method of the request.</param>
    public TranslationProtocolException(string problem, string bodyExcerpt, Uri requestUri, Exception? innerException = null, string method = "GET")
        : base(
            $"{method} {requestUri} answered with something that is not {(method == "GET" ? "a job status" : "what the protocol says")}: {problem}" +
            (string.IsNullOrEmpty(bodyExcerpt) ? " (empty body)." : $" Body: {bodyExcerpt}"),
            requestUri,
            innerException)
    {
        Problem = problem;
        BodyExcerpt = bodyExcerpt ?? string.Empty;
    }

    /// <summary>What is wrong with the answer.</summary>
    public string Problem { get; }

    /// <summary>The start of the response body (at most a few hundred characters), made printable.</summary>
    public string BodyExcerpt { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
