using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>GetGroup: one group by name.</summary>
[CognitoAction("GetGroup")]
internal static class GetGroup
{
    internal sealed record Request(string GroupName, string UserPoolId);
    internal sealed record Response(GroupType Group);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(GroupType.From(await ctx.Get<GroupService>().GetAsync(pool, r.GroupName, ctx.Aborted)));
    }
}
