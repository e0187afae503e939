using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Client.SigV4;

/// <summary>
/// Verifies AWS Signature Version 4 <c>Authorization</c> headers on the server side, framework-agnostic
/// (AWS IAM User Guide, "Create a signed AWS API request"; non-S3 canonicalisation). Returns a
/// <see cref="SigV4VerificationResult"/> instead of throwing. Checks, in order:
/// header present (403 <c>MissingAuthenticationTokenException</c>); header well-formed, <c>AWS4-HMAC-SHA256</c>
/// with <c>Credential</c>, <c>SignedHeaders</c>, <c>Signature</c>, a parsable <c>X-Amz-Date</c> or <c>Date</c>,
/// <c>host</c> signed, and every header of the constructor's <c>headersToSign</c> that the request carries signed
/// (400 <c>IncompleteSignatureException</c>); scope terminator, service and region valid,
/// date within ±15 minutes of now and equal to the scope date (403 <c>InvalidSignatureException</c>);
/// access key known and session token matching (403 <c>UnrecognizedClientException</c>);
/// <c>X-Amz-Content-Sha256</c>, when sent, equal to the body hash, and the signature recomputed over the
/// headers the client listed in <c>SignedHeaders</c> equal in constant time (403 <c>InvalidSignatureException</c>).
/// Presigned (query-string) requests are not supported and answer <c>MissingAuthenticationTokenException</c>.
/// Thread-safe.
/// </summary>
public sealed class SigV4Verifier
{
    /// <summary>The signing name of the Cognito user-pool API, <c>cognito-idp</c>.</summary>
    public const string CognitoIdpService = "cognito-idp";

    /// <summary>The allowed clock skew between the request time and the server clock: 15 minutes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    private readonly Func<string, CancellationToken, ValueTask<AwsCredentials?>> _credentialsLookup;
    private readonly TimeProvider _timeProvider;
    private readonly string _service;
    private readonly string[] _headersToSign;

    /// <summary>
    /// The headers a JSON-protocol request must sign when it carries them: <c>x-amz-target</c> (which names the action)
    /// and <c>content-type</c>. Unsigned, a captured request could be replayed as another action
    /// (a signed <c>DescribeUserPool</c> sent again as <c>ListUserPoolClients</c>). botocore, the AWS SDKs and
    /// <see cref="SigV4Signer"/> always sign both.
    /// </summary>
    public static readonly IReadOnlyList<string> JsonProtocolHeaders = ["x-amz-target", "content-type"];

    /// <summary>Creates a verifier with an asynchronous credentials lookup.</summary>
    /// <param name="credentialsLookup">
    /// Given an access key id, returns its credentials (the secret, and the session token the request must carry
    /// when not <see langword="null"/>), or <see langword="null"/> when the key is unknown. The returned
    /// <see cref="AwsCredentials.AccessKeyId"/> is not re-checked.
    /// </param>
    /// <param name="timeProvider">The server clock for the ±15 minute check.</param>
    /// <param name="service">The required service of the credential scope; <see cref="CognitoIdpService"/> by default.</param>
    /// <param name="headersToSign">
    /// Lower-case names of headers that must be in <c>SignedHeaders</c> whenever the request carries them (e.g.
    /// <see cref="JsonProtocolHeaders"/>); a request that carries one unsigned is refused with 400
    /// <c>IncompleteSignatureException</c>. <see langword="null"/> for none (only <c>host</c> is always required).
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SigV4Verifier(
        Func<string, CancellationToken, ValueTask<AwsCredentials?>> credentialsLookup,
        TimeProvider timeProvider,
        string service = CognitoIdpService,
        IEnumerable<string>? headersToSign = null)
    {
        ArgumentNullException.ThrowIfNull(credentialsLookup);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        _credentialsLookup = credentialsLookup;
        _timeProvider = timeProvider;
        _service = service;
        _headersToSign = headersToSign?.Select(static h => h.ToLowerInvariant()).ToArray() ?? [];
    }

