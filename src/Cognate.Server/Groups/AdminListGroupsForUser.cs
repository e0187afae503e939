using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>AdminListGroupsForUser: a user's groups by name, Limit (0..60) per page, NextToken.</summary>
[CognitoAction("AdminListGroupsForUser")]
internal static class AdminListGroupsForUser
{
    internal sealed record Request(string Username, string UserPoolId, int? Limit, string? NextToken);
    internal sealed record Response(List<GroupType> Groups, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var page = await ctx.Get<GroupService>().ListForUserAsync(pool, user, r.Limit, r.NextToken, ctx.Aborted);
        return new Response([.. page.Items.Select(GroupType.From)], page.NextToken);
    }
}
