using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminDisableUser: the user can no longer sign in or refresh; its tokens are revoked.</summary>
[CognitoAction("AdminDisableUser")]
internal static class AdminDisableUser
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().SetEnabledAsync(pool, user, false, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
