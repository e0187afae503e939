using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Server.Passkeys;

/// <summary>
/// GetUserAuthFactors: the user's Username, MFA settings (PreferredMfaSetting, UserMFASettingList, as GetUser) and
/// ConfiguredUserAuthFactors — the USER_AUTH first factors this user can use now (PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN).
/// </summary>
[CognitoAction("GetUserAuthFactors")]
internal static class GetUserAuthFactors
{
    internal sealed record Request(string AccessToken);
    internal sealed record Response(string Username, string? PreferredMfaSetting, List<string>? UserMFASettingList, List<string> ConfiguredUserAuthFactors);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        return await DescribeAsync(ctx, token.Pool, token.User);
    }

    /// <summary>The response for <paramref name="user"/>.</summary>
    internal static async ValueTask<Response> DescribeAsync(ActionContext ctx, UserPool pool, User user)
    {
        var (settings, preferred) = await ctx.Get<MfaService>().DescribeAsync(pool, user, ctx.Aborted);
        var factors = await ctx.Get<FirstFactor>().AvailableAsync(pool, user, ctx.Aborted);
        factors.Remove(ChallengeNames.PasswordSrp);
        return new Response(user.Username, preferred, settings, factors);
    }
}
