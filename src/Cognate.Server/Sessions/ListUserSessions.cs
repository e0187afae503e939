using Cognate.Core.Sessions;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Sessions;

/// <summary>
/// ListUserSessions: the signed-in user's active token sessions (one per sign-in whose refresh token is neither revoked nor
/// expired), newest sign-in first, with client, times, DeviceType and LastIPAddress; IsCurrentSession marks the one the access
/// token belongs to. Pages of up to 125 sessions (Cognito's page size; there is no MaxResults): NextToken is set when more follow
/// and continues the listing (<see cref="SessionPageToken"/>). Errors: NotAuthorizedException (token), InvalidParameterException
/// "Invalid NextToken." (a token not of this user's listing), OperationNotEnabledException (session tracking DISABLED).
/// </summary>
[CognitoAction("ListUserSessions")]
internal static class ListUserSessions
{
    internal sealed record Request(string AccessToken, string? NextToken);
    internal sealed record Response(List<SessionDescriptionType> Sessions, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var page = await ctx.Get<SessionService>().ListPageAsync(token.Pool, token.User.Username, token.OriginJti, r.NextToken, ct: ctx.Aborted);
        return new Response(page.Items.Select(SessionDescriptionType.From).ToList(), page.NextToken);
    }
}
