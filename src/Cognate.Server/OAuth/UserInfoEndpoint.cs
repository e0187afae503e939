using Cognate.Server.OAuth.Results;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>GET|POST /oauth2/userInfo</c> (OpenID Connect Core §5.3; reference §9.5). The access token must carry the
/// <c>openid</c> scope; the guide says tokens from the user pools API (scope <c>aws.cognito.signin.user.admin</c> only)
/// are not accepted. Cognate mints <c>openid</c> access tokens only at the authorization-code grant, which does not
/// exist yet, so every presented token is answered 401 <c>invalid_token</c> for now; the claims-by-scope answer arrives
/// with /oauth2/authorize. No token: 400 <c>invalid_request</c>. Errors carry Cognito's <c>WWW-Authenticate</c> texts.
/// </summary>
internal static class UserInfoEndpoint
{
    public static OAuthResult Process(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.AsSpan(7).Trim().IsEmpty)
        {
            return BearerErrorResult.InvalidRequest;
        }
        // No access token Cognate issues today has the openid scope (API sign-in: aws.cognito.signin.user.admin;
        // client_credentials: custom scopes only, and no user), so none may read userInfo.
        return BearerErrorResult.InvalidToken;
    }
}
