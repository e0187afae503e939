using Cognate.Server.Protocol;
using Cognate.Server.RateLimiting;

namespace Cognate.Server.Limits;

/// <summary>
/// GetProvisionedLimit: the request rate Cognate enforces for one quota category (per user pool) and Cognito's free rate for
/// it (<see cref="ProvisionedLimits"/>). Errors: InvalidParameterException (Attributes other than one Category),
/// ResourceNotFoundException (a category Cognate does not have, e.g. UserFederation).
/// </summary>
[CognitoAction("GetProvisionedLimit")]
internal static class GetProvisionedLimit
{
    internal sealed record Request(LimitDefinitionType LimitDefinition);
    internal sealed record Response(LimitType Limit);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (category, free, enforced) = await ctx.Get<ProvisionedLimits>().GetAsync(r.LimitDefinition.Attributes, ctx.Aborted);
        return new Response(LimitType.From(category, free, enforced));
    }
}
