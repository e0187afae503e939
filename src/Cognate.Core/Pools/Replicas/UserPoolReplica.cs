namespace Cognate.Core.Pools.Replicas;

/// <summary>
/// A secondary Region a pool is also served in (CreateUserPoolReplica). <see cref="ReplicaId"/> is
/// <c>{RegionName}_{the pool id's suffix}</c>; <see cref="Status"/> is <c>ACTIVE</c> or <c>INACTIVE</c>. Times are UTC.
/// </summary>
public sealed record UserPoolReplica(string UserPoolId, string RegionName, string ReplicaId, string Status, DateTimeOffset CreatedAt, DateTimeOffset ModifiedAt);

/// <summary>Storage of <see cref="UserPoolReplica"/> rows, deleted with their pool.</summary>
public interface IUserPoolReplicaStore
{
    /// <summary>
    /// Inserts <paramref name="replica"/> unless the pool already has <paramref name="maxPerPool"/> replicas (checked in the same
    /// transaction). Returns <see cref="ReplicaWriteResult.Duplicate"/> when the pool already has one in that Region (or the
    /// replica id is taken), <see cref="ReplicaWriteResult.LimitReached"/> at the limit, <see cref="ReplicaWriteResult.PoolGone"/>
    /// when the pool no longer exists.
    /// </summary>
    ValueTask<ReplicaWriteResult> CreateAsync(UserPoolReplica replica, int maxPerPool, CancellationToken ct = default);

    /// <summary>The pool's replicas ordered by Region.</summary>
    ValueTask<IReadOnlyList<UserPoolReplica>> ListAsync(string userPoolId, CancellationToken ct = default);

    /// <summary>Sets the status of the pool's replica in <paramref name="regionName"/>; false when there is none.</summary>
    ValueTask<bool> SetStatusAsync(string userPoolId, string regionName, string status, DateTimeOffset modifiedAt, CancellationToken ct = default);

    /// <summary>Deletes the pool's replica in <paramref name="regionName"/> if its status is <paramref name="requiredStatus"/>; false otherwise.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string regionName, string requiredStatus, CancellationToken ct = default);
}

/// <summary>Outcome of <see cref="IUserPoolReplicaStore.CreateAsync"/>.</summary>
public enum ReplicaWriteResult
{
    /// <summary>Inserted.</summary>
    Ok,
    /// <summary>The pool already has a replica in that Region.</summary>
    Duplicate,
    /// <summary>The pool has the most replicas allowed.</summary>
    LimitReached,
    /// <summary>The pool was deleted meanwhile.</summary>
    PoolGone,
}
