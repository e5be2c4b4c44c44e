namespace VideoTranslation;

/// <summary>The built-in services (<see cref="TranslationService.Get"/>), as <c>-Service</c> names them.</summary>
public enum TranslationServiceKind
{
    /// <summary>The simulator's protocol and the original <c>GET /status</c> contract (<see cref="TranslationService.Simulator"/>).</summary>
    Simulator = 0,

    /// <summary>HeyGen's v3 video translations (<see cref="TranslationService.HeyGen"/>).</summary>
    HeyGen = 1,

    /// <summary>HeyGen's v2 video translations (<see cref="TranslationService.HeyGenV2"/>).</summary>
    HeyGenV2 = 2,

    /// <summary>HeyGen's video status, v1 (<see cref="TranslationService.HeyGenVideo"/>).</summary>
    HeyGenVideo = 3,
}
