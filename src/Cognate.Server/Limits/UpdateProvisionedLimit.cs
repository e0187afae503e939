using Cognate.Server.Protocol;
using Cognate.Server.RateLimiting;

namespace Cognate.Server.Limits;

/// <summary>
/// UpdateProvisionedLimit: sets the request rate of one quota category for every user pool of the server, stored in the
/// database and in force without a restart (<see cref="ProvisionedLimits"/>); RequestedLimitValue in requests per second, from
/// Cognito's free rate of the category up to <c>Cognate:RateLimits:MaxProvisionedRequestsPerSecond</c>. Errors:
/// InvalidParameterException (bad definition, below the free rate), ResourceNotFoundException (unknown category),
/// ServiceQuotaExceededException (above the maximum).
/// </summary>
[CognitoAction("UpdateProvisionedLimit")]
internal static class UpdateProvisionedLimit
{
    internal sealed record Request(LimitDefinitionType LimitDefinition, int RequestedLimitValue);
    internal sealed record Response(LimitType Limit);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (category, free, enforced) = await ctx.Get<ProvisionedLimits>().UpdateAsync(r.LimitDefinition.Attributes, r.RequestedLimitValue, ctx.Aborted);
        return new Response(LimitType.From(category, free, enforced));
    }
}
