using System.Data.Common;
using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ISigningKeyStore"/> over SQLite or PostgreSQL. <see cref="SigningKeyRecord.EncryptedPrivateKey"/> arrives
/// sealed by the caller and is stored as given in <c>private_sealed</c>. Keys go with their pool.
/// <see cref="SigningKeyRecord.ActivatesAt"/> (when the key starts signing) is stored in <c>activates_at</c>, its creation
/// time when not given.
/// </summary>
internal sealed class SqlSigningKeyStore : ISigningKeyStore
{
    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlSigningKeyStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"""
            SELECT user_pool_id AS UserPoolId, kid AS Kid, use AS Use, private_sealed AS PrivateSealed,
                   created_at AS CreatedAt, active AS Active, activates_at AS ActivatesAt
            FROM signing_keys WHERE user_pool_id = @userPoolId ORDER BY created_at, {_db.Dialect.InsertionOrder}
            """,
            new { userPoolId },
            cancellationToken: ct));
        return rows.Select(r => new SigningKeyRecord(r.UserPoolId, r.Kid, r.Use, r.PrivateSealed, UnixTime.FromMs(r.CreatedAt), r.Active)
        {
            ActivatesAt = UnixTime.FromMs(r.ActivatesAt),
        }).ToList();
    }

    /// <inheritdoc />
    /// <exception cref="DbException">The pool does not exist (foreign key).</exception>
    public async ValueTask<bool> AddAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, InsertParameters(key), cancellationToken: ct));
            return true;
        }
        catch (DbException e) when (_db.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One write transaction that excludes concurrent callers on any node (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: it
    /// first locks the pool's row, <see cref="ISqlDialect.LockPoolRowSql"/>), so they queue; the second finds the first
    /// one's keys and adds nothing.
    /// </remarks>
    public async ValueTask<bool> AddInitialAsync(IReadOnlyList<SigningKeyRecord> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Any(k => k.UserPoolId != keys[0].UserPoolId))
        {
            throw new ArgumentException("Initial keys must be non-empty and of one pool.", nameof(keys));
        }

        await using var connection = await _db.OpenWriteConnectionAsync(ct);
        await using var tx = await _db.BeginWriteTransactionAsync(connection, ct);
        var pool = new { keys[0].UserPoolId };
        if (_db.Dialect.LockPoolRowSql is { } lockPool)
        {
            await connection.ExecuteAsync(new CommandDefinition(lockPool, pool, tx, cancellationToken: ct));
        }

        var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM signing_keys WHERE user_pool_id = @UserPoolId", pool, tx, cancellationToken: ct));
        if (existing > 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return false;
        }

        foreach (var key in keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, InsertParameters(key), tx, cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return true;
    }

    private const string InsertSql =
        """
        INSERT INTO signing_keys (kid, user_pool_id, use, private_sealed, created_at, active, activates_at)
        VALUES (@Kid, @UserPoolId, @Use, @EncryptedPrivateKey, @CreatedAt, @Active, @ActivatesAt)
        """;

    private static object InsertParameters(SigningKeyRecord key) => new
    {
        key.Kid,
        key.UserPoolId,
        key.Use,
        key.EncryptedPrivateKey,
        CreatedAt = UnixTime.ToMs(key.CreatedAt),
        Active = key.Active,
        ActivatesAt = UnixTime.ToMs(key.ActivatesAt ?? key.CreatedAt),
    };

    private sealed class KeyRow
    {
        public string UserPoolId { get; set; } = "";
        public string Kid { get; set; } = "";
        public string Use { get; set; } = "";
        public byte[] PrivateSealed { get; set; } = [];
        public long CreatedAt { get; set; }
        public bool Active { get; set; }
        public long ActivatesAt { get; set; }
    }
}
