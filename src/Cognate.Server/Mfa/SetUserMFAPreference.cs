using Cognate.Core.Mfa;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>SetUserMFAPreference: the signed-in user enables, disables or prefers SMS, TOTP and email MFA.</summary>
[CognitoAction("SetUserMFAPreference")]
internal static class SetUserMFAPreference
{
    internal sealed record Request(string AccessToken, MfaWire.MfaSettingsType? SMSMfaSettings, MfaWire.MfaSettingsType? SoftwareTokenMfaSettings, MfaWire.MfaSettingsType? EmailMfaSettings);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<MfaService>().SetPreferenceAsync(token.Pool, token.User, r.SMSMfaSettings?.ToPreference(), r.SoftwareTokenMfaSettings?.ToPreference(), r.EmailMfaSettings?.ToPreference(), ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
