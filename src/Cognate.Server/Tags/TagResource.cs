using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Tags;

/// <summary>
/// TagResource: adds tags to a user pool named by its ARN, replacing the values of keys it already carries. The tags are
/// the pool's <c>UserPoolTags</c> (CreateUserPool, UpdateUserPool, DescribeUserPool show the same set). At most 50 tags per
/// pool, keys 1-128 and values 0-256 characters. Errors: ResourceNotFoundException (unknown pool or an ARN of no user pool
/// of this account), InvalidParameterException (limits).
/// </summary>
[CognitoAction("TagResource")]
internal static class TagResource
{
    internal sealed record Request(string ResourceArn, Dictionary<string, string> Tags);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        var poolId = TagArn.PoolId(ctx, r.ResourceArn);
        await ctx.Get<UserPoolService>().TagAsync(poolId, r.Tags ?? [], ctx.Aborted).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
