using Cognate.Core.Users;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminListUserAuthEvents: the password sign-in history Cognate records (newest first), MaxResults (0..60) per page; with threat
/// protection on, each event carries EventRisk, EventContextData.IpAddress and any EventFeedback (UpdateAuthEventFeedback).</summary>
[CognitoAction("AdminListUserAuthEvents")]
internal static class AdminListUserAuthEvents
{
    internal sealed record Request(string UserPoolId, string Username, int? MaxResults, string? NextToken);
    internal sealed record ChallengeResponseType(string ChallengeName, string ChallengeResponse);
    internal sealed record EventRiskType(string RiskDecision, string? RiskLevel, bool CompromisedCredentialsDetected);
    internal sealed record EventContextDataType(string? IpAddress);
    internal sealed record EventFeedbackType(string FeedbackValue, string Provider, DateTimeOffset FeedbackDate);
    internal sealed record AuthEventType(string EventId, string EventType, DateTimeOffset CreationDate, string EventResponse, EventRiskType? EventRisk,
        List<ChallengeResponseType> ChallengeResponses, EventContextDataType? EventContextData, EventFeedbackType? EventFeedback);
    internal sealed record Response(List<AuthEventType> AuthEvents, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var page = await ctx.Get<LockoutService>().ListEventsAsync(pool, user, r.MaxResults, r.NextToken, ctx.Aborted);
        return new Response(
            [.. page.Items.Select(e => new AuthEventType(e.EventId, e.EventType, e.CreatedAt, e.EventResponse,
                e.Risk is { } risk ? new EventRiskType(risk.RiskDecision, risk.RiskLevel, risk.CompromisedCredentialsDetected) : null,
                e.ChallengeName is null || e.ChallengeResponse is null ? [] : [new ChallengeResponseType(e.ChallengeName, e.ChallengeResponse)],
                e.IpAddress is null ? null : new EventContextDataType(e.IpAddress),
                e.Feedback is { } f ? new EventFeedbackType(f.FeedbackValue, f.Provider, f.FeedbackDate) : null))],
            page.NextToken);
    }
}
