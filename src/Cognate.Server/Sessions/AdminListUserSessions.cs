using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// AdminListUserSessions: a user's active token sessions, most recently active first (IsCurrentSession always false). One page:
/// no NextToken, and one given is InvalidParameterException. Errors: ResourceNotFoundException, UserNotFoundException,
/// OperationNotEnabledException (session tracking DISABLED).
/// </summary>
[CognitoAction("AdminListUserSessions")]
internal static class AdminListUserSessions
{
    internal sealed record Request(string UserPoolId, string Username, string? NextToken);
    internal sealed record Response(List<SessionDescriptionType> Sessions);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        if (r.NextToken is not null) throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        var sessions = await ctx.Get<SessionService>().ListAsync(pool, user.Username, null, ctx.Aborted);
        return new Response(sessions.Select(SessionDescriptionType.From).ToList());
    }
}
