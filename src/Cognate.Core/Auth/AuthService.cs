using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;

namespace Cognate.Core.Auth;

/// <summary>
/// RevokeToken (and /oauth2/revoke): revokes a refresh token and the tokens minted from it. Sign-in itself lives in
/// <see cref="SignIn.SignInEngine"/> (docs/design/sign-in-engine.md).
/// </summary>
public sealed class AuthService(IRefreshTokenStore refreshTokens)
{
    /// <summary>
    /// RevokeToken: revokes a refresh token, the tokens of its rotation family (the tokens it was rotated from and into,
    /// <see cref="Tokens.RefreshTokenRotation"/>) and every access/ID token minted from any of them (their origin_jti).
    /// </summary>
    /// <exception cref="CognitoException">UnsupportedOperationException (revocation disabled), UnsupportedTokenTypeException (a JWT given),
    /// NotAuthorizedException (bad client secret), UnauthorizedException (token of another client).</exception>
    public async ValueTask RevokeTokenAsync(AppClient client, string token, string? clientSecret, CancellationToken ct = default)
    {
        if (client.ClientSecret is not null)
        {
            if (string.IsNullOrEmpty(clientSecret) || !OAuth.ClientAuthentication.MatchesAnySecret(client, clientSecret))
            {
                throw CognitoErrors.NotAuthorized($"Unable to verify secret for client {client.ClientId}");
            }
        }
        if (client.Config.EnableTokenRevocation == false) throw CognitoErrors.UnsupportedOperation("Token revocation is not enabled for this app client.");
        if (TokenService.LooksLikeJws(token)) throw CognitoErrors.UnsupportedTokenType("The token provided is not a refresh token.");
        var hash = TokenService.HashToken(token);
        var record = await refreshTokens.GetAsync(hash, ct).ConfigureAwait(false);
        if (record is null) return; // RFC 7009 §2.2: an invalid token is not an error
        if (record.ClientId != client.ClientId) throw CognitoErrors.Unauthorized("The token was not issued to this client.");
        await refreshTokens.RevokeAsync(hash, ct).ConfigureAwait(false);
    }
}
