using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminUserGlobalSignOut: revokes all of a user's refresh tokens and their access tokens.</summary>
[CognitoAction("AdminUserGlobalSignOut")]
internal static class AdminUserGlobalSignOut
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().GlobalSignOutAsync(pool, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
