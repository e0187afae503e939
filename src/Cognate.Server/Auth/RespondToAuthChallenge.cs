using Cognate.Core.SignIn;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>RespondToAuthChallenge: answers a challenge (NEW_PASSWORD_REQUIRED, PASSWORD_VERIFIER, SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP, SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP, CUSTOM_CHALLENGE) through the sign-in engine.</summary>
[CognitoAction("RespondToAuthChallenge")]
internal static class RespondToAuthChallenge
{
    internal sealed record Request(string ClientId, string ChallengeName, string? Session, Dictionary<string, string>? ChallengeResponses, Dictionary<string, string>? ClientMetadata = null);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        var request = new SignInRequest(pool, client, SignInDoor.JsonApi, r.ChallengeName, SignInParameters.WithoutNulls(r.ChallengeResponses), r.Session, Callers.Issuer(ctx, pool)) { ClientMetadata = r.ClientMetadata, SourceIp = ctx.Http.Connection.RemoteIpAddress?.ToString() };
        return AuthResponse.From(await ctx.Get<SignInEngine>().RespondAsync(request, ctx.Aborted));
    }
}
