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

    private static string Table(LockoutKind kind) => kind switch
    {
        LockoutKind.Password => "user_lockouts",
        LockoutKind.SecondFactor => "second_factor_lockouts",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// <c>CASE</c> over the new count <paramref name="count"/> giving the lock end in unix ms (NULL below the first lock),
    /// built from <paramref name="lockFor"/> for counts 1..<paramref name="maxCount"/> (larger counts get the last value). The
    /// literals are computed integers, never input.
    /// </summary>
    private static string LockCase(string count, Func<int, TimeSpan> lockFor, int maxCount)
    {
        var sb = new System.Text.StringBuilder("CASE");
        for (int n = 1; n < maxCount; n++)
        {
            long ms = (long)lockFor(n).TotalMilliseconds;
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $" WHEN {count} = {n} THEN {(ms <= 0 ? "NULL" : "@now + " + ms.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }
        long last = (long)lockFor(maxCount).TotalMilliseconds;
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $" ELSE {(last <= 0 ? "NULL" : "@now + " + last.ToString(System.Globalization.CultureInfo.InvariantCulture))} END");
        return sb.ToString();
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING</c>: the row is locked by the statement on both engines
    /// (SQLite: one writer at a time; PostgreSQL: the conflicting row is locked and the WHERE re-evaluated on its newest
    /// version), so concurrent reservations see each other's slots. Slots whose lease passed (a crashed node) count as free.
    /// When no row comes back, a read tells a lock from a full set of slots.
    /// </remarks>
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key).</exception>
    public async ValueTask<LockoutReservation> TryReserveAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, int freeAttempts, TimeSpan lease, CancellationToken ct = default)
    {
        var table = Table(kind);
        const string Failures = "(CASE WHEN l.last_failure_at < @quietStart THEN 0 ELSE l.failed_attempts END)";
        const string Pending = "(CASE WHEN l.pending_until > @now THEN l.pending ELSE 0 END)";
        var sql = $"""
            INSERT INTO {table} AS l (user_pool_id, username, failed_attempts, last_failure_at, locked_until, pending, pending_until)
            VALUES (@userPoolId, @username, 0, 0, NULL, 1, @leaseEnd)
            ON CONFLICT (user_pool_id, username) DO UPDATE SET
                failed_attempts = {Failures},
                locked_until = CASE WHEN l.last_failure_at < @quietStart THEN NULL ELSE l.locked_until END,
                pending = {Pending} + 1,
                pending_until = @leaseEnd
            WHERE NOT (l.last_failure_at >= @quietStart AND COALESCE(l.locked_until, 0) > @now)
              AND ({Failures} + {Pending} < @freeAttempts OR ({Failures} >= @freeAttempts AND {Pending} = 0))
            RETURNING pending
            """;
        var args = new { userPoolId, username, now = UnixTime.ToMs(now), quietStart = UnixTime.ToMs(now - quietPeriod), leaseEnd = UnixTime.ToMs(now + lease), freeAttempts };
        var reserved = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(sql, args, tx, cancellationToken: ct)), ct);
        if (reserved is not null) return LockoutReservation.Reserved;
        await using var connection = await _db.OpenConnectionAsync(ct);
        var locked = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {table} WHERE user_pool_id = @userPoolId AND username = @username AND last_failure_at >= @quietStart AND COALESCE(locked_until, 0) > @now",
            args, cancellationToken: ct));
        return locked > 0 ? LockoutReservation.Locked : LockoutReservation.Busy;
    }

    /// <inheritdoc />
    /// <remarks>One upsert (the row may have been deleted by a concurrent success): atomic on both engines.</remarks>
    /// <exception cref="System.Data.Common.DbException">The user does not exist (foreign key).</exception>
    public async ValueTask<int> CompleteFailureAsync(string userPoolId, string username, LockoutKind kind, DateTimeOffset now, TimeSpan quietPeriod, Func<int, TimeSpan> lockFor, int maxCount, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lockFor);
        var first = LockCase("1", lockFor, maxCount);
        var next = LockCase("(l.failed_attempts + 1)", lockFor, maxCount);
        var sql = $"""
            INSERT INTO {Table(kind)} AS l (user_pool_id, username, failed_attempts, last_failure_at, locked_until, pending, pending_until)
            VALUES (@userPoolId, @username, 1, @now, {first}, 0, 0)
            ON CONFLICT (user_pool_id, username) DO UPDATE SET
                failed_attempts = CASE WHEN l.last_failure_at < @quietStart THEN 1 ELSE l.failed_attempts + 1 END,
                locked_until = CASE WHEN l.last_failure_at < @quietStart THEN {first} ELSE {next} END,
                last_failure_at = @now,
                pending = CASE WHEN l.pending > 0 THEN l.pending - 1 ELSE 0 END
            RETURNING failed_attempts
            """;
        var count = await _db.WriteAsync((connection, tx) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            sql,
            new { userPoolId, username, now = UnixTime.ToMs(now), quietStart = UnixTime.ToMs(now - quietPeriod) },
            tx,
            cancellationToken: ct)), ct);
        return checked((int)count);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {Table(kind)} SET pending = CASE WHEN pending > 0 THEN pending - 1 ELSE 0 END WHERE user_pool_id = @userPoolId AND username = @username",
            new { userPoolId, username },
            tx,
            cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask<LockoutState?> GetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            SELECT failed_attempts AS FailedAttempts, last_failure_at AS LastFailureAt, locked_until AS LockedUntil
            FROM {Table(kind)} WHERE user_pool_id = @userPoolId AND username = @username
            """,
            new { userPoolId, username },
            cancellationToken: ct));
        return row is null ? null : new LockoutState(checked((int)row.FailedAttempts), UnixTime.FromMs(row.LastFailureAt), UnixTime.FromMs(row.LockedUntil));
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string userPoolId, string username, LockoutKind kind, CancellationToken ct = default)
    {
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {Table(kind)} WHERE user_pool_id = @userPoolId AND username = @username",
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
