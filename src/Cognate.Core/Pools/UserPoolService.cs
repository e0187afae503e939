using Cognate.Core.Stores;

namespace Cognate.Core.Pools;

/// <summary>
/// User-pool management: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool and
/// DeleteUserPool semantics (defaults, schema, immutability, deletion protection).
/// </summary>
public sealed class UserPoolService(IUserPoolStore pools, TimeProvider time)
{
    /// <summary>The pool, or <c>ResourceNotFoundException</c> "User pool {id} does not exist.".</summary>
    /// <exception cref="Errors.CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<UserPool> GetAsync(string userPoolId, CancellationToken ct = default) =>
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false) ?? throw Errors.CognitoErrors.UserPoolNotFound(userPoolId);

    internal TimeProvider Time => time;
}
