using System.Data.Common;
using Npgsql;

namespace Cognate.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of <see cref="ISqlDialect"/>: SQLSTATE classification, up to 5 runs of a transaction that was a
/// deadlock victim or hit a serialization failure, <c>seq</c> identity columns, <c>SELECT … FOR UPDATE</c> row locks.
/// </summary>
internal sealed class PostgresDialect : ISqlDialect
{
    /// <summary>The one instance.</summary>
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    /// <inheritdoc />
    /// <remarks>23505.</remarks>
    public bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <inheritdoc />
    /// <remarks>23503.</remarks>
    public bool IsForeignKeyViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    /// <inheritdoc />
    /// <remarks>Deadlock (40P01) and serialization failure (40001).</remarks>
    public bool IsTransient(DbException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <inheritdoc />
    public int MaxWriteAttempts => 5;

    /// <inheritdoc />
    public string InsertionOrder => "seq";

    /// <inheritdoc />
    /// <remarks>Locks the pool's row, so concurrent callers on any node queue behind the first.</remarks>
    public string? LockPoolRowSql => "SELECT id FROM user_pools WHERE id = @UserPoolId FOR UPDATE";

    /// <inheritdoc />
    /// <remarks>
    /// Names and values are <c>COLLATE "C"</c>; a page cursor is the row-value lower bound
    /// <c>(value, username) &gt; (@afterValue, @afterUsername)</c>; <c>chr(0x10FFFF)</c> closes the prefix range.
    /// </remarks>
    public string SearchMatch(bool prefix, bool withCursor, string value = "s.value", string username = "s.username") => ((prefix, withCursor) switch
    {
        (false, false) => "s.value = @value",
        (false, true) => "s.value = @value AND s.username > @afterUsername",
        (true, false) => "s.value >= @value AND s.value < (@value || chr(1114111))",
        (true, true) => "(s.value, s.username) > (@afterValue, @afterUsername) AND s.value >= @value AND s.value < (@value || chr(1114111))",
    }).Replace("s.value", value, StringComparison.Ordinal).Replace("s.username", username, StringComparison.Ordinal);
}
