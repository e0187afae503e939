using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Tags;

/// <summary>
/// Resolves the ResourceArn of TagResource, UntagResource and ListTagsForResource to a user pool id. Only user pools are
/// taggable resources in Cognito user pools; the ARN is the pool's <c>Arn</c> (DescribeUserPool):
/// <c>arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}</c> with this server's account id.
/// </summary>
internal static class TagArn
{
    /// <summary>The pool id the ARN names.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException for an ARN that names no user pool of this account
    /// (the pool itself is looked up by the caller and missing pools give the same error).</exception>
    public static string PoolId(ActionContext ctx, string resourceArn)
    {
        var account = ctx.Get<IOptions<CognateOptions>>().Value.AccountId;
        if (!UserPoolService.TryParseArn(resourceArn, out _, out var arnAccount, out var poolId) || arnAccount != account)
        {
            throw CognitoErrors.ResourceNotFound($"Resource {resourceArn} does not exist.");
        }
        return poolId;
    }
}
