using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>ListGroups: the pool's groups by name, Limit (0..60, 0: 60) per page, NextToken.</summary>
[CognitoAction("ListGroups")]
internal static class ListGroups
{
    internal sealed record Request(string UserPoolId, int? Limit, string? NextToken);
    internal sealed record Response(List<GroupType> Groups, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var page = await ctx.Get<GroupService>().ListAsync(pool, r.Limit, r.NextToken, ctx.Aborted);
        return new Response([.. page.Items.Select(GroupType.From)], page.NextToken);
    }
}
