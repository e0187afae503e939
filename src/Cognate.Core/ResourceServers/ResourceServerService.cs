using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.ResourceServers;

/// <summary>
/// CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer, DeleteResourceServer, and the set of
/// custom scopes app clients may be given. Limits (Cognito quotas): 25 resource servers per pool, 100 scopes per server.
/// </summary>
public sealed class ResourceServerService(IResourceServerStore servers, TimeProvider time)
{
    /// <summary>Resource servers per pool (Cognito quota, reference §11.2).</summary>
    public const int MaxPerPool = 25;
    /// <summary>Scopes per resource server.</summary>
    public const int MaxScopes = 100;
    /// <summary>Largest ListResourceServers page (ListResourceServersLimitType max) and the default.</summary>
    public const int MaxPageSize = 50;

    static CognitoException NotFound(string identifier, string poolId) =>
        CognitoErrors.ResourceNotFound($"Resource server {identifier} does not exist in user pool {poolId}.");

    static IReadOnlyList<ResourceServerScope> CheckScopes(IReadOnlyList<ResourceServerScope>? scopes)
    {
        var list = scopes ?? [];
        if (list.Count > MaxScopes) throw CognitoErrors.LimitExceeded($"A resource server can have at most {MaxScopes} scopes.");
        var dup = list.GroupBy(s => s.ScopeName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw CognitoErrors.InvalidParameter($"Duplicate scope name: {dup.Key}");
        return [.. list];
    }

    /// <summary>CreateResourceServer.</summary>
    /// <exception cref="CognitoException">InvalidParameterException (identifier exists, duplicate scopes), LimitExceededException (25 per pool).</exception>
    public async ValueTask<ResourceServer> CreateAsync(UserPool pool, string identifier, string name, IReadOnlyList<ResourceServerScope>? scopes, CancellationToken ct = default)
    {
        var checkedScopes = CheckScopes(scopes);
        if (await servers.CountAsync(pool.Id, ct).ConfigureAwait(false) >= MaxPerPool)
        {
            throw CognitoErrors.LimitExceeded($"You have exceeded the limit of {MaxPerPool} resource servers for this user pool.");
        }
        var now = time.GetUtcNow();
        var server = new ResourceServer { UserPoolId = pool.Id, Identifier = identifier, Name = name, Scopes = checkedScopes, CreatedAt = now, ModifiedAt = now };
        if (!await servers.CreateAsync(server, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.InvalidParameter($"{identifier} already exists in user pool {pool.Id}.");
        }
        return server;
    }

    /// <summary>DescribeResourceServer.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<ResourceServer> GetAsync(UserPool pool, string identifier, CancellationToken ct = default) =>
        await servers.GetAsync(pool.Id, identifier, ct).ConfigureAwait(false) ?? throw NotFound(identifier, pool.Id);

    /// <summary>UpdateResourceServer: full replacement of Name and Scopes (omitted Scopes: none).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException, LimitExceededException.</exception>
    public async ValueTask<ResourceServer> UpdateAsync(UserPool pool, string identifier, string name, IReadOnlyList<ResourceServerScope>? scopes, CancellationToken ct = default)
    {
        var checkedScopes = CheckScopes(scopes);
        var current = await GetAsync(pool, identifier, ct).ConfigureAwait(false);
        var updated = current with { Name = name, Scopes = checkedScopes, ModifiedAt = time.GetUtcNow() };
        if (!await servers.UpdateAsync(updated, ct).ConfigureAwait(false)) throw NotFound(identifier, pool.Id);
        return updated;
    }

    /// <summary>
    /// DeleteResourceServer. App clients that list its scopes keep them in their configuration, but the scopes no longer exist:
    /// the OAuth endpoints grant only scopes that exist, and the next UpdateUserPoolClient must drop them.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask DeleteAsync(UserPool pool, string identifier, CancellationToken ct = default)
    {
        if (!await servers.DeleteAsync(pool.Id, identifier, ct).ConfigureAwait(false)) throw NotFound(identifier, pool.Id);
    }

    /// <summary>ListResourceServers: by identifier, <paramref name="maxResults"/> (1..50, default 50) per page.</summary>
    /// <exception cref="CognitoException">InvalidParameterException for a malformed token.</exception>
    public async ValueTask<ResultPage<ResourceServer>> ListAsync(UserPool pool, int? maxResults, string? nextToken, CancellationToken ct = default)
    {
        int size = maxResults ?? MaxPageSize;
        var after = PageToken.Decode(nextToken, id => id.Length is > 0 and <= 256);
        var items = await servers.ListAsync(pool.Id, after, size + 1, ct).ConfigureAwait(false);
        if (items.Count <= size) return new ResultPage<ResourceServer>(items, null);
        var page = items.Take(size).ToList();
        return new ResultPage<ResourceServer>(page, PageToken.Encode(page[^1].Identifier));
    }

    /// <summary>Every custom scope of the pool, as <c>{identifier}/{scope}</c>.</summary>
    public async ValueTask<IReadOnlySet<string>> CustomScopesAsync(string userPoolId, CancellationToken ct = default)
    {
        var all = await servers.ListAsync(userPoolId, null, MaxPerPool + 1000, ct).ConfigureAwait(false);
        return all.SelectMany(s => s.FullScopeNames).ToHashSet(StringComparer.Ordinal);
    }
}
