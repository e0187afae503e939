using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// AdminListUserSessions: a user's active token sessions, newest sign-in first (IsCurrentSession always false), in pages of up to
/// 125 (Cognito's page size; no MaxResults) with an opaque NextToken (<see cref="SessionPageToken"/>). Errors:
/// ResourceNotFoundException, UserNotFoundException, InvalidParameterException "Invalid NextToken.", OperationNotEnabledException
/// (session tracking DISABLED).
/// </summary>
[CognitoAction("AdminListUserSessions")]
internal static class AdminListUserSessions
{
    internal sealed record Request(string UserPoolId, string Username, string? NextToken);
    internal sealed record Response(List<SessionDescriptionType> Sessions, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var page = await ctx.Get<SessionService>().ListPageAsync(pool, user.Username, null, r.NextToken, ct: ctx.Aborted);
        return new Response(page.Items.Select(SessionDescriptionType.From).ToList(), page.NextToken);
    }
}
