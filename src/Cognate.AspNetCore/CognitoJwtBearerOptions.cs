using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cognate.AspNetCore;

/// <summary>Which Cognito token an API accepts (the <c>token_use</c> claim, reference §6.3/§6.4).</summary>
public enum CognitoTokenUse
{
    /// <summary>Access tokens (<c>token_use: access</c>; the client is checked against <c>client_id</c>). What APIs should accept.</summary>
    Access,

    /// <summary>ID tokens (<c>token_use: id</c>; the client is checked against <c>aud</c>).</summary>
    Id,
}

/// <summary>
/// Settings of the Cognito bearer-token handler (<see cref="CognitoJwtBearerExtensions.AddCognitoJwtBearer(AuthenticationBuilder, Action{CognitoJwtBearerOptions})"/>).
/// </summary>
/// <remarks>
/// <para>Amazon Cognito: set <see cref="UserPoolId"/> (e.g. <c>eu-west-1_AbCdEf123</c>) and <see cref="ClientIds"/>; the
/// issuer becomes <c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c> and the key set
/// <c>{issuer}/.well-known/jwks.json</c>, as aws-jwt-verify hard-wires them.</para>
/// <para>Cognate: additionally set <see cref="IssuerBaseUrl"/> to Cognate's issuer base (its URL, e.g.
/// <c>http://localhost:9229</c>, or its <c>Cognate:IssuerBaseUrl</c> setting).</para>
/// </remarks>
public sealed partial class CognitoJwtBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Largest <see cref="ClockSkew"/> accepted: 5 minutes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The user pool id, <c>{region}_{suffix}</c>. Required.</summary>
    public string? UserPoolId { get; set; }

    /// <summary>The pool's region; null: the part of <see cref="UserPoolId"/> before <c>_</c>.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Issuer base URL, the issuer being <c>{IssuerBaseUrl}/{UserPoolId}</c> (trailing slashes ignored). <c>{region}</c> is replaced by
    /// the region. Null or empty: Amazon Cognito's <c>https://cognito-idp.{region}.amazonaws.com</c>.
    /// </summary>
    public string? IssuerBaseUrl { get; set; }

    /// <summary>Where to fetch the JSON Web Key Set (RFC 7517); null: <c>{issuer}/.well-known/jwks.json</c>.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>
    /// App client ids whose tokens are accepted (matched against <c>client_id</c> of access tokens and <c>aud</c> of ID tokens).
    /// At least one is required unless <see cref="AllowAnyClient"/> is set (aws-jwt-verify likewise demands <c>clientId</c> or an explicit null).
    /// </summary>
    public IList<string> ClientIds { get; } = [];

    /// <summary>Accept tokens of any app client of the pool (skips the client check). Default false.</summary>
    public bool AllowAnyClient { get; set; }

    /// <summary>The token use accepted (default <see cref="CognitoTokenUse.Access"/>).</summary>
    public CognitoTokenUse TokenUse { get; set; } = CognitoTokenUse.Access;

    /// <summary>
    /// Tolerance for clock differences when checking <c>exp</c>, <c>nbf</c> and <c>iat</c> (default 30 s, at most
    /// <see cref="MaxClockSkew"/>; aws-jwt-verify's <c>graceSeconds</c> defaults to 0).
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Least time between two key-set fetches triggered by an unknown <c>kid</c> (default 10 s, the penalty box of aws-jwt-verify's
    /// <c>SimpleJwksCache</c>). Tokens with unknown kids inside that window fail without a fetch.
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one key-set fetch (default 10 s).</summary>
    public TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="TokenCacheSize"/>: 10,000 tokens.</summary>
    public const int DefaultTokenCacheSize = 10_000;

    /// <summary>
    /// Most verified tokens remembered (entries; default <see cref="DefaultTokenCacheSize"/>; 0 turns the cache off; negative is refused
    /// by <see cref="Validate()"/>). A client sends the same access token on every request until it expires (1 hour by default in
    /// Cognito), so a token that passed every check is remembered, keyed by its exact string, and its next validations skip the base64,
    /// JSON and RSA work: they re-check only <c>exp</c>/<c>nbf</c>/<c>iat</c> against the clock and that its <c>kid</c> still names the same
    /// key in the key set (see <see cref="CognitoTokenValidator"/>). Entries are dropped when their token expires (on the next hit, or when
    /// the cache is full) and, when the cache is full of live tokens, the half least recently inserted or hit is dropped. Only
    /// tokens that passed are cached. Memory: one entry holds the token string (UTF-16, about 2 KB for a ~1,000-character Cognito access
    /// token; ID tokens are larger) plus its parsed payload (about 1 KB), so about 3 KB per entry and about 30 MB for the default when full.
    /// One cache per scheme.
    /// </summary>
    public int TokenCacheSize { get; set; } = DefaultTokenCacheSize;

    /// <summary>Keep the validated token in the authentication properties, readable with <c>HttpContext.GetTokenAsync("access_token")</c> (default false).</summary>
    public bool SaveToken { get; set; }

    /// <summary>Handler for the HTTP client that fetches the key set (tests, proxies); null: the default handler.</summary>
    public HttpMessageHandler? BackchannelHandler { get; set; }

    /// <summary>
    /// Called when a request is challenged (no token or an invalid one) before the default answer, a 401 with
    /// <c>WWW-Authenticate: Bearer</c> (RFC 6750 §3). Set <see cref="CognitoChallengeContext.Handled"/> after writing your own response.
    /// </summary>
    public Func<CognitoChallengeContext, Task>? OnChallenge { get; set; }

    /// <summary>The issuer tokens must carry: <c>{IssuerBaseUrl or https://cognito-idp.{region}.amazonaws.com}/{UserPoolId}</c>.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid (see <see cref="Validate()"/>).</exception>
    public string ExpectedIssuer
    {
        get
        {
            Validate();
            var region = EffectiveRegion;
            var baseUrl = string.IsNullOrEmpty(IssuerBaseUrl) ? $"https://cognito-idp.{region}.amazonaws.com" : IssuerBaseUrl.Replace("{region}", region, StringComparison.Ordinal);
            return baseUrl.TrimEnd('/') + "/" + UserPoolId;
        }
    }

    /// <summary>The key-set URL in effect: <see cref="JwksUri"/> or <c>{ExpectedIssuer}/.well-known/jwks.json</c>.</summary>
    public Uri EffectiveJwksUri => JwksUri ?? new Uri(ExpectedIssuer + "/.well-known/jwks.json");

    string EffectiveRegion => string.IsNullOrEmpty(Region) ? UserPoolId![..UserPoolId!.IndexOf('_', StringComparison.Ordinal)] : Region;

    [GeneratedRegex(@"^[\w-]+_[0-9a-zA-Z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PoolIdPattern();

    /// <summary>Checks the settings; misconfiguration fails at the first request with a message saying what to set.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or out of range.</exception>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(UserPoolId) || !PoolIdPattern().IsMatch(UserPoolId))
        {
            throw new InvalidOperationException($"CognitoJwtBearerOptions.UserPoolId must be a user pool id like 'us-east-1_AbCdEf123'; got '{UserPoolId}'.");
        }

        if (ClientIds.Count == 0 && !AllowAnyClient)
        {
            throw new InvalidOperationException("CognitoJwtBearerOptions.ClientIds must name at least one app client id (or set AllowAnyClient = true).");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            throw new InvalidOperationException($"CognitoJwtBearerOptions.ClockSkew must be between 0 and {MaxClockSkew}.");
        }

        if (JwksRefreshInterval < TimeSpan.Zero || JwksFetchTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("CognitoJwtBearerOptions.JwksRefreshInterval must be >= 0 and JwksFetchTimeout > 0.");
        }

        if (TokenCacheSize < 0)
        {
            throw new InvalidOperationException($"CognitoJwtBearerOptions.TokenCacheSize must be >= 0 (0 turns the verified-token cache off); got {TokenCacheSize}.");
        }

        if (!string.IsNullOrEmpty(IssuerBaseUrl) && !Uri.TryCreate(IssuerBaseUrl.Replace("{region}", "r", StringComparison.Ordinal), UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"CognitoJwtBearerOptions.IssuerBaseUrl must be an absolute URL; got '{IssuerBaseUrl}'.");
        }
    }
}

/// <summary>What <see cref="CognitoJwtBearerOptions.OnChallenge"/> receives.</summary>
/// <param name="httpContext">The request.</param>
/// <param name="failure">Why authentication failed (a fixed, token-free reason such as "The token has expired."), or null when no token was sent.</param>
public sealed class CognitoChallengeContext(HttpContext httpContext, string? failure)
{
    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; } = httpContext;

    /// <summary>Why authentication failed, or null when no bearer token was sent.</summary>
    public string? Failure { get; } = failure;

    /// <summary>Set when the callback wrote the response; the default 401 is then skipped.</summary>
    public bool Handled { get; set; }
}
