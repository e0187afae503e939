using Cognate.Core.Mfa;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>
/// SetUserSettings (legacy; Cognito: "no longer supported", SMS MFA only): the signed-in user sets its <c>MFAOptions</c>.
/// <c>[{DeliveryMedium: SMS, AttributeName: phone_number}]</c> enables SMS MFA and makes it the preferred factor (as
/// SetUserMFAPreference with SMSMfaSettings Enabled + PreferredMfa); an empty list disables SMS MFA (and clears the preference
/// when it was SMS). Other factors are untouched. Errors: NotAuthorizedException (token), InvalidParameterException (EMAIL, an
/// attribute other than phone_number, or a user without phone_number).
/// </summary>
[CognitoAction("SetUserSettings")]
internal static class SetUserSettings
{
    internal sealed record Request(string AccessToken, List<MFAOptionType> MFAOptions);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        await ctx.Get<MfaService>().SetPreferenceAsync(token.Pool, token.User, LegacyOptions.ToSmsPreference(r.MFAOptions), null, null, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}

/// <summary>The legacy <c>MFAOptions</c> list as an SMS MFA preference.</summary>
internal static class LegacyOptions
{
    /// <exception cref="Core.Errors.CognitoException">InvalidParameterException for EMAIL or an attribute other than phone_number.</exception>
    public static MfaService.Preference ToSmsPreference(List<MFAOptionType>? options)
    {
        foreach (var o in options ?? [])
        {
            if (o.DeliveryMedium != "SMS") throw Core.Errors.CognitoErrors.InvalidParameter("Only SMS is supported as an MFA delivery medium in MFAOptions; use SetUserMFAPreference for other factors.");
            if (o.AttributeName != "phone_number") throw Core.Errors.CognitoErrors.InvalidParameter("MFAOptions AttributeName must be phone_number.");
        }
        return options is { Count: > 0 } ? new MfaService.Preference(true, true) : new MfaService.Preference(false, null);
    }
}
