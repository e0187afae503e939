using Cognate.Core.Groups;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Groups;

/// <summary>CreateGroup: a new group with optional description, IAM role and precedence.</summary>
[CognitoAction("CreateGroup")]
internal static class CreateGroup
{
    internal sealed record Request(string GroupName, string UserPoolId, string? Description, string? RoleArn, int? Precedence);
    internal sealed record Response(GroupType Group);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var group = await ctx.Get<GroupService>().CreateAsync(pool, r.GroupName, r.Description, r.RoleArn, r.Precedence, ctx.Aborted);
        return new Response(GroupType.From(group));
    }
}
