using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminEnableUser: re-enables a disabled user (tokens revoked by the disable stay revoked).</summary>
[CognitoAction("AdminEnableUser")]
internal static class AdminEnableUser
{
    internal sealed record Request(string UserPoolId, string Username);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<UserService>().SetEnabledAsync(pool, user, true, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
