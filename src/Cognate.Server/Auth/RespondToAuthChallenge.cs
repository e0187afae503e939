using Cognate.Core.Auth;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>RespondToAuthChallenge: answers a challenge (NEW_PASSWORD_REQUIRED).</summary>
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
