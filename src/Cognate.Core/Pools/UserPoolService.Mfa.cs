using Cognate.Core.Errors;

namespace Cognate.Core.Pools;

public sealed partial class UserPoolService
{
    /// <summary>
    /// Applies <paramref name="change"/> to the pool's stored configuration with optimistic concurrency (one retry),
    /// e.g. for SetUserPoolMfaConfig. <paramref name="change"/> may throw a Cognito error to abort.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, ConcurrentModificationException, or what <paramref name="change"/> throws.</exception>
    public async ValueTask<UserPool> UpdateConfigAsync(string userPoolId, Func<UserPoolConfig, UserPoolConfig> change, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var current = await GetAsync(userPoolId, ct).ConfigureAwait(false);
            var updated = current with { Config = change(current.Config), ModifiedAt = Time.GetUtcNow() };
            if (await Store.UpdateAsync(updated, ct).ConfigureAwait(false))
            {
                return updated with { Version = current.Version + 1 };
            }
        }
        throw CognitoErrors.ConcurrentModification();
    }
}
