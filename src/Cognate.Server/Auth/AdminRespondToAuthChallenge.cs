using Cognate.Core.SignIn;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Auth;

/// <summary>AdminRespondToAuthChallenge: answers a challenge of an admin sign-in through the sign-in engine; ContextData.IpAddress is the source IP threat protection judges.</summary>
[CognitoAction("AdminRespondToAuthChallenge")]
internal static class AdminRespondToAuthChallenge
{
    internal sealed record Request(string UserPoolId, string ClientId, string ChallengeName, string? Session, Dictionary<string, string>? ChallengeResponses, Dictionary<string, string>? ClientMetadata = null, ContextDataType? ContextData = null);

    public static async ValueTask<AuthResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, pool) = await Callers.AdminClientAsync(ctx, r.UserPoolId, r.ClientId);
        var request = new SignInRequest(pool, client, SignInDoor.JsonAdminApi, r.ChallengeName, SignInParameters.WithoutNulls(r.ChallengeResponses), r.Session, Callers.Issuer(ctx, pool)) { ClientMetadata = r.ClientMetadata, SourceIp = ContextDataType.EnterSessionClient(r.ContextData, ctx) };
        return AuthResponse.From(await ctx.Get<SignInEngine>().RespondAsync(request, ctx.Aborted));
    }
}