    /// <summary>Creates a verifier with a synchronous credentials lookup (e.g. keys from configuration).</summary>
    /// <param name="credentialsLookup">Given an access key id, returns its credentials or <see langword="null"/> when unknown.</param>
    /// <param name="timeProvider">The server clock for the ±15 minute check.</param>
    /// <param name="service">The required service of the credential scope; <see cref="CognitoIdpService"/> by default.</param>
    /// <param name="headersToSign">Headers that must be signed when present; see the other constructor.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SigV4Verifier(
        Func<string, AwsCredentials?> credentialsLookup,
        TimeProvider timeProvider,
        string service = CognitoIdpService,
        IEnumerable<string>? headersToSign = null)
        : this(Wrap(credentialsLookup), timeProvider, service, headersToSign)
    {
    }

    /// <summary>Verifies a request whose headers are in a dictionary.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="rawPath">The request path as on the wire, still percent-encoded (e.g. ASP.NET's <c>IHttpRequestFeature.RawTarget</c> without the query), e.g. <c>/</c>.</param>
    /// <param name="rawQuery">The query string as on the wire, with or without <c>?</c>; <see langword="null"/> or empty for none.</param>
    /// <param name="headers">The request headers; the dictionary must compare keys case-insensitively; repeated headers joined with <c>,</c>.</param>
    /// <param name="body">The exact body bytes received.</param>
    /// <param name="cancellationToken">Cancels the credentials lookup.</param>
    /// <returns>The verification result; never throws for a bad request.</returns>
    public ValueTask<SigV4VerificationResult> VerifyAsync(
        string method,
        string rawPath,
        string? rawQuery,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return VerifyAsync(method, rawPath, rawQuery, name => headers.TryGetValue(name, out var v) ? v : null, body, cancellationToken);
    }

    /// <summary>Verifies a request.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="rawPath">The request path as on the wire, still percent-encoded (e.g. ASP.NET's <c>IHttpRequestFeature.RawTarget</c> without the query), e.g. <c>/</c>.</param>
    /// <param name="rawQuery">The query string as on the wire, with or without <c>?</c>; <see langword="null"/> or empty for none.</param>
    /// <param name="header">
    /// Header lookup: called with a lower-case header name (e.g. <c>host</c>, <c>x-amz-date</c>), must match names
    /// case-insensitively and return the value (repeated headers joined with <c>,</c>, as ASP.NET's
    /// <c>StringValues.ToString()</c> does), or <see langword="null"/> when absent.
    /// </param>
    /// <param name="body">The exact body bytes received.</param>
    /// <param name="cancellationToken">Cancels the credentials lookup.</param>
    /// <returns>The verification result; never throws for a bad request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="method"/> or <paramref name="header"/> is <see langword="null"/>.</exception>
    public async ValueTask<SigV4VerificationResult> VerifyAsync(
        string method,
        string rawPath,
        string? rawQuery,
        Func<string, string?> header,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(header);

        var authorization = header("authorization");
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return Fail(SigV4Error.MissingAuthenticationToken());
        }

        // 1. Parse the Authorization header and the request date.
        if (ParseAuthorization(authorization, out var parameters) is { } parseError)
        {
            return Fail(parseError);
        }

        parameters.TryGetValue("Credential", out var credential);
        parameters.TryGetValue("SignedHeaders", out var signedHeadersParam);
        parameters.TryGetValue("Signature", out var signature);

        var amzDateHeader = header("x-amz-date");
        var dateHeader = amzDateHeader is null ? header("date") : null;
        var missing = new StringBuilder();
        if (string.IsNullOrEmpty(credential))
        {
            missing.Append("Authorization header requires 'Credential' parameter. ");
        }

        if (string.IsNullOrEmpty(signature))
        {
            missing.Append("Authorization header requires 'Signature' parameter. ");
        }

        if (string.IsNullOrEmpty(signedHeadersParam))
        {
            missing.Append("Authorization header requires 'SignedHeaders' parameter. ");
        }

        if (amzDateHeader is null && dateHeader is null)
        {
            missing.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        if (missing.Length > 0)
        {
            return Fail(SigV4Error.IncompleteSignature(missing.ToString().TrimEnd()));
        }

        DateTimeOffset requestTime;
        if (amzDateHeader is not null)
        {
            if (!SigV4Primitives.TryParseAmzDate(amzDateHeader.Trim(), out requestTime))
            {
                return Fail(SigV4Error.IncompleteSignature(
                    $"Date must be in ISO-8601 'basic format'. Got '{amzDateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601"));
            }
        }
        else if (!DateTimeOffset.TryParseExact(
                     dateHeader!.Trim(), "r", CultureInfo.InvariantCulture,
                     DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out requestTime))
        {
            return Fail(SigV4Error.IncompleteSignature(
                $"Date must be in RFC 1123 format when 'X-Amz-Date' is absent. Got '{dateHeader}'."));
        }

        var scope = credential!.Split('/');
        if (scope.Length != 5 || scope.Any(static part => part.Length == 0))
        {
            return Fail(SigV4Error.IncompleteSignature(
                $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"));
        }

        var (accessKeyId, scopeDate, region, service, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4]);

        var signedHeaderNames = signedHeadersParam!.Split(';', StringSplitOptions.TrimEntries)
            .Select(static n => n.ToLowerInvariant())
            .ToArray();
        if (signedHeaderNames.Any(static n => n.Length == 0))
        {
            return Fail(SigV4Error.IncompleteSignature("SignedHeaders must be a ';'-separated list of header names."));
        }

        if (!signedHeaderNames.Contains("host", StringComparer.Ordinal))
        {
            return Fail(SigV4Error.IncompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
        }

        foreach (var required in _headersToSign)
        {
            if (header(required) is not null && !signedHeaderNames.Contains(required, StringComparer.Ordinal))
            {
                return Fail(SigV4Error.IncompleteSignature($"'{HeaderDisplayName(required)}' must be a 'SignedHeader' in the AWS Authorization."));
            }
        }

        // 2. Check the credential scope and the clock.
        if (!string.Equals(terminator, SigV4Primitives.ScopeTerminator, StringComparison.Ordinal))
        {
            return Fail(SigV4Error.InvalidSignature(
                $"Credential should be scoped with a valid terminator: '{SigV4Primitives.ScopeTerminator}', not '{terminator}'."));
        }

        if (!string.Equals(service, _service, StringComparison.Ordinal))
        {
            return Fail(SigV4Error.InvalidSignature($"Credential should be scoped to correct service: '{_service}'."));
        }

        if (!IsValidRegion(region))
        {
            return Fail(SigV4Error.InvalidSignature("Credential should be scoped to a valid region."));
        }

        var now = _timeProvider.GetUtcNow();
        var amzDate = SigV4Primitives.FormatAmzDate(requestTime);
        if (requestTime < now - MaxClockSkew)
        {
            return Fail(SigV4Error.InvalidSignature(
                $"Signature expired: {amzDate} is now earlier than {SigV4Primitives.FormatAmzDate(now - MaxClockSkew)} " +
                $"({SigV4Primitives.FormatAmzDate(now)} - 15 min.)"));
        }

        if (requestTime > now + MaxClockSkew)
        {
            return Fail(SigV4Error.InvalidSignature(
                $"Signature not yet current: {amzDate} is still later than {SigV4Primitives.FormatAmzDate(now + MaxClockSkew)} " +
                $"({SigV4Primitives.FormatAmzDate(now)} + 15 min.)"));
        }

        var requestDate = SigV4Primitives.FormatScopeDate(requestTime);
        if (!string.Equals(scopeDate, requestDate, StringComparison.Ordinal))
        {
            return Fail(SigV4Error.InvalidSignature(
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{requestDate}', from '{amzDate}'."));
        }

        // 3. Look up the key.
        var credentials = await _credentialsLookup(accessKeyId, cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return Fail(SigV4Error.UnrecognizedClient());
        }

        if (credentials.SessionToken is { } expectedToken && !FixedTimeEquals(header("x-amz-security-token") ?? string.Empty, expectedToken))
        {
            return Fail(SigV4Error.UnrecognizedClient());
        }

        // 4. Rebuild the canonical request from what the client signed.
        var hashedPayload = SigV4Primitives.HashPayload(body.Span);
        if (header("x-amz-content-sha256") is { } contentSha256)
        {
            if (!string.Equals(contentSha256.Trim(), hashedPayload, StringComparison.OrdinalIgnoreCase))
            {
                return Fail(SigV4Error.InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed."));
            }

            hashedPayload = contentSha256.Trim();
        }

        var signedHeaders = new List<KeyValuePair<string, string>>(signedHeaderNames.Length);
        foreach (var name in signedHeaderNames)
        {
            if (header(name) is not { } value)
            {
                return Fail(SigV4Error.InvalidSignature());
            }

            signedHeaders.Add(new(name, value));
        }

        var canonicalRequest = SigV4Primitives.CanonicalRequest(
            method,
            SigV4Primitives.CanonicalizePath(rawPath),
            SigV4Primitives.CanonicalQueryString(rawQuery),
            signedHeaders,
            hashedPayload);
        var stringToSign = SigV4Primitives.StringToSign(
            amzDate, SigV4Primitives.CredentialScope(scopeDate, region, service), canonicalRequest);
        var signingKey = SigV4Primitives.DeriveSigningKey(credentials.SecretAccessKey, scopeDate, region, service);
        string expected;
        try
        {
            expected = SigV4Primitives.ComputeSignature(signingKey, stringToSign);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(signingKey);
        }

        return FixedTimeEquals(signature!, expected)
            ? SigV4VerificationResult.Success(accessKeyId, region)
            : Fail(SigV4Error.InvalidSignature());
    }

    private static SigV4VerificationResult Fail(SigV4Error error) => SigV4VerificationResult.Failure(error);

    /// <summary>
    /// Splits <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c> into its parameters. Any other
    /// scheme (e.g. <c>Bearer …</c>, <c>AWS4-HMAC-SHA512 …</c>) yields no parameters, so the caller reports the
    /// missing ones as AWS does.
    /// </summary>
    private static SigV4Error? ParseAuthorization(string authorization, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var trimmed = authorization.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? trimmed : trimmed[..space];
        if (!string.Equals(scheme, SigV4Primitives.Algorithm, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = space < 0 ? string.Empty : trimmed[(space + 1)..];
        foreach (var pair in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // AWS echoes the pair; we do not, in case a client put a token there.
                return SigV4Error.IncompleteSignature("Invalid key=value pair (missing equal-sign) in Authorization header.");
            }

            parameters[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return null;
    }

    /// <summary><c>x-amz-target</c> → <c>X-Amz-Target</c>, as AWS names headers in its messages.</summary>
    private static string HeaderDisplayName(string name) =>
        string.Join('-', name.Split('-').Select(static p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private static bool IsValidRegion(string region) =>
        region.Length <= 64 && region.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool FixedTimeEquals(string provided, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(provided), Encoding.UTF8.GetBytes(expected));

    private static Func<string, CancellationToken, ValueTask<AwsCredentials?>> Wrap(Func<string, AwsCredentials?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return (accessKeyId, _) => ValueTask.FromResult(lookup(accessKeyId));
    }
}
