using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Mfa;

/// <summary>SetUserPoolMfaConfig: MFA OFF / ON / OPTIONAL and the SMS, TOTP and email MFA settings of a pool.</summary>
[CognitoAction("SetUserPoolMfaConfig")]
internal static class SetUserPoolMfaConfig
{
    internal sealed record Request(string UserPoolId, SmsMfaConfigType? SmsMfaConfiguration, SoftwareTokenMfaConfigType? SoftwareTokenMfaConfiguration,
        EmailMfaConfigType? EmailMfaConfiguration, string? MfaConfiguration, System.Text.Json.Nodes.JsonObject? WebAuthnConfiguration);

    public static async ValueTask<MfaWire.PoolMfaConfig> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await ctx.Get<MfaService>().SetPoolConfigAsync(r.UserPoolId, r.MfaConfiguration, r.SmsMfaConfiguration, r.SoftwareTokenMfaConfiguration,
            r.EmailMfaConfiguration, r.WebAuthnConfiguration, ctx.Aborted);
        return MfaWire.PoolMfaConfig.From(pool);
    }
}
