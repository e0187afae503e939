using Cognate.Core.Errors;
using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// ListUserSessions: the signed-in user's active token sessions (one per sign-in whose refresh token is neither revoked nor
/// expired), most recently active first; IsCurrentSession marks the one the access token belongs to. One page (a user has at
/// most 100): no NextToken, and one given is InvalidParameterException. Errors: NotAuthorizedException (token),
/// OperationNotEnabledException (session tracking DISABLED).
/// </summary>
[CognitoAction("ListUserSessions")]
internal static class ListUserSessions
{
    internal sealed record Request(string AccessToken, string? NextToken);
    internal sealed record Response(List<SessionDescriptionType> Sessions);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        if (r.NextToken is not null) throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        var sessions = await ctx.Get<SessionService>().ListAsync(token.Pool, token.User.Username, token.OriginJti, ctx.Aborted);
        return new Response(sessions.Select(SessionDescriptionType.From).ToList());
    }
}
