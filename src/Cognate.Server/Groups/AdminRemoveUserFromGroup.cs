using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>AdminRemoveUserFromGroup: removes a user from a group; the user's next tokens no longer list it.</summary>
[CognitoAction("AdminRemoveUserFromGroup")]
internal static class AdminRemoveUserFromGroup
{
    internal sealed record Request(string UserPoolId, string Username, string GroupName);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<GroupService>().RemoveUserAsync(pool, r.GroupName, user, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
