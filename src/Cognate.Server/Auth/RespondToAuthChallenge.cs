using Cognate.Core.Auth;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>RespondToAuthChallenge: answers a challenge (NEW_PASSWORD_REQUIRED, PASSWORD_VERIFIER, SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP, SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP).</summary>
[CognitoAction("RespondToAuthChallenge")]
internal static class RespondToAuthChallenge
{
    internal sealed record Request(string ClientId, string ChallengeName, string? Session, Dictionary<string, string>? ChallengeResponses);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        var outcome = await ctx.Get<AuthService>().RespondToChallengeAsync(pool, client, r.ChallengeName, r.Session, r.ChallengeResponses ?? [], Callers.Issuer(ctx, pool), ctx.Aborted);
        return AuthResponse.From(outcome);
    }
}
