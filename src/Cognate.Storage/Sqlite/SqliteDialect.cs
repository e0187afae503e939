using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>SQLite's side of <see cref="ISqlDialect"/>: result codes, no retries (writers are serialised), <c>rowid</c>.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>The one instance.</summary>
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    /// <inheritdoc />
    public bool IsUniqueViolation(DbException e) =>
        e is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

    /// <inheritdoc />
    public bool IsForeignKeyViolation(DbException e) =>
        e is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey };

    /// <inheritdoc />
    /// <remarks>Never: <c>BEGIN IMMEDIATE</c> takes the write lock up front, so no transaction is aborted half-way.</remarks>
    public bool IsTransient(DbException e) => false;

    /// <inheritdoc />
    public int MaxWriteAttempts => 1;

    /// <inheritdoc />
    public string InsertionOrder => "rowid";

    /// <inheritdoc />
    /// <remarks>None: a SQLite write transaction (<c>BEGIN IMMEDIATE</c>) already excludes every other writer.</remarks>
    public string? LockPoolRowSql => null;

    /// <inheritdoc />
    /// <remarks>
    /// One lower bound only, so SQLite seeks the primary key to the cursor: the cursor's key always starts with (prefix)
    /// or equals (=) @value, as UserDirectory checks. <c>char(0x10FFFF)</c> closes the prefix range.
    /// </remarks>
    public string SearchMatch(bool prefix, bool withCursor, string value = "s.value", string username = "s.username") => ((prefix, withCursor) switch
    {
        (false, false) => "s.value = @value",
        (false, true) => "s.value = @value AND s.username > @afterUsername",
        (true, false) => "s.value >= @value AND s.value < @value || char(1114111)",
        (true, true) => "s.value >= @afterValue AND s.value < @value || char(1114111) AND (s.value > @afterValue OR s.username > @afterUsername)",
    }).Replace("s.value", value, StringComparison.Ordinal).Replace("s.username", username, StringComparison.Ordinal);
}
