using System.Data.Common;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Storage.Serialization;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IUserPoolStore"/> over SQLite or PostgreSQL. The config is a JSON column. <see cref="GetAsync"/> also answers an
/// ACTIVE replica's id (<c>user_pool_replicas</c>) with the replica's pool, <see cref="UserPool.ReplicaId"/> set. Deleting a pool cascades to its
/// clients, users, identifiers, codes, refresh tokens, signing keys and sessions, and removes its outbox
/// messages, in one transaction.
/// </summary>
/// <remarks>
/// <see cref="UserPool.Version"/> is init-only, so <see cref="UpdateAsync"/> cannot bump it on the caller's
/// object: after a successful update the stored version is <c>pool.Version + 1</c>.
/// </remarks>
internal sealed class SqlUserPoolStore : IUserPoolStore
{
    private const string Columns =
        "id AS Id, region AS Region, created_at AS CreatedAt, modified_at AS ModifiedAt, version AS Version, config_json AS ConfigJson";

    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlUserPoolStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(UserPool pool, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO user_pools (id, region, name, created_at, modified_at, version, config_json)
                VALUES (@Id, @Region, @Name, @CreatedAt, @ModifiedAt, @Version, @ConfigJson)
                """,
                Parameters(pool),
                cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<UserPool?> GetAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<PoolRow>(new CommandDefinition(
            $"SELECT {Columns} FROM user_pools WHERE id = @userPoolId", new { userPoolId }, cancellationToken: ct));
        if (row is not null) return row.ToPool();
        // Not a pool's own id: maybe an ACTIVE replica's ({region}_{suffix}), answered as its pool with ReplicaId set. Only
        // unknown ids pay for this second lookup.
        row = await connection.QuerySingleOrDefaultAsync<PoolRow>(new CommandDefinition(
            $"""
            SELECT p.id AS Id, p.region AS Region, p.created_at AS CreatedAt, p.modified_at AS ModifiedAt, p.version AS Version, p.config_json AS ConfigJson
            FROM user_pool_replicas r JOIN user_pools p ON p.id = r.user_pool_id
            WHERE r.replica_id = @userPoolId AND r.status = 'ACTIVE'
            """, new { userPoolId }, cancellationToken: ct));
        return row is null ? null : row.ToPool() with { ReplicaId = userPoolId };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserPool>> ListAsync(string? afterId, int limit, CancellationToken ct = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PoolRow>(new CommandDefinition(
            $"SELECT {Columns} FROM user_pools WHERE @afterId IS NULL OR id > @afterId ORDER BY id LIMIT @limit",
            new { afterId, limit },
            cancellationToken: ct));
        return rows.Select(r => r.ToPool()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(UserPool pool, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_pools
            SET region = @Region, name = @Name, modified_at = @ModifiedAt, config_json = @ConfigJson, version = version + 1
            WHERE id = @Id AND version = @Version
            """,
            Parameters(pool),
            cancellationToken: ct));
        return changed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await using var tx = await _db.BeginWriteTransactionAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox WHERE user_pool_id = @userPoolId", new { userPoolId }, tx, cancellationToken: ct));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_pools WHERE id = @userPoolId", new { userPoolId }, tx, cancellationToken: ct));
        if (deleted == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<long> CountUsersAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE user_pool_id = @userPoolId", new { userPoolId }, cancellationToken: ct));
    }

    private static object Parameters(UserPool pool) => new
    {
        pool.Id,
        pool.Region,
        Name = pool.Config.PoolName ?? string.Empty,
        CreatedAt = UnixTime.ToMs(pool.CreatedAt),
        ModifiedAt = UnixTime.ToMs(pool.ModifiedAt),
        pool.Version,
        ConfigJson = StorageJson.Serialize(pool.Config),
    };

    private sealed class PoolRow
    {
        public string Id { get; set; } = "";
        public string Region { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }
        public long Version { get; set; }
        public string ConfigJson { get; set; } = "";

        public UserPool ToPool() => new()
        {
            Id = Id,
            Region = Region,
            CreatedAt = UnixTime.FromMs(CreatedAt),
            ModifiedAt = UnixTime.FromMs(ModifiedAt),
            Version = Version,
            Config = StorageJson.DeserializePoolConfig(ConfigJson),
        };
    }
}
