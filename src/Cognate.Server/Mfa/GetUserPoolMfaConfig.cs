using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>GetUserPoolMfaConfig: the pool's MFA mode and factor settings.</summary>
[CognitoAction("GetUserPoolMfaConfig")]
internal static class GetUserPoolMfaConfig
{
    internal sealed record Request(string UserPoolId);

    public static async ValueTask<MfaWire.PoolMfaConfig> HandleAsync(ActionContext ctx, Request r) =>
        MfaWire.PoolMfaConfig.From(await Callers.PoolAsync(ctx, r.UserPoolId));
}
