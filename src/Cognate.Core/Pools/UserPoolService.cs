using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Ids;
using Cognate.Core.Stores;

namespace Cognate.Core.Pools;

/// <summary>
/// User-pool management: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool and
/// DeleteUserPool semantics (defaults, schema, immutability, deletion protection).
/// </summary>
public sealed partial class UserPoolService(IUserPoolStore pools, TimeProvider time)
{
    /// <summary>Largest ListUserPools page.</summary>
    public const int MaxPageSize = 60;

    [GeneratedRegex(@"^[\w-]+_[0-9a-zA-Z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PoolIdPattern();

    /// <summary>True when <paramref name="userPoolId"/> has the shape of a pool id (<c>{region}_{alnum}</c>).</summary>
    public static bool IsWellFormedId(string userPoolId) => userPoolId.Length <= 55 && PoolIdPattern().IsMatch(userPoolId);

    /// <summary>The pool, or <c>ResourceNotFoundException</c> "User pool {id} does not exist." (DescribeUserPool).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<UserPool> GetAsync(string userPoolId, CancellationToken ct = default)
    {
        if (!IsWellFormedId(userPoolId)) throw CognitoErrors.UserPoolNotFound(userPoolId);
        return await pools.GetAsync(userPoolId, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserPoolNotFound(userPoolId);
    }

    /// <summary>Number of users in the pool (DescribeUserPool <c>EstimatedNumberOfUsers</c>).</summary>
    public ValueTask<long> EstimatedNumberOfUsersAsync(string userPoolId, CancellationToken ct = default) => pools.CountUsersAsync(userPoolId, ct);

    /// <summary>
    /// CreateUserPool: a new pool <c>{region}_{9 alnum}</c> whose stored configuration is
    /// <paramref name="request"/> with Cognito's defaults filled (password policy 8 / all classes / 7 days,
    /// verification and invitation templates, COGNITO_DEFAULT email, MFA OFF, tier ESSENTIALS,
    /// deletion protection INACTIVE) and the standard schema with <paramref name="schema"/> merged in.
    /// <paramref name="request"/>.SchemaAttributes is ignored.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException when UsernameAttributes and
    /// AliasAttributes are both set, or for an invalid schema, policy or message.</exception>
    public async ValueTask<UserPool> CreateAsync(string region, UserPoolConfig request, IReadOnlyList<SchemaAttributeType>? schema, string? fixedId = null, CancellationToken ct = default)
    {
        if (request.UsernameAttributes is { Count: > 0 } && request.AliasAttributes is { Count: > 0 })
        {
            throw CognitoErrors.InvalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
        }
        ValidateTags(request.UserPoolTags);
        var config = UserPoolDefaults.ApplyUpdatable(request) with
        {
            UserPoolTier = request.UserPoolTier ?? "ESSENTIALS",
            UsernameAttributes = request.UsernameAttributes is { Count: > 0 } u ? [.. u.Distinct(StringComparer.Ordinal)] : null,
            AliasAttributes = request.AliasAttributes is { Count: > 0 } a ? [.. a.Distinct(StringComparer.Ordinal)] : null,
            SchemaAttributes = StandardSchema.Merge(schema),
        };
        var now = time.GetUtcNow();
        for (int attempt = 0; ; attempt++)
        {
            var pool = new UserPool { Id = fixedId ?? IdGenerator.NewUserPoolId(region), Region = region, CreatedAt = now, ModifiedAt = now, Config = config, Version = 0 };
            if (await pools.CreateAsync(pool, ct).ConfigureAwait(false)) return pool;
            if (fixedId is not null) throw CognitoErrors.InvalidParameter($"User pool {fixedId} already exists.");
            if (attempt >= 3) throw CognitoErrors.InternalError();
        }
    }

    /// <summary>
    /// ListUserPools: pools ordered by id, at most <paramref name="maxResults"/> (1..60), continuing
    /// after the opaque <paramref name="nextToken"/>.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException for a bad MaxResults or NextToken.</exception>
    public async ValueTask<ResultPage<UserPool>> ListAsync(int maxResults, string? nextToken, CancellationToken ct = default)
    {
        if (maxResults is < 1 or > MaxPageSize)
        {
            throw CognitoErrors.Validation($"Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value {(maxResults < 1 ? "greater than or equal to 1" : "less than or equal to 60")}");
        }
        var after = PageToken.Decode(nextToken, IsWellFormedId);
        var items = await pools.ListAsync(after, maxResults + 1, ct).ConfigureAwait(false);
        if (items.Count <= maxResults) return new ResultPage<UserPool>(items, null);
        var page = items.Take(maxResults).ToList();
        return new ResultPage<UserPool>(page, PageToken.Encode(page[^1].Id));
    }

    /// <summary>
    /// UpdateUserPool: full replacement of the updatable members — every member omitted from
    /// <paramref name="request"/> returns to its default — while UsernameAttributes, AliasAttributes,
    /// the schema and UsernameConfiguration are kept. An omitted PoolName, UserPoolTier or
    /// UserPoolTags keeps the current value. Optimistic concurrency: one retry on a version conflict.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException,
    /// ConcurrentModificationException.</exception>
    public async ValueTask<UserPool> UpdateAsync(string userPoolId, UserPoolConfig request, CancellationToken ct = default)
    {
        ValidateTags(request.UserPoolTags);
        var updatable = UserPoolDefaults.ApplyUpdatable(request);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var current = await GetAsync(userPoolId, ct).ConfigureAwait(false);
            var old = current.Config;
            var config = updatable with
            {
                PoolName = request.PoolName ?? old.PoolName,
                UserPoolTier = request.UserPoolTier ?? old.UserPoolTier,
                UserPoolTags = request.UserPoolTags ?? old.UserPoolTags,
                UsernameAttributes = old.UsernameAttributes,
                AliasAttributes = old.AliasAttributes,
                SchemaAttributes = old.SchemaAttributes,
                UsernameConfiguration = old.UsernameConfiguration,
                SoftwareTokenMfaConfiguration = old.SoftwareTokenMfaConfiguration,
                EmailMfaConfiguration = old.EmailMfaConfiguration,
                SmsMfaConfiguration = old.SmsMfaConfiguration,
                WebAuthnConfiguration = old.WebAuthnConfiguration,
            };
            var updated = current with { Config = config, ModifiedAt = time.GetUtcNow() };
            if (await pools.UpdateAsync(updated, ct).ConfigureAwait(false))
            {
                return updated with { Version = current.Version + 1 };
            }
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>
    /// AddCustomAttributes: appends custom attributes to the pool's schema (names without prefix, at most 20 characters;
    /// never required; at most 50 custom attributes; existing ones cannot be changed). Optimistic concurrency: one retry.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, ConcurrentModificationException.</exception>
    public async ValueTask AddCustomAttributesAsync(string userPoolId, IReadOnlyList<SchemaAttributeType> attributes, CancellationToken ct = default)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var current = await GetAsync(userPoolId, ct).ConfigureAwait(false);
            var schema = StandardSchema.AddCustom(current.Config.SchemaAttributes ?? StandardSchema.Merge(null), attributes);
            var updated = current with { Config = current.Config with { SchemaAttributes = schema }, ModifiedAt = time.GetUtcNow() };
            if (await pools.UpdateAsync(updated, ct).ConfigureAwait(false)) return;
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>DeleteUserPool: deletes the pool with everything in it.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException; InvalidParameterException while deletion protection is ACTIVE;
    /// OperationNotEnabledException when named by a replica's id.</exception>
    public async ValueTask DeleteAsync(string userPoolId, CancellationToken ct = default)
    {
        var pool = await GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (pool.ReplicaId is not null)
        {
            throw CognitoErrors.OperationNotEnabled($"DeleteUserPool must be called with the primary user pool id {pool.Id}, not a replica's.");
        }
        if (pool.Config.DeletionProtection == "ACTIVE")
        {
            throw CognitoErrors.InvalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.");
        }
        if (!await pools.DeleteAsync(userPoolId, ct).ConfigureAwait(false)) throw CognitoErrors.UserPoolNotFound(userPoolId);
    }

    internal TimeProvider Time => time;

    IUserPoolStore Store => pools;
}
