using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ICodeStore"/> over SQLite or PostgreSQL: one row per (pool, username, purpose), holding only the code's
/// keyed hash. Codes belong to a user row (foreign key) and go with it.
/// </summary>
internal sealed class SqlCodeStore : ICodeStore
{
    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlCodeStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key).</exception>
    public async ValueTask PutAsync(StoredCode code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO codes (user_pool_id, username, purpose, code_hash, expires_at, failed_attempts)
            VALUES (@UserPoolId, @Username, @Purpose, @CodeHash, @ExpiresAt, @FailedAttempts)
            ON CONFLICT (user_pool_id, username, purpose) DO UPDATE
            SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, failed_attempts = excluded.failed_attempts
            """,
            new
            {
                code.UserPoolId,
                code.Username,
                code.Purpose,
                code.CodeHash,
                ExpiresAt = UnixTime.ToMs(code.ExpiresAt),
                code.FailedAttempts,
            },
            tx,
            cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask<StoredCode?> GetAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
            """
            SELECT code_hash AS CodeHash, expires_at AS ExpiresAt, failed_attempts AS FailedAttempts
            FROM codes WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose
            """,
            new { userPoolId, username, purpose },
            cancellationToken: ct));
        return row is null
            ? null
            : new StoredCode(userPoolId, username, purpose, row.CodeHash, UnixTime.FromMs(row.ExpiresAt), checked((int)row.FailedAttempts));
    }

    /// <inheritdoc />
    /// <remarks>Returns 0 when no code exists (nothing is incremented).</remarks>
    public async ValueTask<int> IncrementFailedAttemptsAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        var count = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            UPDATE codes SET failed_attempts = failed_attempts + 1
            WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose
            RETURNING failed_attempts
            """,
            new { userPoolId, username, purpose },
            tx,
            cancellationToken: ct)), ct);
        return count is { } c ? checked((int)c) : 0;
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string username, string purpose, CancellationToken ct = default)
    {
        var deleted = await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM codes WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose",
            new { userPoolId, username, purpose },
            tx,
            cancellationToken: ct)), ct);
        return deleted == 1;
    }

    private sealed class CodeRow
    {
        public byte[] CodeHash { get; set; } = [];
        public long ExpiresAt { get; set; }
        public long FailedAttempts { get; set; }
    }
}
