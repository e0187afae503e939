using Cognate.Core.Risk;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Risk;

/// <summary>
/// DescribeRiskConfiguration: the threat-protection configuration of a pool, or of an app client (its own when it has one, else the
/// pool's it inherits). Errors: ResourceNotFoundException (pool or client), UserPoolAddOnNotEnabledException (AdvancedSecurityMode OFF).
/// </summary>
[CognitoAction("DescribeRiskConfiguration")]
internal static class DescribeRiskConfiguration
{
    internal sealed record Request(string UserPoolId, string? ClientId);
    internal sealed record Response(RiskConfiguration RiskConfiguration);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(await ctx.Get<RiskService>().DescribeAsync(pool, r.ClientId, ctx.Aborted));
    }
}
