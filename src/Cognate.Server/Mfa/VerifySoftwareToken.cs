using Cognate.Core.Auth;
using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>
/// VerifySoftwareToken: checks a TOTP code against the secret from AssociateSoftwareToken and enables SOFTWARE_TOKEN_MFA
/// (<c>Status</c> SUCCESS). With a <c>Session</c> (MFA_SETUP) it returns the <c>Session</c> that completes the challenge.
/// Wrong code: EnableSoftwareTokenMFAException.
/// </summary>
[CognitoAction("VerifySoftwareToken")]
internal static class VerifySoftwareToken
{
    internal sealed record Request(string? AccessToken, string? Session, string UserCode, string? FriendlyDeviceName);
    internal sealed record Response(string Status, string? Session);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var mfa = ctx.Get<MfaService>();
        if (!string.IsNullOrEmpty(r.AccessToken))
        {
            var token = await Callers.TokenAsync(ctx, r.AccessToken);
            await mfa.VerifyAsync(token.Pool, token.User, r.UserCode, r.FriendlyDeviceName, ctx.Aborted);
            return new Response("SUCCESS", null);
        }
        if (string.IsNullOrEmpty(r.Session)) throw CognitoErrors.InvalidParameter("Either AccessToken or Session must be provided.");
        var (_, session) = await ctx.Get<SignInFlows>().WithSetupSessionAsync(r.Session, async (record, state) =>
        {
            var pool = await ctx.Get<UserPoolService>().GetAsync(record.UserPoolId, ctx.Aborted);
            var user = await ctx.Get<UserService>().GetAsync(pool, record.Username, ctx.Aborted);
            await mfa.VerifyAsync(pool, user, r.UserCode, r.FriendlyDeviceName, ctx.Aborted);
            await mfa.UpdateAsync(pool, user, m => m.Preferred ??= MfaFactor.SoftwareToken, ctx.Aborted);
            state.TotpVerified = true;
            return true;
        }, ctx.Aborted);
        return new Response("SUCCESS", session);
    }
}
