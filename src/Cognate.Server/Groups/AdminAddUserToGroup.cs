using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>AdminAddUserToGroup: adds a user (username or alias) to a group; idempotent.</summary>
[CognitoAction("AdminAddUserToGroup")]
internal static class AdminAddUserToGroup
{
    internal sealed record Request(string UserPoolId, string Username, string GroupName);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<GroupService>().AddUserAsync(pool, r.GroupName, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
