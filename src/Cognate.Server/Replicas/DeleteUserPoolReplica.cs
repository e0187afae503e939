using Cognate.Core.Pools.Replicas;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Replicas;

/// <summary>
/// DeleteUserPoolReplica: deletes an INACTIVE replica (Cognito's rule) at once; the answer reports it DELETING, as Cognito does.
/// Must be called with the primary pool id (OperationNotEnabledException otherwise). Errors: ResourceNotFoundException,
/// InvalidParameterException (still ACTIVE, or the primary Region).
/// </summary>
[CognitoAction("DeleteUserPoolReplica")]
internal static class DeleteUserPoolReplica
{
    internal sealed record Request(string UserPoolId, string RegionName);
    internal sealed record Response(UserPoolReplicaType UserPoolReplica);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "DeleteUserPoolReplica");
        var replica = await ctx.Get<ReplicaService>().DeleteAsync(r.UserPoolId, r.RegionName, ctx.Aborted);
        return new Response(UserPoolReplicaType.Secondary(ctx, replica));
    }
}
