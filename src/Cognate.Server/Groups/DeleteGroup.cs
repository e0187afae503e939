using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>DeleteGroup: removes the group and its memberships; members' next tokens no longer list it.</summary>
[CognitoAction("DeleteGroup")]
internal static class DeleteGroup
{
    internal sealed record Request(string GroupName, string UserPoolId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<GroupService>().DeleteAsync(pool, r.GroupName, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
