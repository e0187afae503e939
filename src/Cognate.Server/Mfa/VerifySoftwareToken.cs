using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Challenges;
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
        var answer = await ctx.Get<MfaSetup>().VerifyAsync(r.Session, r.UserCode, r.FriendlyDeviceName, ctx.Aborted);
        if (answer.Error is { } error) throw error.ToException();
        return new Response("SUCCESS", answer.Session);
    }
}
