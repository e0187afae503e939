using Cognate.Core.SignIn.Flows;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>
/// GetTokensFromRefreshToken: new ID and access tokens for a refresh token, and on a client with refresh-token rotation
/// (<c>RefreshTokenRotation.Feature = ENABLED</c>) a new refresh token that replaces the presented one after the client's
/// <c>RetryGracePeriodSeconds</c> (<see cref="Core.Tokens.RefreshTokenRotation"/>). Unsigned; a client with a secret sends it
/// in clear as <c>ClientSecret</c> (no SECRET_HASH). The checks are REFRESH_TOKEN_AUTH's (<see cref="RefreshTokenAuth.GetTokensAsync"/>).
/// <c>DeviceKey</c> is required for a refresh token bound to a device (issued to a sign-in with device tracking: the
/// confirmed device's key, else "Invalid Refresh Token"); <c>ClientMetadata</c> is accepted and unused.
/// Errors: ResourceNotFoundException (unknown client); NotAuthorizedException "Unable to verify secret for client {id}",
/// "Invalid Refresh Token", "Refresh Token has been revoked", "Refresh Token has expired", "User is disabled.";
/// RefreshTokenReuseException (a token rotated out, after its grace period).
/// </summary>
[CognitoAction("GetTokensFromRefreshToken")]
internal static class GetTokensFromRefreshToken
{
    internal sealed record Request(string RefreshToken, string ClientId, string? ClientSecret, string? DeviceKey, Dictionary<string, string>? ClientMetadata)
    {
        /// <summary>Never prints the token or the secret.</summary>
        public override string ToString() => $"GetTokensFromRefreshToken.Request {{ ClientId = {ClientId} }}";
    }

    internal sealed record Response(AuthenticationResultType AuthenticationResult);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        var outcome = await ctx.Get<RefreshTokenAuth>().GetTokensAsync(pool, client, r.RefreshToken, r.ClientSecret, Callers.Issuer(ctx, pool), r.DeviceKey, ctx.Aborted);
        if (outcome.Error is { } error) throw error.ToException();
        var t = outcome.Tokens!;
        return new Response(new AuthenticationResultType(t.AccessToken, t.ExpiresIn, t.TokenType, t.RefreshToken, t.IdToken!));
    }
}
