using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminDeleteUser: deletes a user and everything it owns.</summary>
[CognitoAction("AdminDeleteUser")]
internal static class AdminDeleteUser
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().DeleteAsync(pool, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
