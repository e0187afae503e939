using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// AdminRevokeUserSession: revokes one of a user's sessions (its refresh tokens, and the access and ID tokens minted from them).
/// The SessionId must be a session of <c>Username</c> (ResourceNotFoundException otherwise). RevokeAssociatedSessions NONE or
/// LINKED (Cognate's token sessions have no linked SSO session). Errors: UserNotFoundException, OperationNotEnabledException
/// (tracking DISABLED).
/// </summary>
[CognitoAction("AdminRevokeUserSession")]
internal static class AdminRevokeUserSession
{
    internal sealed record Request(string UserPoolId, string Username, string SessionId, string? RevokeAssociatedSessions);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        if (r.RevokeAssociatedSessions is not (null or "NONE" or "LINKED")) throw CognitoErrors.InvalidParameter("RevokeAssociatedSessions must be NONE or LINKED.");
        await ctx.Get<SessionService>().RevokeAsync(pool, user.Username, r.SessionId, null, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
