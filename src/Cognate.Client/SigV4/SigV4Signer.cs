namespace Cognate.Client.SigV4;

/// <summary>
/// Signs <see cref="HttpRequestMessage"/>s with AWS Signature Version 4 in the <c>Authorization</c> header
/// (AWS IAM User Guide, "Create a signed AWS API request"). Adds <c>X-Amz-Date</c> (from the injected
/// <see cref="TimeProvider"/>), <c>X-Amz-Security-Token</c> for temporary credentials, and
/// <c>Authorization: AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders=…, Signature=…</c>.
/// Signed headers: <c>host</c>, <c>content-type</c> (when the request has content) and every <c>x-amz-*</c>
/// header on the request (so <c>x-amz-date</c>, <c>x-amz-target</c>, <c>x-amz-security-token</c>).
/// Thread-safe; one instance per credentials/region/service.
/// </summary>
public sealed class SigV4Signer
{
    private readonly AwsCredentials _credentials;
    private readonly string _region;
    private readonly string _service;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a signer.</summary>
    /// <param name="credentials">The key pair (and optional session token) to sign with.</param>
    /// <param name="region">The region of the credential scope, e.g. <c>eu-west-1</c>.</param>
    /// <param name="service">The signing name of the service, e.g. <c>cognito-idp</c>.</param>
    /// <param name="timeProvider">The clock for <c>X-Amz-Date</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="region"/> or <paramref name="service"/> is empty.</exception>
    public SigV4Signer(AwsCredentials credentials, string region, string service, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        _region = region;
        _service = service;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a signer that reads <see cref="TimeProvider.System"/>.</summary>
    /// <param name="credentials">The key pair (and optional session token) to sign with.</param>
    /// <param name="region">The region of the credential scope, e.g. <c>eu-west-1</c>.</param>
    /// <param name="service">The signing name of the service, e.g. <c>cognito-idp</c>.</param>
    public SigV4Signer(AwsCredentials credentials, string region, string service)
        : this(credentials, region, service, TimeProvider.System)
    {
    }

    /// <summary>
    /// Signs <paramref name="request"/> in place for the given body. Any previous <c>Authorization</c>,
    /// <c>X-Amz-Date</c> and <c>X-Amz-Security-Token</c> headers are replaced, so re-signing a retry is safe.
    /// Sets the <c>Host</c> header from the request URI when it is not set, so the signed value is the one sent.
    /// </summary>
    /// <param name="request">An absolute-URI request; its <see cref="HttpRequestMessage.Content"/> must carry exactly <paramref name="body"/>.</param>
    /// <param name="body">The body bytes (empty for none); hashed with SHA-256 into the canonical request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request has no absolute <see cref="HttpRequestMessage.RequestUri"/>.</exception>
    public void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request needs an absolute RequestUri to be signed.", nameof(request));
        }

        var now = _timeProvider.GetUtcNow();
        var amzDate = SigV4Primitives.FormatAmzDate(now);
        var scopeDate = SigV4Primitives.FormatScopeDate(now);

        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Remove("X-Amz-Security-Token");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (_credentials.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        request.Headers.Host ??= uri.Authority;

        var headers = new List<KeyValuePair<string, string>> { new("host", request.Headers.Host) };
        if (request.Content is not null && request.Content.Headers.TryGetValues("Content-Type", out var contentType))
        {
            headers.Add(new("content-type", string.Join(',', contentType)));
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(name, string.Join(',', values)));
            }
        }

        var canonicalRequest = SigV4Primitives.CanonicalRequest(
            request.Method.Method,
            SigV4Primitives.CanonicalizePath(uri.AbsolutePath),
            SigV4Primitives.CanonicalQueryString(uri.Query),
            headers,
            SigV4Primitives.HashPayload(body));
        var scope = SigV4Primitives.CredentialScope(scopeDate, _region, _service);
        var stringToSign = SigV4Primitives.StringToSign(amzDate, scope, canonicalRequest);
        var signingKey = SigV4Primitives.DeriveSigningKey(_credentials.SecretAccessKey, scopeDate, _region, _service);
        string signature;
        try
        {
            signature = SigV4Primitives.ComputeSignature(signingKey, stringToSign);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(signingKey);
        }

        request.Headers.TryAddWithoutValidation(
            "Authorization",
            SigV4Primitives.AuthorizationHeader(
                _credentials.AccessKeyId, scope, SigV4Primitives.SignedHeaders(headers.Select(static h => h.Key)), signature));
    }

    /// <summary>
    /// Signs <paramref name="request"/> in place, reading the body from its <see cref="HttpRequestMessage.Content"/>
    /// (buffered content such as <see cref="ByteArrayContent"/>; no content means an empty body). See <see cref="Sign"/>.
    /// </summary>
    /// <param name="request">An absolute-URI request.</param>
    /// <param name="cancellationToken">Cancels reading the content.</param>
    /// <returns>A task that completes once the headers are set.</returns>
    public async Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Sign(request, body);
    }
}
