using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Challenges;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Mfa;

/// <summary>
/// AssociateSoftwareToken: a new TOTP secret (base32 <c>SecretCode</c>) for the user of an access token, or — during
/// MFA_SETUP — of a sign-in <c>Session</c> (then a new <c>Session</c> is returned for VerifySoftwareToken).
/// </summary>
[CognitoAction("AssociateSoftwareToken")]
internal static class AssociateSoftwareToken
{
    internal sealed record Request(string? AccessToken, string? Session);
    internal sealed record Response(string SecretCode, string? Session);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var mfa = ctx.Get<MfaService>();
        if (!string.IsNullOrEmpty(r.AccessToken))
        {
            var token = await Callers.TokenAsync(ctx, r.AccessToken);
            return new Response(await mfa.AssociateAsync(token.Pool, token.User, ctx.Aborted), null);
        }
        if (string.IsNullOrEmpty(r.Session)) throw CognitoErrors.InvalidParameter("Either AccessToken or Session must be provided.");
        var answer = await ctx.Get<MfaSetup>().AssociateAsync(r.Session, ctx.Aborted);
        if (answer.Error is { } error) throw error.ToException();
        return new Response(answer.SecretCode!, answer.Session);
    }
}
