using Cognate.Core.Pools.Replicas;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Replicas;

/// <summary>
/// CreateUserPoolReplica: serves the pool additionally in RegionName under the id <c>{RegionName}_{suffix}</c>, ACTIVE at once
/// (<see cref="ReplicaService"/>). UserPoolTags are accepted and not kept apart from the pool's (a replica is the same pool).
/// Errors: ResourceNotFoundException, OperationNotEnabledException (called with a replica id), InvalidParameterException (bad
/// or own Region, duplicate), LimitExceededException (more than five replicas).
/// </summary>
[CognitoAction("CreateUserPoolReplica")]
internal static class CreateUserPoolReplica
{
    internal sealed record Request(string UserPoolId, string RegionName, Dictionary<string, string>? UserPoolTags);
    internal sealed record Response(UserPoolReplicaType UserPoolReplica);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "CreateUserPoolReplica");
        var replica = await ctx.Get<ReplicaService>().CreateAsync(r.UserPoolId, r.RegionName, ctx.Aborted);
        return new Response(UserPoolReplicaType.Secondary(ctx, replica));
    }
}
