using System;

namespace VideoTranslation;

/// <summary>A server address a <see cref="TranslationClient"/> cannot use: not absolute, not http(s), or with a query or fragment.</summary>
public sealed class TranslationAddressException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problem">What is wrong, as a predicate of the address: "must use http or https; it was …".</param>
    /// <param name="paramName">The parameter that took the address.</param>
    public TranslationAddressException(string problem, string paramName)
        : base($"{paramName} {problem}", paramName)
    {
        Problem = problem;
    }

    /// <summary>What is wrong, without the parameter's name, so a caller can say it in its own terms (<c>-Uri …</c>).</summary>
    public string Problem { get; }

    /// <summary>The message without the " (Parameter '…')" suffix of <see cref="ArgumentException"/>.</summary>
    public override string Message => $"{ParamName} {Problem}";
}
