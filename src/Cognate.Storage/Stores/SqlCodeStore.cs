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

    /// <inheritdoc />
    /// <remarks>One upsert on <c>code_limits</c> whose <c>DO UPDATE … WHERE</c> refuses a full window: atomic on both engines.</remarks>
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key).</exception>
    public async ValueTask<bool> CountSendAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxSends, CancellationToken ct = default)
    {
        var count = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            INSERT INTO code_limits AS l (user_pool_id, username, purpose, window_start, sends, guesses)
            VALUES (@userPoolId, @username, @purpose, @now, 1, 0)
            ON CONFLICT (user_pool_id, username, purpose) DO UPDATE SET
                sends = CASE WHEN l.window_start <= @windowStart THEN 1 ELSE l.sends + 1 END,
                guesses = CASE WHEN l.window_start <= @windowStart THEN 0 ELSE l.guesses END,
                window_start = CASE WHEN l.window_start <= @windowStart THEN @now ELSE l.window_start END
            WHERE l.window_start <= @windowStart OR l.sends < @maxSends
            RETURNING sends
            """,
            new { userPoolId, username, purpose, now = UnixTime.ToMs(now), windowStart = UnixTime.ToMs(now - window), maxSends },
            tx,
            cancellationToken: ct)), ct);
        return count is not null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One write transaction: a conditional <c>UPDATE codes … WHERE failed_attempts + pending &lt; @maxPerCode … RETURNING</c>
    /// takes a slot, then a conditional upsert counts the window's guess; when the window is full the slot is given back in the
    /// same transaction. Both statements lock their row (SQLite: one writer at a time; PostgreSQL: row locks, the WHERE
    /// re-checked on the newest row version), always in the order codes → code_limits, so concurrent reservations serialise
    /// per user and purpose without deadlocks. Slots whose lease passed (a stopped node) count as free.
    /// </remarks>
    public async ValueTask<(CodeReservation Outcome, byte[]? CodeHash)> ReserveAttemptAsync(string userPoolId, string username, string purpose, DateTimeOffset now, TimeSpan window, int maxPerWindow, int maxPerCode, TimeSpan lease, CancellationToken ct = default)
    {
        var args = new { userPoolId, username, purpose, now = UnixTime.ToMs(now), windowStart = UnixTime.ToMs(now - window), leaseEnd = UnixTime.ToMs(now + lease), maxPerWindow, maxPerCode };
        return await _db.WriteAsync(async (connection, tx) =>
        {
            var hash = await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
                """
                UPDATE codes SET pending = (CASE WHEN pending_until > @now THEN pending ELSE 0 END) + 1, pending_until = @leaseEnd
                WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose
                  AND expires_at > @now AND failed_attempts + (CASE WHEN pending_until > @now THEN pending ELSE 0 END) < @maxPerCode
                RETURNING code_hash
                """,
                args, tx, cancellationToken: ct));
            if (hash is null)
            {
                var row = await connection.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
                    """
                    SELECT code_hash AS CodeHash, expires_at AS ExpiresAt, failed_attempts AS FailedAttempts
                    FROM codes WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose
                    """,
                    args, tx, cancellationToken: ct));
                var outcome = row is null ? CodeReservation.NoCode
                    : row.ExpiresAt <= args.now ? CodeReservation.Expired
                    : row.FailedAttempts >= maxPerCode ? CodeReservation.CodeSpent
                    : CodeReservation.Busy;
                return (outcome, (byte[]?)null);
            }
            var guesses = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                INSERT INTO code_limits AS l (user_pool_id, username, purpose, window_start, sends, guesses)
                VALUES (@userPoolId, @username, @purpose, @now, 0, 1)
                ON CONFLICT (user_pool_id, username, purpose) DO UPDATE SET
                    guesses = CASE WHEN l.window_start <= @windowStart THEN 1 ELSE l.guesses + 1 END,
                    sends = CASE WHEN l.window_start <= @windowStart THEN 0 ELSE l.sends END,
                    window_start = CASE WHEN l.window_start <= @windowStart THEN @now ELSE l.window_start END
                WHERE l.window_start <= @windowStart OR l.guesses < @maxPerWindow
                RETURNING guesses
                """,
                args, tx, cancellationToken: ct));
            if (guesses is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE codes SET pending = pending - 1 WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose",
                    args, tx, cancellationToken: ct));
                return (CodeReservation.WindowSpent, (byte[]?)null);
            }
            return (CodeReservation.Reserved, hash);
        }, ct);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAttemptAsync(string userPoolId, string username, string purpose, bool failed, CancellationToken ct = default)
    {
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE codes SET failed_attempts = failed_attempts + @add, pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END
            WHERE user_pool_id = @userPoolId AND username = @username AND purpose = @purpose
            """,
            new { userPoolId, username, purpose, add = failed ? 1 : 0 },
            tx,
            cancellationToken: ct)), ct);
    }

    private sealed class CodeRow
    {
        public byte[] CodeHash { get; set; } = [];
        public long ExpiresAt { get; set; }
        public long FailedAttempts { get; set; }
    }
}
