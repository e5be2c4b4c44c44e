namespace VideoTranslation.PowerShell;

/// <summary>
/// The stable ErrorIds of every ErrorRecord the module writes. Scripts and tests match on these
/// (<c>$_.FullyQualifiedErrorId -like 'TranslationWaitTimedOut,*'</c>); never rename one.
/// </summary>
public static class ErrorIds
{
    /// <summary>The wait reached -TimeoutSec before the job finished (OperationTimeout).</summary>
    public const string TranslationWaitTimedOut = nameof(TranslationWaitTimedOut);

    /// <summary>The job finished in the <c>error</c> state (InvalidResult).</summary>
    public const string TranslationJobFailed = nameof(TranslationJobFailed);

    /// <summary>The server answered 404: no such job (ObjectNotFound).</summary>
    public const string TranslationJobNotFound = nameof(TranslationJobNotFound);

    /// <summary>
    /// The server answered 404 to a status check, but not with its service's answer for an unknown job: it has no such
    /// route, and -Uri's base path (or -Service) is probably wrong; the message gives the URL asked (ObjectNotFound).
    /// </summary>
    public const string TranslationRouteNotFound = nameof(TranslationRouteNotFound);

    /// <summary>
    /// New-TranslationJob: the server has no POST /jobs route, answering 404 or 405, or the service does not create jobs
    /// (HeyGenVideo, a -ServiceProfile) (NotImplemented).
    /// </summary>
    public const string TranslationJobCreationNotSupported = nameof(TranslationJobCreationNotSupported);

    /// <summary>The server answered 401 (AuthenticationError: no key, or a wrong one) or 403 (PermissionDenied).</summary>
    public const string TranslationAccessDenied = nameof(TranslationAccessDenied);

    /// <summary>The server rejected the request as malformed: 400, 405, 409, 410, 422 (InvalidArgument).</summary>
    public const string TranslationRequestRejected = nameof(TranslationRequestRejected);

    /// <summary>The server answered 408, 429 or 5xx to a single request (ResourceUnavailable).</summary>
    public const string TranslationServerBusy = nameof(TranslationServerBusy);

    /// <summary>The server answered an HTTP status the protocol does not use (InvalidResult).</summary>
    public const string TranslationUnexpectedStatus = nameof(TranslationUnexpectedStatus);

    /// <summary>The server's answer is not the protocol's JSON (InvalidResult).</summary>
    public const string TranslationProtocolViolation = nameof(TranslationProtocolViolation);

    /// <summary>
    /// The server could not be reached (ConnectionError): a single request's connection was refused, reset or dropped,
    /// or a wait got no answer at all more than -MaximumRetryCount checks in a row; the message says what failed last.
    /// </summary>
    public const string TranslationServerUnreachable = nameof(TranslationServerUnreachable);

    /// <summary>A single request took longer than -RequestTimeoutSec (OperationTimeout).</summary>
    public const string TranslationRequestTimedOut = nameof(TranslationRequestTimedOut);

    /// <summary>
    /// The TLS handshake failed — an untrusted, expired or misnamed certificate, or a server without TLS on that port —
    /// and the message says why; never retried (SecurityError).
    /// </summary>
    public const string TranslationSecureConnectionFailed = nameof(TranslationSecureConnectionFailed);

    /// <summary>
    /// This process ran out of file descriptors (EMFILE, "Too many open files": the limit of <c>ulimit -n</c>) and could
    /// not open a connection; never retried (ResourceUnavailable). Lower -ThrottleLimit and -HoldLimit, or raise the limit.
    /// </summary>
    public const string TranslationSocketLimitReached = nameof(TranslationSocketLimitReached);

    /// <summary>
    /// -Headers or -UserAgent cannot be sent: an invalid header name or value, or a header the module sets itself
    /// (X-Api-Key, Authorization, User-Agent, Accept, Content-Type, Host …); the message names it (InvalidArgument, terminating).
    /// </summary>
    public const string InvalidRequestHeaders = nameof(InvalidRequestHeaders);

    /// <summary>The -Token is blank or holds control characters; it is never shown (InvalidArgument, terminating).</summary>
    public const string InvalidToken = nameof(InvalidToken);

    /// <summary>
    /// The -Token would go over plain http to a host that is not loopback; nothing was sent. Use https, or
    /// -AllowUnencryptedApiKey (-AllowUnencryptedAuthentication) on a trusted network (SecurityError, terminating).
    /// </summary>
    public const string TokenRequiresHttps = nameof(TokenRequiresHttps);

    /// <summary>
    /// The API key would go over plain http to a host that is not loopback; nothing was sent. Use https, or
    /// -AllowUnencryptedApiKey on a trusted network (SecurityError, terminating).
    /// </summary>
    public const string ApiKeyRequiresHttps = nameof(ApiKeyRequiresHttps);

