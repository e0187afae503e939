using Cognate.Core.Errors;
using Cognate.Core.Pools.Replicas;
using Cognate.Server.Protocol;

namespace Cognate.Server.Replicas;

/// <summary>
/// ListUserPoolReplicas: the pool's secondary replicas ordered by Region, then its PRIMARY entry (the pool's own Region, ACTIVE),
/// as in Cognito's example. Callable with the pool id or an active replica's id. At most six entries, so one page: no
/// NextToken is ever returned, and one given is InvalidParameterException.
/// </summary>
[CognitoAction("ListUserPoolReplicas")]
internal static class ListUserPoolReplicas
{
    internal sealed record Request(string UserPoolId, string? NextToken);
    internal sealed record Response(List<UserPoolReplicaType> UserPoolReplicas, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, replicas) = await ctx.Get<ReplicaService>().ListAsync(r.UserPoolId, ctx.Aborted);
        if (r.NextToken is not null) throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        var list = replicas.Select(x => UserPoolReplicaType.Secondary(ctx, x)).ToList();
        list.Add(UserPoolReplicaType.Primary(ctx, pool));
        return new Response(list, null);
    }
}
