using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// AdminRevokeUserSession: revokes one of a user's sessions (its refresh tokens, and the access and ID tokens minted from them).
/// The SessionId must be an active session of <c>Username</c> (ResourceNotFoundException otherwise): a token session (<c>tkn…</c>)
/// or an SSO session (<c>sso…</c>: its browser must sign in again). RevokeAssociatedSessions NONE (default) or LINKED (a token
/// session's parent SSO session too; an SSO session's token sessions too). Errors: UserNotFoundException,
/// OperationNotEnabledException (tracking DISABLED).
/// </summary>
[CognitoAction("AdminRevokeUserSession")]
internal static class AdminRevokeUserSession
{
    internal sealed record Request(string UserPoolId, string Username, string SessionId, string? RevokeAssociatedSessions);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        if (r.RevokeAssociatedSessions is not (null or "NONE" or "LINKED")) throw CognitoErrors.InvalidParameter("RevokeAssociatedSessions must be NONE or LINKED.");
        await ctx.Get<SessionService>().RevokeAsync(pool, user.Username, r.SessionId, null, r.RevokeAssociatedSessions == "LINKED", ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
