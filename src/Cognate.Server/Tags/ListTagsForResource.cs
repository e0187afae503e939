using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Tags;

/// <summary>
/// ListTagsForResource: <c>{"Tags": {key: value}}</c> of a user pool named by its ARN — the same set as DescribeUserPool's
/// <c>UserPoolTags</c> (an empty map when the pool has none). Errors: ResourceNotFoundException (unknown pool or ARN).
/// </summary>
[CognitoAction("ListTagsForResource")]
internal static class ListTagsForResource
{
    internal sealed record Request(string ResourceArn);
    internal sealed record Response(IReadOnlyDictionary<string, string> Tags);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var poolId = TagArn.PoolId(ctx, r.ResourceArn);
        var tags = await ctx.Get<UserPoolService>().ListTagsAsync(poolId, ctx.Aborted).ConfigureAwait(false);
        return new Response(tags);
    }
}
