using System.Data.Common;
using Cognate.Core.Federation.Saml;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ISamlSpKeyStore"/> over SQLite or PostgreSQL (<c>saml_sp_keys</c>, migration 0012). The private key arrives sealed
/// by <see cref="SamlSpKeyService"/> and is stored as given; the first writer of (pool, use) wins (primary key), a concurrent
/// creator gets false and reads the winner's key.
/// </summary>
internal sealed class SqlSamlSpKeyStore(ISqlDatabase db) : ISamlSpKeyStore
{
    /// <inheritdoc />
    public async ValueTask<SamlSpKeyRecord?> GetAsync(string userPoolId, string use, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            """
            SELECT user_pool_id AS UserPoolId, use AS Use, certificate AS Certificate, private_sealed AS PrivateSealed, created_at AS CreatedAt
            FROM saml_sp_keys WHERE user_pool_id = @userPoolId AND use = @use
            """, new { userPoolId, use }, cancellationToken: ct));
        return row is null ? null : new SamlSpKeyRecord(row.UserPoolId, row.Use, row.Certificate, row.PrivateSealed, UnixTime.FromMs(row.CreatedAt));
    }

    /// <inheritdoc />
    public async ValueTask<bool> AddAsync(SamlSpKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO saml_sp_keys (user_pool_id, use, certificate, private_sealed, created_at)
                VALUES (@UserPoolId, @Use, @Certificate, @PrivateSealed, @CreatedAt)
                ON CONFLICT (user_pool_id, use) DO NOTHING
                """, new { key.UserPoolId, key.Use, key.Certificate, key.PrivateSealed, CreatedAt = UnixTime.ToMs(key.CreatedAt) }, tx, cancellationToken: ct)), ct) == 1;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e) || db.Dialect.IsForeignKeyViolation(e))
        {
            return false; // another creator won, or the pool was deleted meanwhile (the caller's re-read tells which)
        }
    }

    sealed class KeyRow
    {
        public string UserPoolId { get; set; } = "";
        public string Use { get; set; } = "";
        public byte[] Certificate { get; set; } = [];
        public byte[] PrivateSealed { get; set; } = [];
        public long CreatedAt { get; set; }
    }
}

/// <summary>
/// <see cref="ISamlReplayStore"/> over SQLite or PostgreSQL (<c>saml_assertions</c>): one statement that inserts the assertion
/// ID, or takes over a row whose assertion has expired; a live row makes it change nothing (0 rows: a replay). Expired rows are
/// swept.
/// </summary>
internal sealed class SqlSamlReplayStore(ISqlDatabase db, TimeProvider time) : ISamlReplayStore
{
    /// <inheritdoc />
    public async ValueTask<bool> TryRecordAsync(string userPoolId, string issuer, string assertionId, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        var now = UnixTime.ToMs(time.GetUtcNow());
        return await db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO saml_assertions (user_pool_id, issuer, assertion_id, expires_at) VALUES (@userPoolId, @issuer, @assertionId, @expires)
            ON CONFLICT (user_pool_id, issuer, assertion_id) DO UPDATE SET expires_at = excluded.expires_at WHERE saml_assertions.expires_at < @now
            """, new { userPoolId, issuer, assertionId, expires = UnixTime.ToMs(expiresAt), now }, tx, cancellationToken: ct)), ct) == 1;
    }
}
