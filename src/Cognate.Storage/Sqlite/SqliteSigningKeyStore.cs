using Cognate.Core.Stores;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// <see cref="ISigningKeyStore"/> over SQLite. <see cref="SigningKeyRecord.EncryptedPrivateKey"/> arrives
/// sealed by the caller and is stored as given in <c>private_sealed</c>. Keys go with their pool.
/// </summary>
public sealed class SqliteSigningKeyStore : ISigningKeyStore
{
    private readonly SqliteDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqliteSigningKeyStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SigningKeyRecord>> ListAsync(string userPoolId, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            """
            SELECT user_pool_id AS UserPoolId, kid AS Kid, use AS Use, private_sealed AS PrivateSealed,
                   created_at AS CreatedAt, active AS Active, activates_at AS ActivatesAt
            FROM signing_keys WHERE user_pool_id = @userPoolId ORDER BY created_at, rowid
            """,
            new { userPoolId },
            cancellationToken: ct));
        return rows.Select(r => new SigningKeyRecord(r.UserPoolId, r.Kid, r.Use, r.PrivateSealed, UnixTime.FromMs(r.CreatedAt), r.Active != 0)
        {
            ActivatesAt = UnixTime.FromMs(r.ActivatesAt),
        }).ToList();
    }

    /// <inheritdoc />
    /// <exception cref="SqliteException">The pool does not exist (foreign key).</exception>
    public async ValueTask<bool> AddAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _db.OpenWriteAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO signing_keys (kid, user_pool_id, use, private_sealed, created_at, active, activates_at)
                VALUES (@Kid, @UserPoolId, @Use, @EncryptedPrivateKey, @CreatedAt, @Active, @ActivatesAt)
                """,
                new
                {
                    key.Kid,
                    key.UserPoolId,
                    key.Use,
                    key.EncryptedPrivateKey,
                    CreatedAt = UnixTime.ToMs(key.CreatedAt),
                    Active = key.Active ? 1L : 0L,
                    ActivatesAt = UnixTime.ToMs(key.ActivatesAt ?? key.CreatedAt),
                },
                cancellationToken: ct));
            return true;
        }
        catch (SqliteException e) when (SqliteErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>Count and inserts run in one <c>BEGIN IMMEDIATE</c> transaction, which excludes every other writer.</remarks>
    public async ValueTask<bool> AddInitialAsync(IReadOnlyList<SigningKeyRecord> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Any(k => k.UserPoolId != keys[0].UserPoolId))
        {
            throw new ArgumentException("Initial keys must be non-empty and of one pool.", nameof(keys));
        }

        await using var connection = await _db.OpenWriteAsync(ct);
        await using var tx = SqliteDatabase.BeginWrite(connection);
        var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM signing_keys WHERE user_pool_id = @UserPoolId", new { keys[0].UserPoolId }, tx, cancellationToken: ct));
        if (existing > 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return false;
        }

        foreach (var key in keys)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO signing_keys (kid, user_pool_id, use, private_sealed, created_at, active)
                VALUES (@Kid, @UserPoolId, @Use, @EncryptedPrivateKey, @CreatedAt, @Active)
                """,
                new { key.Kid, key.UserPoolId, key.Use, key.EncryptedPrivateKey, CreatedAt = UnixTime.ToMs(key.CreatedAt), Active = key.Active ? 1L : 0L },
                tx,
                cancellationToken: ct));
        }

        await tx.CommitAsync(ct);
        return true;
    }

    private sealed class KeyRow
    {
        public string UserPoolId { get; set; } = "";
        public string Kid { get; set; } = "";
        public string Use { get; set; } = "";
        public byte[] PrivateSealed { get; set; } = [];
        public long CreatedAt { get; set; }
        public long Active { get; set; }
        public long ActivatesAt { get; set; }
    }
}
