using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Mfa;

/// <summary>SetUserPoolMfaConfig: MFA OFF / ON / OPTIONAL and the SMS, TOTP and email MFA settings of a pool, and its
/// passkey relying party (WebAuthnConfiguration, checked by <see cref="Core.Passkeys.PasskeyService.CheckConfiguration"/>).</summary>
[CognitoAction("SetUserPoolMfaConfig")]
internal static class SetUserPoolMfaConfig
{
    internal sealed record Request(string UserPoolId, SmsMfaConfigType? SmsMfaConfiguration, SoftwareTokenMfaConfigType? SoftwareTokenMfaConfiguration,
        EmailMfaConfigType? EmailMfaConfiguration, string? MfaConfiguration, System.Text.Json.Nodes.JsonObject? WebAuthnConfiguration);

    public static async ValueTask<MfaWire.PoolMfaConfig> HandleAsync(ActionContext ctx, Request r)
    {
        var development = ctx.Get<Microsoft.Extensions.Hosting.IHostEnvironment>().IsDevelopment();
        if (Core.Passkeys.PasskeyService.CheckConfiguration(r.WebAuthnConfiguration, allowLocalhost: development) is { } invalid) throw invalid;
        var pool = await ctx.Get<MfaService>().SetPoolConfigAsync(r.UserPoolId, r.MfaConfiguration, r.SmsMfaConfiguration, r.SoftwareTokenMfaConfiguration,
            r.EmailMfaConfiguration, r.WebAuthnConfiguration, ctx.Aborted);
        return MfaWire.PoolMfaConfig.From(pool);
    }
}
