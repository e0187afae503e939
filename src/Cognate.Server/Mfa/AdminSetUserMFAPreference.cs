using Cognate.Core.Mfa;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>AdminSetUserMFAPreference: an administrator sets a user's SMS, TOTP and email MFA preferences.</summary>
[CognitoAction("AdminSetUserMFAPreference")]
internal static class AdminSetUserMFAPreference
{
    internal sealed record Request(string UserPoolId, string Username, MfaWire.MfaSettingsType? SMSMfaSettings, MfaWire.MfaSettingsType? SoftwareTokenMfaSettings, MfaWire.MfaSettingsType? EmailMfaSettings);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<MfaService>().SetPreferenceAsync(pool, user, r.SMSMfaSettings?.ToPreference(), r.SoftwareTokenMfaSettings?.ToPreference(), r.EmailMfaSettings?.ToPreference(), ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
