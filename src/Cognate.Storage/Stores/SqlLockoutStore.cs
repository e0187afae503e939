using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ILockoutStore"/> over SQLite or PostgreSQL: one <c>user_lockouts</c> row per user with failures, counted by one atomic
/// <c>INSERT … ON CONFLICT … DO UPDATE … RETURNING</c>, so concurrent nodes never lose a failure and each caller sees
/// its own count.
/// </summary>
internal sealed class SqlLockoutStore : ILockoutStore
{
    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlLockoutStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask<LockoutState?> GetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT failed_attempts AS FailedAttempts, last_failure_at AS LastFailureAt, locked_until AS LockedUntil
            FROM user_lockouts WHERE user_pool_id = @userPoolId AND username = @username
            """,
            new { userPoolId, username },
            cancellationToken: ct));
        return row is null ? null : new LockoutState(checked((int)row.FailedAttempts), UnixTime.FromMs(row.LastFailureAt), UnixTime.FromMs(row.LockedUntil));
    }

    /// <inheritdoc />
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key).</exception>
    public async ValueTask<int> RecordFailureAsync(string userPoolId, string username, DateTimeOffset now, TimeSpan quietPeriod, CancellationToken ct = default)
    {
        // In DO UPDATE every right-hand side reads the row as it was before this statement (l.*).
        var count = await _db.WriteAsync((connection, tx) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO user_lockouts AS l (user_pool_id, username, failed_attempts, last_failure_at, locked_until)
            VALUES (@userPoolId, @username, 1, @now, NULL)
            ON CONFLICT (user_pool_id, username) DO UPDATE SET
                failed_attempts = CASE WHEN l.last_failure_at < @quietStart THEN 1 ELSE l.failed_attempts + 1 END,
                locked_until = CASE WHEN l.last_failure_at < @quietStart THEN NULL ELSE l.locked_until END,
                last_failure_at = @now
            RETURNING failed_attempts
            """,
            new { userPoolId, username, now = UnixTime.ToMs(now), quietStart = UnixTime.ToMs(now - quietPeriod) },
            tx,
            cancellationToken: ct)), ct);
        return checked((int)count);
    }

    /// <inheritdoc />
    public async ValueTask LockAsync(string userPoolId, string username, DateTimeOffset until, CancellationToken ct = default)
    {
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_lockouts SET locked_until = CASE WHEN COALESCE(locked_until, 0) > @until THEN locked_until ELSE @until END
            WHERE user_pool_id = @userPoolId AND username = @username
            """,
            new { userPoolId, username, until = UnixTime.ToMs(until) },
            tx,
            cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_lockouts WHERE user_pool_id = @userPoolId AND username = @username",
            new { userPoolId, username },
            tx,
            cancellationToken: ct)), ct);
    }

    private sealed class Row
    {
        public long FailedAttempts { get; set; }
        public long LastFailureAt { get; set; }
        public long? LockedUntil { get; set; }
    }
}
