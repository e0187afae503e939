namespace Cognate.Core.Pools;

/// <summary>
/// A user pool: identity (<c>{region}_{9 alphanumerics}</c>), region, timestamps (UTC) and its
/// configuration. <see cref="Version"/> guards concurrent updates (optimistic concurrency).
/// </summary>
public sealed record UserPool
{
    /// <summary>Pool id, e.g. <c>us-east-1_AbCdEfGhI</c>.</summary>
    public required string Id { get; init; }
    /// <summary>AWS region taken from the id prefix.</summary>
    public required string Region { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
    /// <summary>The caller-settable configuration with defaults filled.</summary>
    public required UserPoolConfig Config { get; init; }
    /// <summary>Row version, incremented by every update.</summary>
    public long Version { get; init; }

    /// <summary>
    /// The replica id this pool was reached by (<c>{replica region}_{same suffix}</c>, see <see cref="Replicas.ReplicaService"/>),
    /// or null when it was named by its own id. Never stored: everything the pool holds stays keyed by <see cref="Id"/>.
    /// </summary>
    public string? ReplicaId { get; init; }

    /// <summary>The id the caller named the pool by: <see cref="ReplicaId"/> when reached through a replica, else <see cref="Id"/> (token issuer path).</summary>
    public string ServedId => ReplicaId ?? Id;

    /// <summary>The Region the pool is served in: the replica's Region (its id's prefix) or <see cref="Region"/>.</summary>
    public string ServedRegion => ReplicaId is { } r ? r[..r.IndexOf('_', StringComparison.Ordinal)] : Region;

    /// <summary>The pool "name" used by SRP: the part of the id after the underscore.</summary>
    public string SrpPoolName => Id[(Id.IndexOf('_') + 1)..];

    /// <summary>True when usernames compare case-insensitively (UsernameConfiguration.CaseSensitive = false).</summary>
    public bool CaseInsensitive => Config.UsernameConfiguration?.CaseSensitive == false;

    /// <summary>True when <paramref name="attribute"/> (email / phone_number) is a username attribute.</summary>
    public bool IsUsernameAttribute(string attribute) => Config.UsernameAttributes?.Contains(attribute) == true;

    /// <summary>True when <paramref name="attribute"/> is an alias attribute.</summary>
    public bool IsAliasAttribute(string attribute) => Config.AliasAttributes?.Contains(attribute) == true;

    /// <summary>Normalises a username or alias for lookup: lower-cased in case-insensitive pools.</summary>
    public string NormalizeKey(string value) => CaseInsensitive ? value.ToLowerInvariant() : value;
}
