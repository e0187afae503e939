using Cognate.Core.Auth;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>AdminRespondToAuthChallenge: answers a challenge of an admin sign-in.</summary>
[CognitoAction("AdminRespondToAuthChallenge")]
internal static class AdminRespondToAuthChallenge
{
    internal sealed record Request(string UserPoolId, string ClientId, string ChallengeName, string? Session, Dictionary<string, string>? ChallengeResponses);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.ClientAsync(ctx, r.ClientId);
        if (pool.Id != r.UserPoolId) throw CognitoErrors.ClientNotFound(r.ClientId);
        var outcome = await ctx.Get<AuthService>().RespondToChallengeAsync(pool, client, r.ChallengeName, r.Session, r.ChallengeResponses ?? [], Callers.Issuer(ctx, pool), ctx.Aborted);
        return AuthResponse.From(outcome);
    }
}
