namespace Cognate.Core.ResourceServers;

/// <summary>A custom scope of a resource server (Cognito <c>ResourceServerScopeType</c>); clients name it <c>{identifier}/{ScopeName}</c>.</summary>
/// <param name="ScopeName">1..256 characters, no <c>/</c>, <c>"</c> or <c>\</c>.</param>
/// <param name="ScopeDescription">1..256 characters.</param>
public sealed record ResourceServerScope(string ScopeName, string ScopeDescription);

/// <summary>An OAuth 2.0 resource server of a pool (Cognito <c>ResourceServerType</c>).</summary>
public sealed record ResourceServer
{
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>Identifier, 1..256 characters (an API name or URL), unique in the pool.</summary>
    public required string Identifier { get; init; }
    /// <summary>Display name, 1..256 characters.</summary>
    public required string Name { get; init; }
    /// <summary>At most 100 scopes.</summary>
    public required IReadOnlyList<ResourceServerScope> Scopes { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>The scope strings clients use: <c>{Identifier}/{ScopeName}</c>.</summary>
    public IEnumerable<string> FullScopeNames => Scopes.Select(s => Identifier + "/" + s.ScopeName);
}

/// <summary>Stored resource servers, keyed by (pool, identifier).</summary>
public interface IResourceServerStore
{
    /// <summary>Inserts; false if the identifier exists in the pool.</summary>
    ValueTask<bool> CreateAsync(ResourceServer server, CancellationToken ct = default);
    /// <summary>The resource server, or null.</summary>
    ValueTask<ResourceServer?> GetAsync(string userPoolId, string identifier, CancellationToken ct = default);
    /// <summary>Resource servers ordered by identifier after <paramref name="afterIdentifier"/> (exclusive), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<ResourceServer>> ListAsync(string userPoolId, string? afterIdentifier, int limit, CancellationToken ct = default);
    /// <summary>Replaces name, scopes and modification time; false if missing.</summary>
    ValueTask<bool> UpdateAsync(ResourceServer server, CancellationToken ct = default);
    /// <summary>Deletes; false if missing.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string identifier, CancellationToken ct = default);
    /// <summary>Number of resource servers in the pool.</summary>
    ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default);
}
