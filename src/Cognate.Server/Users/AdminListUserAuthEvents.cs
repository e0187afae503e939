using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminListUserAuthEvents: the password sign-in history Cognate records (newest first), MaxResults (0..60) per page.</summary>
[CognitoAction("AdminListUserAuthEvents")]
internal static class AdminListUserAuthEvents
{
    internal sealed record Request(string UserPoolId, string Username, int? MaxResults, string? NextToken);
    internal sealed record ChallengeResponseType(string ChallengeName, string ChallengeResponse);
    internal sealed record AuthEventType(string EventId, string EventType, DateTimeOffset CreationDate, string EventResponse, List<ChallengeResponseType> ChallengeResponses);
    internal sealed record Response(List<AuthEventType> AuthEvents, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var page = await ctx.Get<LockoutService>().ListEventsAsync(pool, user, r.MaxResults, r.NextToken, ctx.Aborted);
        return new Response(
            [.. page.Items.Select(e => new AuthEventType(e.EventId, e.EventType, e.CreatedAt, e.EventResponse,
                e.ChallengeName is null || e.ChallengeResponse is null ? [] : [new ChallengeResponseType(e.ChallengeName, e.ChallengeResponse)]))],
            page.NextToken);
    }
}
