using Cognate.Core.Auth;
using Cognate.Core.Clients;
using Cognate.Server.Protocol;

namespace Cognate.Server.Auth;

/// <summary>RevokeToken: revokes a refresh token and the access tokens minted from it.</summary>
[CognitoAction("RevokeToken")]
internal static class RevokeToken
{
    internal sealed record Request(string Token, string ClientId, string? ClientSecret);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (client, _) = await ctx.Get<AppClientService>().GetWithPoolAsync(r.ClientId, ctx.Aborted);
        await ctx.Get<AuthService>().RevokeTokenAsync(client, r.Token, r.ClientSecret, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
