using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>UpdateGroup: changes the description, role or precedence given; the next tokens of members show the change.</summary>
[CognitoAction("UpdateGroup")]
internal static class UpdateGroup
{
    internal sealed record Request(string GroupName, string UserPoolId, string? Description, string? RoleArn, int? Precedence);
    internal sealed record Response(GroupType Group);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var group = await ctx.Get<GroupService>().UpdateAsync(pool, r.GroupName, r.Description, r.RoleArn, r.Precedence, ctx.Aborted);
        return new Response(GroupType.From(group));
    }
}
