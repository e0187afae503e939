using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Pools;

/// <summary>DescribeUserPool: the pool's <c>UserPoolType</c>; unknown or malformed ids give ResourceNotFoundException.</summary>
[CognitoAction("DescribeUserPool")]
internal static class DescribeUserPool
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
    }

    internal sealed record Response(UserPoolType UserPool);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        var pool = await ctx.Get<UserPoolService>().GetAsync(request.UserPoolId, ctx.Aborted).ConfigureAwait(false);
        return new Response(await UserPoolOutput.BuildAsync(ctx, pool).ConfigureAwait(false));
    }
}
