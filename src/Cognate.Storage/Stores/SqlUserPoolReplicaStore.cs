using System.Data.Common;
using Cognate.Core.Pools.Replicas;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserPoolReplicaStore"/> over SQLite or PostgreSQL: <c>user_pool_replicas</c> keyed by the replica id, unique per
/// (pool, Region), deleted with the pool by cascade. Creation counts the pool's replicas and inserts in one write transaction
/// that excludes concurrent creators (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: the pool's row locked first), so the limit
/// holds under concurrent CreateUserPoolReplica calls on any node.
/// </summary>
internal sealed class SqlUserPoolReplicaStore(ISqlDatabase db) : IUserPoolReplicaStore
{
    private const string Columns =
        "user_pool_id AS UserPoolId, region AS RegionName, replica_id AS ReplicaId, status AS Status, created_at AS CreatedAt, modified_at AS ModifiedAt";

    /// <inheritdoc />
    public async ValueTask<ReplicaWriteResult> CreateAsync(UserPoolReplica replica, int maxPerPool, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(replica);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        await using var tx = await db.BeginWriteTransactionAsync(connection, ct);
        var pool = new { replica.UserPoolId };
        if (db.Dialect.LockPoolRowSql is { } lockPool)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockPool, pool, tx, cancellationToken: ct));
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM user_pools WHERE id = @UserPoolId", pool, tx, cancellationToken: ct)) == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return ReplicaWriteResult.PoolGone;
        }
        var existing = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT region FROM user_pool_replicas WHERE user_pool_id = @UserPoolId", pool, tx, cancellationToken: ct));
        var regions = existing.ToList();
        if (regions.Contains(replica.RegionName, StringComparer.Ordinal))
        {
            await tx.RollbackAsync(CancellationToken.None);
            return ReplicaWriteResult.Duplicate;
        }
        if (regions.Count >= maxPerPool)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return ReplicaWriteResult.LimitReached;
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO user_pool_replicas (replica_id, user_pool_id, region, status, created_at, modified_at)
                VALUES (@ReplicaId, @UserPoolId, @RegionName, @Status, @CreatedAt, @ModifiedAt)
                """,
                new
                {
                    replica.ReplicaId,
                    replica.UserPoolId,
                    replica.RegionName,
                    replica.Status,
                    CreatedAt = UnixTime.ToMs(replica.CreatedAt),
                    ModifiedAt = UnixTime.ToMs(replica.ModifiedAt),
                },
                tx, cancellationToken: ct));
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            await tx.RollbackAsync(CancellationToken.None);
            return ReplicaWriteResult.Duplicate;
        }
        await tx.CommitAsync(ct);
        return ReplicaWriteResult.Ok;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserPoolReplica>> ListAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM user_pool_replicas WHERE user_pool_id = @userPoolId ORDER BY region", new { userPoolId }, cancellationToken: ct));
        return rows.Select(r => r.ToReplica()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> SetStatusAsync(string userPoolId, string regionName, string status, DateTimeOffset modifiedAt, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_pool_replicas SET status = @status, modified_at = @modifiedAt WHERE user_pool_id = @userPoolId AND region = @regionName",
            new { userPoolId, regionName, status, modifiedAt = UnixTime.ToMs(modifiedAt) }, cancellationToken: ct)) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string regionName, string requiredStatus, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_pool_replicas WHERE user_pool_id = @userPoolId AND region = @regionName AND status = @requiredStatus",
            new { userPoolId, regionName, requiredStatus }, cancellationToken: ct)) == 1;
    }

    private sealed class Row
    {
        public string UserPoolId { get; set; } = "";
        public string RegionName { get; set; } = "";
        public string ReplicaId { get; set; } = "";
        public string Status { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public UserPoolReplica ToReplica() => new(UserPoolId, RegionName, ReplicaId, Status, UnixTime.FromMs(CreatedAt), UnixTime.FromMs(ModifiedAt));
    }
}
