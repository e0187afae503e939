using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>ListUsersInGroup: the group's members (UserType) by username, Limit (0..60) per page, NextToken.</summary>
[CognitoAction("ListUsersInGroup")]
internal static class ListUsersInGroup
{
    internal sealed record Request(string UserPoolId, string GroupName, int? Limit, string? NextToken);
    internal sealed record Response(List<UserType> Users, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var page = await ctx.Get<GroupService>().ListUsersAsync(pool, r.GroupName, r.Limit, r.NextToken, ctx.Aborted);
        return new Response([.. page.Items.Select(UserType.From)], page.NextToken);
    }
}
