using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// RevokeUserSession: revokes one of the signed-in user's own sessions: its refresh tokens answer NotAuthorizedException from
/// then on, and the access and ID tokens minted from them are refused. Only the caller's sessions are found (another user's
/// SessionId is ResourceNotFoundException); the caller's current session is InvalidParameterException. An SSO session (<c>sso…</c>)
/// revoked signs its browser out of the managed-login pages. RevokeAssociatedSessions NONE (default: that session only) or
/// LINKED (a token session's parent SSO session too; an SSO session's token sessions too). Errors:
/// NotAuthorizedException (token), OperationNotEnabledException (tracking DISABLED).
/// </summary>
[CognitoAction("RevokeUserSession")]
internal static class RevokeUserSession
{
    internal sealed record Request(string AccessToken, string SessionId, string? RevokeAssociatedSessions);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        if (r.RevokeAssociatedSessions is not (null or "NONE" or "LINKED")) throw CognitoErrors.InvalidParameter("RevokeAssociatedSessions must be NONE or LINKED.");
        await ctx.Get<SessionService>().RevokeAsync(token.Pool, token.User.Username, r.SessionId, token.OriginJti, r.RevokeAssociatedSessions == "LINKED", ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
