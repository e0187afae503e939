using Cognate.Core.Errors;
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
        var clientMetadata = OAuthEndpoints.One(form, "aws_client_metadata", ref repeated);
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

        OAuthOutcome<TokenResponse> outcome;
        try
        {
            outcome = grantType switch
            {
                GrantRules.ClientCredentials => ParseClientMetadata(clientMetadata) is { Succeeded: true } metadata
                    ? await service.ClientCredentialsAsync(client.Value, scope, issuer, metadata.Value, ct)
                    : OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidRequest),
                GrantRules.RefreshToken => await service.RefreshAsync(client.Value, refreshToken, issuer, ct),
                _ => await http.RequestServices.GetRequiredService<AuthorizationCodeService>().RedeemAsync(client.Value, code, redirectUri, codeVerifier, issuer, ct),
            };
        }
        catch (CognitoException ex) when (Authorize.AuthorizeCompletion.IsLambdaError(ex))
        {
            // The pool's PreTokenGeneration function failed: no token (and nothing stored); the error body carries no description.
            outcome = OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidRequest);
        }
        return outcome.Succeeded ? new TokenSuccessResult(outcome.Value!) : new TokenErrorResult(outcome.Error!);
    }

    /// <summary>
    /// <c>aws_client_metadata</c> (client_credentials only): URL-encoded JSON object of string values, given to a PreTokenGeneration V3_0
    /// function as <c>clientMetadata</c> (AWS developer guide, "Scopes, M2M, and resource servers"). Absent: null. Not a JSON object of
    /// strings: <c>invalid_request</c>.
    /// </summary>
    static OAuthOutcome<IReadOnlyDictionary<string, string>?> ParseClientMetadata(string? value)
    {
        if (string.IsNullOrEmpty(value)) return OAuthOutcome<IReadOnlyDictionary<string, string>?>.Ok(null);
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(value) is not System.Text.Json.Nodes.JsonObject o) return OAuthOutcome<IReadOnlyDictionary<string, string>?>.Fail(OAuthErrors.InvalidRequest);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in o)
            {
                if (v is not System.Text.Json.Nodes.JsonValue s || s.GetValueKind() != System.Text.Json.JsonValueKind.String) return OAuthOutcome<IReadOnlyDictionary<string, string>?>.Fail(OAuthErrors.InvalidRequest);
                map[k] = s.GetValue<string>();
            }
            return OAuthOutcome<IReadOnlyDictionary<string, string>?>.Ok(map);
        }
        catch (System.Text.Json.JsonException)
        {
            return OAuthOutcome<IReadOnlyDictionary<string, string>?>.Fail(OAuthErrors.InvalidRequest);
        }
    }
}
