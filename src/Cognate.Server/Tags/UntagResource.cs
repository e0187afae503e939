using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Tags;

/// <summary>
/// UntagResource: removes the named tag keys from a user pool named by its ARN; keys the pool does not carry are ignored,
/// as in Cognito. Errors: ResourceNotFoundException (unknown pool or ARN), InvalidParameterException.
/// </summary>
[CognitoAction("UntagResource")]
internal static class UntagResource
{
    internal sealed record Request(string ResourceArn, List<string> TagKeys);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var poolId = TagArn.PoolId(ctx, r.ResourceArn);
        await ctx.Get<UserPoolService>().UntagAsync(poolId, r.TagKeys ?? [], ctx.Aborted).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
