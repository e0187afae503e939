using Cognate.Core.Pools.Replicas;
using Cognate.Server.Protocol;

namespace Cognate.Server.Replicas;

/// <summary>
/// UpdateUserPoolReplica: sets the replica in RegionName ACTIVE (its id answers again) or INACTIVE (its id answers
/// ResourceNotFoundException and its tokens stop validating). Errors: ResourceNotFoundException (pool, or no replica there),
/// InvalidParameterException (the primary Region).
/// </summary>
[CognitoAction("UpdateUserPoolReplica")]
internal static class UpdateUserPoolReplica
{
    internal sealed record Request(string UserPoolId, string RegionName, string Status);
    internal sealed record Response(UserPoolReplicaType UserPoolReplica);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var replica = await ctx.Get<ReplicaService>().SetStatusAsync(r.UserPoolId, r.RegionName, r.Status, ctx.Aborted);
        return new Response(UserPoolReplicaType.Secondary(ctx, replica));
    }
}
