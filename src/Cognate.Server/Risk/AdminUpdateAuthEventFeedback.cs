using Cognate.Core.Risk;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Risk;

/// <summary>
/// AdminUpdateAuthEventFeedback: an administrator marks one of a user's auth events Valid or Invalid (shown by
/// AdminListUserAuthEvents as EventFeedback with Provider <c>Admin</c>). Errors: ResourceNotFoundException (pool, or "Auth event not
/// found."), UserNotFoundException, UserPoolAddOnNotEnabledException.
/// </summary>
[CognitoAction("AdminUpdateAuthEventFeedback")]
internal static class AdminUpdateAuthEventFeedback
{
    internal sealed record Request(string UserPoolId, string Username, string EventId, string FeedbackValue);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        RiskService.RequireEnabled(pool);
        var user = await ctx.Get<Core.Users.UserService>().GetAsync(pool, r.Username, ctx.Aborted);
        await ctx.Get<RiskService>().UpdateFeedbackAsync(pool, user.Username, r.EventId, null, r.FeedbackValue, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
