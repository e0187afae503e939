using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>GlobalSignOut: revokes all of the signed-in user's refresh tokens and their access tokens.</summary>
[CognitoAction("GlobalSignOut")]
internal static class GlobalSignOut
{
    internal sealed record Request(string AccessToken);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<UserService>().GlobalSignOutAsync(token.Pool, token.User, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
