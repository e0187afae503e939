using Cognate.Core.Risk;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Risk;

/// <summary>
/// SetRiskConfiguration: sets the compromised-credentials, account-takeover and IP-exception configuration of a pool or (with ClientId)
/// of one app client, which then replaces the pool's for that client; with none of the three, removes it (pool: defaults; client:
/// inherits the pool's). Answers the stored configuration. Errors: ResourceNotFoundException (pool or client),
/// UserPoolAddOnNotEnabledException (AdvancedSecurityMode OFF), InvalidParameterException (a malformed CIDR range).
/// </summary>
[CognitoAction("SetRiskConfiguration")]
internal static class SetRiskConfiguration
{
    internal sealed record Request(string UserPoolId, string? ClientId,
        CompromisedCredentialsRiskConfigurationType? CompromisedCredentialsRiskConfiguration,
        AccountTakeoverRiskConfigurationType? AccountTakeoverRiskConfiguration,
        RiskExceptionConfigurationType? RiskExceptionConfiguration);
    internal sealed record Response(RiskConfiguration RiskConfiguration);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        return new Response(await ctx.Get<RiskService>().SetAsync(pool, r.ClientId, r.CompromisedCredentialsRiskConfiguration,
            r.AccountTakeoverRiskConfiguration, r.RiskExceptionConfiguration, ctx.Aborted));
    }
}
