using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.OAuth;
using Cognate.Core.Tokens;
using Cognate.Server.OAuth.Results;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>GET|POST /oauth2/userInfo</c> (OpenID Connect Core §5.3; reference §9.5). The bearer access token comes from the
/// <c>Authorization</c> header (never the query) and must carry the <c>openid</c> scope, so the user pools API's tokens
/// (<c>aws.cognito.signin.user.admin</c> only) and client_credentials tokens are refused. Claims by scope
/// (<see cref="UserInfoClaims"/>), limited to the client's ReadAttributes. No token: 400 <c>invalid_request</c>; any invalid,
/// expired, revoked or wrong-scope token, or a disabled or deleted user: 401 <c>invalid_token</c>, with Cognito's
/// <c>WWW-Authenticate</c> texts.
/// </summary>
internal static class UserInfoEndpoint
{
    public static async ValueTask<OAuthResult> ProcessAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.AsSpan(7).Trim().IsEmpty)
        {
            return BearerErrorResult.InvalidRequest;
        }
        var token = header[7..].Trim();
        var ct = http.RequestAborted;
        try
        {
            var (context, scopes) = await http.RequestServices.GetRequiredService<TokenService>().ValidateOpenIdAccessTokenAsync(token, ct);
            var client = await http.RequestServices.GetRequiredService<AppClientService>().GetAsync(context.Pool.Id, context.ClientId, ct);
            var claims = UserInfoClaims.For(context.User, scopes, client.Config.ReadAttributes);
            return new UserInfoResult(claims);
        }
        catch (CognitoException)
        {
            return BearerErrorResult.InvalidToken;
        }
    }
}
