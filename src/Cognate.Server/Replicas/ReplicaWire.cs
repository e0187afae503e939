using Cognate.Core.Pools;
using Cognate.Core.Pools.Replicas;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Replicas;

/// <summary>
/// Cognito's <c>UserPoolReplicaType</c>: RegionName, Status (CREATING | ACTIVE | INACTIVE | DELETING), Role (PRIMARY | SECONDARY)
/// and UserPoolArn. A secondary's ARN names the id Cognate serves it under, <c>arn:aws:cognito-idp:{R}:{account}:userpool/{R}_{suffix}</c>
/// (Cognito's names the primary id: it tells Regions apart by endpoint, Cognate by id).
/// </summary>
internal sealed record UserPoolReplicaType(string RegionName, string Status, string Role, string UserPoolArn)
{
    public static UserPoolReplicaType Secondary(ActionContext ctx, UserPoolReplica r) =>
        new(r.RegionName, r.Status, "SECONDARY", $"arn:aws:cognito-idp:{r.RegionName}:{Account(ctx)}:userpool/{r.ReplicaId}");

    public static UserPoolReplicaType Primary(ActionContext ctx, UserPool pool) =>
        new(pool.Region, ReplicaService.Active, "PRIMARY", $"arn:aws:cognito-idp:{pool.Region}:{Account(ctx)}:userpool/{pool.Id}");

    static string Account(ActionContext ctx) => ctx.Get<IOptions<CognateOptions>>().Value.AccountId;
}
