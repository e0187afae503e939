using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.IdentityProviders;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cognate.Server.Federation;

/// <summary>An upstream failure: the OAuth <c>error</c> to send on to the app and a description.</summary>
/// <param name="Error">An RFC 6749 error code (the provider's own when it sent one).</param>
/// <param name="Description">Cognito's form: <c>{ProviderName} Error - {status} {error} {error_description}</c>; never a token.</param>
/// <param name="RefuseWithPage">True for a failed ID-token check: the user gets the error page, not a redirect.</param>
internal sealed record UpstreamError(string Error, string Description, bool RefuseWithPage = false);

/// <summary>
/// The back channel of federated sign-in with an OIDC or OAuth 2.0 provider (AWS guide "OIDC user pool IdP authentication
/// flow", "Managed login and federation error responses"): the code exchange at <c>token_url</c>, the ID-token checks against
/// <c>jwks_uri</c>, and the <c>attributes_url</c> (userInfo) request. Endpoints and credentials come from the provider's
/// ProviderDetails only (the IdP API fills them, with the social providers' fixed endpoints).
/// </summary>
/// <remarks>
/// ID tokens are verified with Microsoft.IdentityModel (<see cref="JsonWebTokenHandler"/>): signature by a key of the
/// provider's JWKS (cached <see cref="JwksLifetime"/>, fetched again when a token names an unknown <c>kid</c>, at most every
/// <see cref="JwksRefreshInterval"/>), asymmetric algorithms only (never <c>none</c>, never HS* with a JWKS key), issuer
/// = <c>oidc_issuer</c>, audience = <c>client_id</c>, <c>exp</c>/<c>nbf</c>/<c>iat</c> with <see cref="ClockSkew"/>, and the nonce.
/// Nothing here logs a code, a token, a secret or a state.
/// </remarks>
internal sealed partial class UpstreamOAuthClient
{
    /// <summary>How long a fetched JWKS is used without asking again.</summary>
    public static readonly TimeSpan JwksLifetime = TimeSpan.FromHours(1);
    /// <summary>Shortest interval between two fetches of one JWKS (unknown-kid refreshes cannot hammer the provider).</summary>
    public static readonly TimeSpan JwksRefreshInterval = TimeSpan.FromSeconds(30);
    /// <summary>Clock skew allowed on exp, nbf and iat.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);
    /// <summary>Largest response body read from a provider.</summary>
    const int MaxResponseBytes = 256 * 1024;

