using Cognate.Core.OAuth;
using Cognate.Server.OAuth.Results;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>POST /oauth2/token</c> (RFC 6749 §3.2; reference §9.4). Order of checks: content type → repeated parameters →
/// grant_type known → client authentication (Basic or post) → the grant's own rules.
/// Grants: <c>client_credentials</c>, <c>refresh_token</c> and <c>authorization_code</c> (<see cref="AuthorizationCodeService"/>:
/// single use, 5 minutes, bound client, equal redirect_uri, PKCE S256, a replay revokes what the code issued).
/// </summary>
internal static class TokenEndpoint
{
    public static async ValueTask<OAuthResult> ProcessAsync(HttpContext http)
    {
        var form = await OAuthEndpoints.ReadFormAsync(http.Request);
        if (form is null) return OAuthEndpoints.Error(OAuthErrors.InvalidRequest);
        bool repeated = false;
        var grantType = OAuthEndpoints.One(form, "grant_type", ref repeated);
        var clientId = OAuthEndpoints.One(form, "client_id", ref repeated);
        var clientSecret = OAuthEndpoints.One(form, "client_secret", ref repeated);
        var scope = OAuthEndpoints.One(form, "scope", ref repeated);
        var refreshToken = OAuthEndpoints.One(form, "refresh_token", ref repeated);
        var code = OAuthEndpoints.One(form, "code", ref repeated);
        var redirectUri = OAuthEndpoints.One(form, "redirect_uri", ref repeated);
        var codeVerifier = OAuthEndpoints.One(form, "code_verifier", ref repeated);
        if (repeated || string.IsNullOrEmpty(grantType)) return OAuthEndpoints.Error(OAuthErrors.InvalidRequest);
        if (grantType is not (GrantRules.ClientCredentials or GrantRules.RefreshToken or GrantRules.AuthorizationCode))
        {
            return OAuthEndpoints.Error(OAuthErrors.UnsupportedGrantType);
        }

        var presented = ClientAuthentication.Read(http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, clientId, clientSecret);
        if (!presented.Succeeded) return new TokenErrorResult(presented.Error!);
        var service = http.RequestServices.GetRequiredService<OAuthTokenService>();
        var ct = http.RequestAborted;
        var client = await service.AuthenticateAsync(presented.Value!, ct: ct);
        if (!client.Succeeded) return new TokenErrorResult(client.Error!);
        var issuer = OAuthEndpoints.Issuer(http, client.Value!.Pool);

        var outcome = grantType switch
        {
            GrantRules.ClientCredentials => await service.ClientCredentialsAsync(client.Value, scope, issuer, ct),
            GrantRules.RefreshToken => await service.RefreshAsync(client.Value, refreshToken, issuer, ct),
            _ => await http.RequestServices.GetRequiredService<AuthorizationCodeService>().RedeemAsync(client.Value, code, redirectUri, codeVerifier, issuer, ct),
        };
        return outcome.Succeeded ? new TokenSuccessResult(outcome.Value!) : new TokenErrorResult(outcome.Error!);
    }
}