    /// <summary>
    /// The API key from -ApiKey or $env:VIDEOTRANSLATION_API_KEY is blank or holds control characters; the key is never
    /// shown (InvalidArgument, terminating).
    /// </summary>
    public const string InvalidApiKey = nameof(InvalidApiKey);

    /// <summary>-Uri is not an absolute http or https address without query or fragment (InvalidArgument).</summary>
    public const string InvalidTranslationUri = nameof(InvalidTranslationUri);

    /// <summary>Parameters that are valid one by one do not fit together, e.g. -MaxInterval below -Interval (InvalidArgument).</summary>
    public const string InvalidWaitParameters = nameof(InvalidWaitParameters);

    /// <summary>The -HistoryPath file is not a duration history: not JSON, another version, bad durations (InvalidData, terminating).</summary>
    public const string InvalidDurationHistory = nameof(InvalidDurationHistory);

    /// <summary>
    /// The -HistoryPath file cannot be used where it is: not a file-system path or a folder (InvalidArgument), its folder
    /// does not exist (ObjectNotFound), it cannot be read (ReadError) — all terminating — or written at the end (WriteError).
    /// </summary>
    public const string DurationHistoryInaccessible = nameof(DurationHistoryInaccessible);

    /// <summary>The -OnStatusChange script block failed (the category of its own error).</summary>
    public const string OnStatusChangeFailed = nameof(OnStatusChangeFailed);

    /// <summary>A Wait-TranslationJob -AsJob job could not run its command at all, e.g. its runspace did not open (OperationStopped).</summary>
    public const string TranslationWaitJobFailed = nameof(TranslationWaitJobFailed);

    /// <summary>
    /// The server answered 402: the account has not enough credit or quota for the request (HeyGen's
    /// <c>insufficient_credit</c>); the message gives the service's own code and message (QuotaExceeded).
    /// </summary>
    public const string TranslationQuotaExceeded = nameof(TranslationQuotaExceeded);

    /// <summary>
    /// -Service names no built-in service (Simulator, HeyGen, HeyGenV2, HeyGenVideo), terminating; or a piped object's
    /// Service is not one and no -ServiceProfile of that name was given, for that record (InvalidArgument).
    /// </summary>
    public const string UnknownTranslationService = nameof(UnknownTranslationService);

    /// <summary>
    /// -Service and -ServiceProfile were both given (terminating), or a piped job's Service is not the -ServiceProfile's
    /// name (for that record) (InvalidArgument).
    /// </summary>
    public const string ConflictingServiceParameters = nameof(ConflictingServiceParameters);

    /// <summary>
    /// The -ServiceProfile is wrong, before any request: an unknown key, a value of the wrong type, a missing or malformed
    /// setting (InvalidArgument); its file does not exist (ObjectNotFound), is not JSON or a data file (InvalidData), or
    /// cannot be read (ReadError). The message names the key or problem and the file. Terminating.
    /// </summary>
    public const string InvalidServiceProfile = nameof(InvalidServiceProfile);

    /// <summary>
    /// The parameters do not make a request the service can take, found before any request: New-TranslationJob for
    /// HeyGen without -VideoUrl or -OutputLanguage, or with a language twice; no -JobId for a service that has no
    /// single-job endpoint (InvalidArgument, terminating). Also a -JobId the service's URL cannot carry — <c>.</c> or
    /// <c>..</c> where the id is a path segment — as that id's error, the other ids going on (InvalidArgument).
    /// </summary>
    public const string InvalidTranslationRequest = nameof(InvalidTranslationRequest);

    /// <summary>The .NET runtime with ASP.NET Core that the simulator needs is not installed (NotInstalled).</summary>
    public const string SimulatorRuntimeMissing = nameof(SimulatorRuntimeMissing);

    /// <summary>The simulator process exited before it was listening: InvalidArgument when it rejected its settings (exit code 2), else ResourceUnavailable.</summary>
    public const string SimulatorStartFailed = nameof(SimulatorStartFailed);

    /// <summary>The simulator did not report that it was listening in time (OperationTimeout).</summary>
    public const string SimulatorStartTimedOut = nameof(SimulatorStartTimedOut);

    /// <summary>Stop-TranslationSimulator was given a process id that is not a running simulator started in this PowerShell process (ObjectNotFound).</summary>
    public const string SimulatorNotFound = nameof(SimulatorNotFound);

    /// <summary>Stop-TranslationSimulator was given no simulator: no -InputObject, pipeline input, -ProcessId or -All (InvalidArgument).</summary>
    public const string SimulatorNotSpecified = nameof(SimulatorNotSpecified);

    /// <summary>Start-TranslationSimulator was given a parameter of another delay or error model (InvalidArgument).</summary>
    public const string InvalidSimulatorParameters = nameof(InvalidSimulatorParameters);

    /// <summary>The simulator's files are missing from the module folder (ResourceUnavailable).</summary>
    public const string SimulatorFilesMissing = nameof(SimulatorFilesMissing);
}