    /// <summary>The signing algorithms accepted on upstream ID tokens: asymmetric only.</summary>
    internal static readonly string[] AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    readonly HttpClient http;
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly ConcurrentDictionary<string, JwksEntry> jwks = new(StringComparer.Ordinal);
    readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    sealed record JwksEntry(IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    /// <summary>Creates the client; <paramref name="transport"/> replaces the network in tests.</summary>
    public UpstreamOAuthClient(TimeProvider time, ILogger<UpstreamOAuthClient> logger, HttpMessageHandler? transport = null)
    {
        this.time = time;
        this.logger = logger;
        http = transport is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            : new HttpClient(transport, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(10);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Cognate-Federation/1.0");
    }

    /// <summary>The subject claim of an OAuth-only provider's profile (<c>id</c> for Facebook, <c>user_id</c> for Login with Amazon), else <c>sub</c>.</summary>
    public static string SubjectClaim(string providerType) => providerType switch
    {
        IdentityProviderTypes.Facebook => "id",
        IdentityProviderTypes.LoginWithAmazon => "user_id",
        _ => "sub",
    };

    /// <summary>True for the providers that return an ID token (OIDC, Google, Sign in with Apple).</summary>
    public static bool IssuesIdToken(string providerType) =>
        providerType is IdentityProviderTypes.Oidc or IdentityProviderTypes.Google or IdentityProviderTypes.SignInWithApple;

    /// <summary>The issuer expected in the provider's ID tokens: <c>oidc_issuer</c>, else the social provider's own.</summary>
    public static string? ExpectedIssuer(IdentityProvider provider) => provider.Detail("oidc_issuer") ?? provider.ProviderType switch
    {
        IdentityProviderTypes.Google => GoogleIssuer,
        IdentityProviderTypes.SignInWithApple => "https://appleid.apple.com",
        _ => null,
    };

    const string GoogleIssuer = "https://accounts.google.com";

    /// <summary>
    /// The issuers accepted: the expected one with and without a trailing slash (CreateIdentityProvider compares them that way);
    /// for Google also <c>accounts.google.com</c>, the scheme-less form Google documents for its ID tokens.
    /// </summary>
    internal static string[] ExpectedIssuers(IdentityProvider provider, string issuer)
    {
        var list = new List<string> { issuer, issuer.TrimEnd('/'), issuer.TrimEnd('/') + "/" };
        if (provider.ProviderType == IdentityProviderTypes.Google && issuer.TrimEnd('/') == GoogleIssuer) list.Add("accounts.google.com");
        return [.. list.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The provider's JWKS: <c>jwks_uri</c>, else the social provider's published key set (Google's and Apple's details carry
    /// no jwks_uri; a Development override of the endpoints may add one).
    /// </summary>
    public static string? JwksUri(IdentityProvider provider) => provider.Detail("jwks_uri") ?? provider.ProviderType switch
    {
        IdentityProviderTypes.Google => "https://www.googleapis.com/oauth2/v3/certs",
        IdentityProviderTypes.SignInWithApple => "https://appleid.apple.com/auth/keys",
        _ => null,
    };

    /// <summary>
    /// Exchanges <paramref name="code"/> at <c>token_url</c>: <c>grant_type=authorization_code</c>, the code, the same
    /// redirect_uri, the PKCE verifier, <c>client_id</c> and — when the provider has one — the client secret in the body
    /// (<c>client_secret_post</c>; Apple: the ES256 client-secret JWT).
    /// </summary>
    public async ValueTask<(JsonObject? Tokens, UpstreamError? Error)> ExchangeCodeAsync(IdentityProvider provider, string code, string redirectUri, string? verifier, CancellationToken ct)
    {
        var tokenUrl = provider.Detail("token_url");
        if (!IsHttpUrl(tokenUrl)) return (null, Fail(provider, "invalid_request", "the provider has no token_url"));
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
            new("client_id", provider.Detail("client_id") ?? ""),
        };
        if (verifier is not null) form.Add(new("code_verifier", verifier));
        string? secret = provider.ProviderType == IdentityProviderTypes.SignInWithApple
            ? AppleClientSecret.Create(provider, time.GetUtcNow())
            : provider.Detail("client_secret");
        if (!string.IsNullOrEmpty(secret)) form.Add(new("client_secret", secret));
        // token_request_method: POST (the form as the body), or GET (Facebook: the same parameters in the query).
        using var request = string.Equals(provider.Detail("token_request_method"), "GET", StringComparison.OrdinalIgnoreCase)
            ? new HttpRequestMessage(HttpMethod.Get, AppendQuery(tokenUrl!, form))
            : new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (status, body) = await SendAsync(provider, request, "token", ct).ConfigureAwait(false);
        if (body is null) return (null, Fail(provider, "invalid_request", status == 0 ? "the token endpoint could not be reached" : $"{status}"));
        JsonObject? json = ParseObject(body);
        if (status is < 200 or > 299 || json is null)
        {
            var error = Text(json?["error"]) ?? "invalid_request";
            return (null, Fail(provider, SafeErrorCode(error), $"{status} {error} {Text(json?["error_description"])}".TrimEnd()));
        }
        if (Text(json["access_token"]) is null) return (null, Fail(provider, "invalid_request", $"{status} the token response has no access_token"));
        return (json, null);
    }

    static string AppendQuery(string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var sb = new StringBuilder(url);
        char next = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            sb.Append(next).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            next = '&';
        }
        return sb.ToString();
    }

    /// <summary>Verifies an upstream ID token; its claims, or the reason it was refused.</summary>
    public async ValueTask<(JsonObject? Claims, UpstreamError? Error)> ValidateIdTokenAsync(IdentityProvider provider, string idToken, string? nonce, CancellationToken ct)
    {
        var issuer = ExpectedIssuer(provider);
        var jwksUri = JwksUri(provider);
        var audience = provider.Detail("client_id");
        if (issuer is null || !IsHttpUrl(jwksUri) || string.IsNullOrEmpty(audience)) return (null, Refuse(provider, "the provider has no oidc_issuer, jwks_uri or client_id"));
        if (idToken.Length > 16_384 || !handler.CanReadToken(idToken)) return (null, Refuse(provider, "the ID token is malformed"));

        var keys = await KeysAsync(jwksUri!, force: false, ct).ConfigureAwait(false);
        var issuers = ExpectedIssuers(provider, issuer);
        var result = keys is null ? null : await ValidateAsync(idToken, keys, issuers, audience).ConfigureAwait(false);
        if (result is { IsValid: false, Exception: SecurityTokenSignatureKeyNotFoundException } || keys is null)
        {
            // A kid we have not seen: the provider may have rotated its keys. Fetch again (rate-limited) and retry once.
            keys = await KeysAsync(jwksUri!, force: true, ct).ConfigureAwait(false);
            result = keys is null ? null : await ValidateAsync(idToken, keys, issuers, audience).ConfigureAwait(false);
        }
        if (result is null) return (null, Refuse(provider, "the provider's signing keys could not be fetched"));
        if (!result.IsValid)
        {
            LogIdTokenRefused(logger, provider.ProviderName, result.Exception?.GetType().Name ?? "unknown");
            return (null, Refuse(provider, Reason(result.Exception)));
        }
        var jwt = (JsonWebToken)result.SecurityToken;
        JsonObject? claims;
        try { claims = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject; }
        catch (JsonException) { claims = null; }
        if (claims is null || Text(claims["sub"]) is not { Length: > 0 }) return (null, Refuse(provider, "the ID token has no sub"));
        var now = time.GetUtcNow();
        if (claims["iat"] is JsonValue iatValue && iatValue.TryGetValue(out long iat) && DateTimeOffset.FromUnixTimeSeconds(iat) > now + ClockSkew)
        {
            return (null, Refuse(provider, "the ID token was issued in the future"));
        }
        if (nonce is not null)
        {
            var got = Text(claims["nonce"]);
            if (got is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(got), Encoding.UTF8.GetBytes(nonce)))
            {
                return (null, Refuse(provider, "the ID token's nonce does not match"));
            }
        }
        return (claims, null);
    }

    Task<TokenValidationResult> ValidateAsync(string token, IReadOnlyList<SecurityKey> keys, string[] issuers, string audience) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = AllowedAlgorithms,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, p) => LifetimeValid(notBefore, expires),
            TryAllIssuerSigningKeys = true, // a token without kid is checked against every key of the set
        });

    bool LifetimeValid(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value.ToUniversalTime() < now - ClockSkew) return false;
        return notBefore is null || notBefore.Value.ToUniversalTime() <= now + ClockSkew;
    }

    static string Reason(Exception? ex) => ex switch
    {
        SecurityTokenInvalidAudienceException => "the ID token's audience is not this provider's client_id",
        SecurityTokenInvalidIssuerException => "the ID token's issuer is not the provider's issuer",
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException => "the ID token is expired or not yet valid",
        SecurityTokenInvalidAlgorithmException => "the ID token's signing algorithm is not allowed",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the ID token's signature is not valid",
        _ => "the ID token is not valid",
    };

    /// <summary>
    /// The provider's user attributes from <c>attributes_url</c> (GET, or POST when <c>attributes_request_method</c> is POST)
    /// with the access token as a bearer token; when <c>attributes_url_add_attributes</c> is <c>true</c> (Facebook's
    /// <c>fields=</c>) the mapped attribute names and the subject are appended. Null (no error) when the provider has no URL.
    /// </summary>
    public async ValueTask<(JsonObject? Claims, UpstreamError? Error)> UserInfoAsync(IdentityProvider provider, string accessToken, CancellationToken ct)
    {
        var url = provider.Detail("attributes_url");
        if (string.IsNullOrEmpty(url)) return (null, null);
        // Google's fixed attributes_url is the People API (personFields=…), whose field names are not OIDC claims: Google's
        // verified ID token already carries them (sub, email, email_verified, name, given_name, family_name, picture, locale).
        if (provider.ProviderType == IdentityProviderTypes.Google && url.Contains("personFields=", StringComparison.Ordinal)) return (null, null);
        if (!IsHttpUrl(url)) return (null, Fail(provider, "invalid_request", "the provider's attributes_url is not a URL"));
        if (string.Equals(provider.Detail("attributes_url_add_attributes"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var fields = new List<string> { SubjectClaim(provider.ProviderType) };
            foreach (var name in provider.AttributeMapping.Values)
            {
                if (!fields.Contains(name, StringComparer.Ordinal) && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-')) fields.Add(name);
            }
            url += Uri.EscapeDataString(string.Join(',', fields));
        }
        bool post = string.Equals(provider.Detail("attributes_request_method"), "POST", StringComparison.OrdinalIgnoreCase);
        using var request = new HttpRequestMessage(post ? HttpMethod.Post : HttpMethod.Get, url);
        if (post) request.Content = new FormUrlEncodedContent([]);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (status, body) = await SendAsync(provider, request, "userInfo", ct).ConfigureAwait(false);
        var json = body is null ? null : ParseObject(body);
        if (status is < 200 or > 299 || json is null)
        {
            var error = Text(json?["error"]) ?? "invalid_request";
            return (null, Fail(provider, SafeErrorCode(error), status == 0 ? "the attributes endpoint could not be reached" : $"{status} {error} {Text(json?["error_description"])}".TrimEnd()));
        }
        return (json, null);
    }

    async ValueTask<IReadOnlyList<SecurityKey>?> KeysAsync(string jwksUri, bool force, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (jwks.TryGetValue(jwksUri, out var entry))
        {
            var age = now - entry.FetchedAt;
            if (!force && age < JwksLifetime) return entry.Keys;
            if (force && age < JwksRefreshInterval) return entry.Keys;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, jwksUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (status, body) = await SendAsync(null, request, "jwks", ct).ConfigureAwait(false);
        if (status is < 200 or > 299 || body is null) return entry?.Keys;
        try
        {
            var set = new JsonWebKeySet(body);
            // Only public asymmetric keys: a symmetric ("oct") key in a JWKS would let anyone who read it sign tokens.
            var keys = set.GetSigningKeys().Where(static k => k is RsaSecurityKey or ECDsaSecurityKey or JsonWebKey { Kty: "RSA" or "EC" }).ToList();
            var fresh = new JwksEntry(keys, now);
            if (jwks.Count > 10_000) jwks.Clear();
            jwks[jwksUri] = fresh;
            return keys;
        }
        catch (ArgumentException)
        {
            return entry?.Keys;
        }
    }

    async ValueTask<(int Status, string? Body)> SendAsync(IdentityProvider? provider, HttpRequestMessage request, string what, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxResponseBytes) return ((int)response.StatusCode, null);
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[MaxResponseBytes + 1];
            int read = 0, n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false)) > 0) read += n;
            if (read > MaxResponseBytes) return ((int)response.StatusCode, null);
            return ((int)response.StatusCode, Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogUnreachable(logger, provider?.ProviderName ?? "-", what, ex.GetType().Name);
            return (0, null);
        }
    }

    static JsonObject? ParseObject(string body)
    {
        try { return JsonNode.Parse(body) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>A JSON value as text: strings as they are, numbers and booleans in their JSON form; null for objects, arrays and null.</summary>
    internal static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);

    /// <summary>An error code safe to put in the app's redirect (RFC 6749 §5.2 charset), else <c>invalid_request</c>.</summary>
    static string SafeErrorCode(string error) =>
        error.Length is > 0 and <= 64 && error.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_') ? error : "invalid_request";

    /// <summary>Cognito's description of a provider error: <c>{ProviderName} Error - {details}</c>.</summary>
    internal static UpstreamError Fail(IdentityProvider provider, string error, string details) =>
        new(error, Truncate($"{provider.ProviderName} Error - {details}"));

    static UpstreamError Refuse(IdentityProvider provider, string details) =>
        new("invalid_token", $"{provider.ProviderName}: {details}.", RefuseWithPage: true);

    static string Truncate(string s) => s.Length <= 512 ? s : s[..512];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Federation: provider {ProviderName}'s {Endpoint} endpoint failed ({ExceptionType})")]
    static partial void LogUnreachable(ILogger logger, string providerName, string endpoint, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation: an ID token of provider {ProviderName} was refused ({Reason})")]
    static partial void LogIdTokenRefused(ILogger logger, string providerName, string reason);
}

/// <summary>
/// Sign in with Apple's client secret: an ES256 JWT signed with the provider's <c>private_key</c> (PKCS#8 PEM), header
/// <c>kid</c> = <c>key_id</c>, claims <c>iss</c> = <c>team_id</c>, <c>sub</c> = <c>client_id</c> (the Services ID),
/// <c>aud</c> = <c>https://appleid.apple.com</c> (or <c>oidc_issuer</c> in Development), <c>iat</c>, <c>exp</c> = iat + 5 minutes.
/// </summary>
internal static class AppleClientSecret
{
    /// <summary>The client secret for one token request, or null when the provider lacks team_id, key_id or private_key.</summary>
    public static string? Create(IdentityProvider provider, DateTimeOffset now)
    {
        string? teamId = provider.Detail("team_id"), keyId = provider.Detail("key_id"), pem = provider.Detail("private_key"), clientId = provider.Detail("client_id");
        if (string.IsNullOrEmpty(teamId) || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(pem) || string.IsNullOrEmpty(clientId)) return null;
        using var key = ECDsa.Create();
        try { key.ImportFromPem(pem.Contains("-----BEGIN", StringComparison.Ordinal) ? pem : $"-----BEGIN PRIVATE KEY-----\n{pem}\n-----END PRIVATE KEY-----"); }
        catch (ArgumentException) { return null; }
        catch (CryptographicException) { return null; }
        long iat = now.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = keyId, ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = teamId,
            ["iat"] = iat,
            ["exp"] = iat + 300,
            ["aud"] = provider.Detail("oidc_issuer") ?? "https://appleid.apple.com",
            ["sub"] = clientId,
        };
        var signingInput = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString());
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }
}
