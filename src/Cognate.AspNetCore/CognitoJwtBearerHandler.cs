using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cognate.AspNetCore;

/// <summary>Names used by the Cognito bearer handler.</summary>
public static class CognitoJwtBearerDefaults
{
    /// <summary>The default authentication scheme, <c>Bearer</c>.</summary>
    public const string AuthenticationScheme = "Bearer";
}

/// <summary>Claim types of Cognito tokens (reference §6.3, §6.4), kept as the JWT names (no mapping to XML-SOAP URIs).</summary>
public static class CognitoClaimTypes
{
    /// <summary>The user's stable id (UUID).</summary>
    public const string Subject = "sub";
    /// <summary>The username, in access tokens; <see cref="ClaimsIdentity.Name"/> of an access-token identity.</summary>
    public const string Username = "username";
    /// <summary>The username, in ID tokens; <see cref="ClaimsIdentity.Name"/> of an ID-token identity.</summary>
    public const string CognitoUsername = "cognito:username";
    /// <summary>Group names (one claim per group); the role claim type, so <c>User.IsInRole("admins")</c> works.</summary>
    public const string Groups = "cognito:groups";
    /// <summary>Space-separated OAuth scopes (access tokens).</summary>
    public const string Scope = "scope";
    /// <summary><c>id</c> or <c>access</c>.</summary>
    public const string TokenUse = "token_use";
    /// <summary>App client id (access tokens).</summary>
    public const string ClientId = "client_id";
}

/// <summary>One validator (and key cache) per scheme, living as long as the application.</summary>
internal sealed class CognitoValidatorRegistry(IServiceProvider services) : IDisposable
{
    readonly ConcurrentDictionary<string, Lazy<(CognitoTokenValidator Validator, HttpClient Http)>> validators = new(StringComparer.Ordinal);

    public CognitoTokenValidator Get(string scheme, CognitoJwtBearerOptions options) =>
        validators.GetOrAdd(scheme, _ => new Lazy<(CognitoTokenValidator, HttpClient)>(() =>
        {
            options.Validate();
            var handler = options.BackchannelHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            var http = new HttpClient(handler, disposeHandler: options.BackchannelHandler is null) { Timeout = options.JwksFetchTimeout };
            var time = options.TimeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
            var keys = new JwksCache(options.EffectiveJwksUri, http, options.JwksRefreshInterval, time);
            return (new CognitoTokenValidator(options, keys, time), http);
        })).Value.Validator;

    public void Dispose()
    {
        foreach (var v in validators.Values) if (v.IsValueCreated) v.Value.Http.Dispose();
    }
}

/// <summary>
/// ASP.NET Core authentication handler for Cognito bearer tokens (RFC 6750): reads <c>Authorization: Bearer {token}</c>, validates it with
/// <see cref="CognitoTokenValidator"/> and builds the user from the token's claims. No header: no result (anonymous).
/// Challenge: 401 with <c>WWW-Authenticate: Bearer</c>, plus <c>error="invalid_token"</c> when a token was refused (RFC 6750 §3.1).
/// Tokens are never logged; failures are logged at Debug with their fixed reason only.
/// </summary>
internal sealed partial class CognitoJwtBearerHandler(IOptionsMonitor<CognitoJwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder, CognitoValidatorRegistry registry)
    : AuthenticationHandler<CognitoJwtBearerOptions>(options, logger, encoder)
{
    string? failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0)
        {
            failure = CognitoTokenValidator.Malformed;
            return AuthenticateResult.Fail(failure);
        }

        var validator = registry.Get(Scheme.Name, Options);
        var result = await validator.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            failure = result.Failure;
            LogRefused(Logger, Scheme.Name, result.Failure!);
            return AuthenticateResult.Fail(result.Failure!);
        }

        var identity = CreateIdentity(result.Payload, validator.TokenUse, Scheme.Name);
        var properties = new AuthenticationProperties();
        if (Options.SaveToken) properties.StoreTokens([new AuthenticationToken { Name = validator.TokenUse == CognitoTokenUse.Access ? "access_token" : "id_token", Value = token }]);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, Scheme.Name));
    }

    /// <summary>
    /// The identity of a verified token: every payload member as a claim of the same name (arrays as one claim per element,
    /// numbers and booleans in invariant text), <see cref="ClaimTypes.NameIdentifier"/> = <c>sub</c>, name claim <c>username</c>
    /// (access) or <c>cognito:username</c> (ID), role claim <c>cognito:groups</c>.
    /// </summary>
    internal static ClaimsIdentity CreateIdentity(JsonElement payload, CognitoTokenUse use, string authenticationType)
    {
        const string issuerFallback = ClaimsIdentity.DefaultIssuer;
        var iss = payload.TryGetProperty("iss"u8, out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : issuerFallback;
        var claims = new List<Claim>(24);
        foreach (var member in payload.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in member.Value.EnumerateArray()) Add(claims, member.Name, item, iss);
            }
            else
            {
                Add(claims, member.Name, member.Value, iss);
            }
        }
        if (payload.TryGetProperty("sub"u8, out var sub) && sub.ValueKind == JsonValueKind.String)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, sub.GetString()!, ClaimValueTypes.String, iss));
        }
        var nameType = use == CognitoTokenUse.Access ? CognitoClaimTypes.Username : CognitoClaimTypes.CognitoUsername;
        return new ClaimsIdentity(claims, authenticationType, nameType, CognitoClaimTypes.Groups);
    }

    static void Add(List<Claim> claims, string name, JsonElement value, string issuer)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                claims.Add(new Claim(name, value.GetString()!, ClaimValueTypes.String, issuer));
                break;
            case JsonValueKind.Number:
                claims.Add(new Claim(name, value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double, issuer));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                claims.Add(new Claim(name, value.GetBoolean() ? "true" : "false", ClaimValueTypes.Boolean, issuer));
                break;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                claims.Add(new Claim(name, value.GetRawText(), "JSON", issuer));
                break;
            default:
                break;
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Options.OnChallenge is not null)
        {
            var context = new CognitoChallengeContext(Context, failure);
            await Options.OnChallenge(context).ConfigureAwait(false);
            if (context.Handled) return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : string.Create(CultureInfo.InvariantCulture, $"Bearer error=\"invalid_token\", error_description=\"{failure}\"");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bearer token refused by scheme {Scheme}: {Reason}")]
    static partial void LogRefused(ILogger logger, string scheme, string reason);
}
