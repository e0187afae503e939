using Cognate.Core.OAuth;
using Cognate.Server.OAuth.Results;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009; reference §9.6): form <c>token</c> (a refresh token); confidential clients
/// authenticate with Basic (or post) credentials, public clients send <c>client_id</c>. 200 with an empty body on success,
/// also for an unknown or already revoked token; 400 <c>invalid_request</c> / <c>unsupported_token_type</c>;
/// 401 <c>invalid_client</c>. Revokes exactly as RevokeToken does.
/// </summary>
internal static class RevokeEndpoint
{
    public static async ValueTask<OAuthResult> ProcessAsync(HttpContext http)
    {
        var form = await OAuthEndpoints.ReadFormAsync(http.Request);
        if (form is null) return OAuthEndpoints.Error(OAuthErrors.InvalidRequest);
        bool repeated = false;
        var token = OAuthEndpoints.One(form, "token", ref repeated);
        var clientId = OAuthEndpoints.One(form, "client_id", ref repeated);
        var clientSecret = OAuthEndpoints.One(form, "client_secret", ref repeated);
        OAuthEndpoints.One(form, "token_type_hint", ref repeated);
        if (repeated || string.IsNullOrEmpty(token)) return OAuthEndpoints.Error(OAuthErrors.InvalidRequest);

        var presented = ClientAuthentication.Read(http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, clientId, clientSecret);
        if (!presented.Succeeded) return OAuthEndpoints.Error(OAuthErrors.InvalidClient, 401);
        var service = http.RequestServices.GetRequiredService<OAuthTokenService>();
        var client = await service.AuthenticateAsync(presented.Value!, failureStatus: 401, http.RequestAborted);
        if (!client.Succeeded) return new TokenErrorResult(client.Error!);
        var error = await service.RevokeAsync(client.Value!, token, http.RequestAborted);
        return error is null ? RevokeSuccessResult.Instance : new TokenErrorResult(error);
    }
}
