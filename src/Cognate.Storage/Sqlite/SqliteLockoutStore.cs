using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// <see cref="ILockoutStore"/> over SQLite: one <c>user_lockouts</c> row per user with failures, counted by an atomic
/// upsert so that concurrent nodes never lose a failure.
/// </summary>
public sealed class SqliteLockoutStore : ILockoutStore
{
    private readonly SqliteDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqliteLockoutStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask<LockoutState?> GetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenAsync(ct);
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
    public async ValueTask<int> RecordFailureAsync(string userPoolId, string username, DateTimeOffset now, TimeSpan quietPeriod, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteAsync(ct);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO user_lockouts (user_pool_id, username, failed_attempts, last_failure_at, locked_until)
            VALUES (@userPoolId, @username, 1, @now, NULL)
            ON CONFLICT (user_pool_id, username) DO UPDATE SET
                failed_attempts = CASE WHEN last_failure_at < @quietStart THEN 1 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN last_failure_at < @quietStart THEN NULL ELSE locked_until END,
                last_failure_at = @now
            RETURNING failed_attempts
            """,
            new { userPoolId, username, now = UnixTime.ToMs(now), quietStart = UnixTime.ToMs(now - quietPeriod) },
            cancellationToken: ct));
        return checked((int)count);
    }

    /// <inheritdoc />
    public async ValueTask LockAsync(string userPoolId, string username, DateTimeOffset until, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE user_lockouts SET locked_until = max(coalesce(locked_until, 0), @until)
            WHERE user_pool_id = @userPoolId AND username = @username
            """,
            new { userPoolId, username, until = UnixTime.ToMs(until) },
            cancellationToken: ct));
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenWriteAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_lockouts WHERE user_pool_id = @userPoolId AND username = @username",
            new { userPoolId, username },
            cancellationToken: ct));
    }

    private sealed class Row
    {
        public long FailedAttempts { get; set; }
        public long LastFailureAt { get; set; }
        public long? LockedUntil { get; set; }
    }
}
