using Cognate.Core.Mfa;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>
/// AdminSetUserSettings (legacy; SMS MFA only): an administrator sets a user's <c>MFAOptions</c>, with SetUserSettings' meaning.
/// Errors: ResourceNotFoundException, UserNotFoundException, InvalidParameterException.
/// </summary>
[CognitoAction("AdminSetUserSettings")]
internal static class AdminSetUserSettings
{
    internal sealed record Request(string UserPoolId, string Username, List<MFAOptionType> MFAOptions);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        await ctx.Get<MfaService>().SetPreferenceAsync(pool, user, LegacyOptions.ToSmsPreference(r.MFAOptions), null, null, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
