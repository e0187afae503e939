using Cognate.Core.Risk;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Risk;

/// <summary>
/// UpdateAuthEventFeedback (public, no credentials): the user marks an auth event Valid or Invalid with the event's FeedbackToken
/// (the one-click links of the threat-protection notification email carry it). The token is compared by its SHA-256 in constant time;
/// an unknown user, an unknown event and a wrong token all answer NotAuthorizedException "Invalid feedback token.".
/// Errors: ResourceNotFoundException (pool), UserPoolAddOnNotEnabledException, NotAuthorizedException.
/// </summary>
[CognitoAction("UpdateAuthEventFeedback")]
internal static class UpdateAuthEventFeedback
{
    internal sealed record Request(string UserPoolId, string Username, string EventId, string FeedbackToken, string FeedbackValue);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        RiskService.RequireEnabled(pool);
        var user = await ctx.Get<Core.Users.UserService>().FindAsync(pool, r.Username, ctx.Aborted);
        await ctx.Get<RiskService>().UpdateFeedbackAsync(pool, user?.Username, r.EventId, r.FeedbackToken, r.FeedbackValue, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
