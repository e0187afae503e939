using System.Data.Common;

namespace Cognate.Storage;

/// <summary>
/// What differs between the SQL engines behind the provider-neutral stores in <c>Stores/</c>: error classification,
/// the retry policy, and the few fragments of SQL that one engine does not accept as the other writes them. Every other
/// statement is shared text that both SQLite (3.35+: upsert, <c>RETURNING</c>, row values) and PostgreSQL accept.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>True for a UNIQUE or PRIMARY KEY violation (not for NOT NULL, CHECK or FOREIGN KEY).</summary>
    bool IsUniqueViolation(DbException e);

    /// <summary>True for a FOREIGN KEY violation: the referenced row (pool, group, user) does not exist.</summary>
    bool IsForeignKeyViolation(DbException e);

    /// <summary>True for errors after which the whole transaction can simply be run again (deadlock, serialization failure).</summary>
    bool IsTransient(DbException e);

    /// <summary>How many times <see cref="SqlDatabaseExtensions.RunWriteAsync"/> runs a transaction that failed transiently (1: never again).</summary>
    int MaxWriteAttempts { get; }

    /// <summary>The column that orders rows of <c>outbox</c> and <c>signing_keys</c> by insertion (SQLite <c>rowid</c>, PostgreSQL <c>seq</c>).</summary>
    string InsertionOrder { get; }

    /// <summary>
    /// A statement (parameter <c>@UserPoolId</c>) that, inside a write transaction, makes concurrent writers of the pool's
    /// rows queue behind this one; null where the write transaction already excludes every other writer (SQLite).
    /// </summary>
    string? LockPoolRowSql { get; }

    /// <summary>
    /// The ListUsers match on <c>user_search s</c> (parameters @value, @afterValue, @afterUsername), shaped so that each
    /// engine's planner seeks the primary key (pool, attribute, value, username) to the start of the range. With
    /// <paramref name="value"/> and <paramref name="username"/> the same match on other columns (<c>u.sub</c>, <c>u.username</c>:
    /// a <c>sub</c> filter seeks the users table's unique (pool, sub) index).
    /// </summary>
    string SearchMatch(bool prefix, bool withCursor, string value = "s.value", string username = "s.username");
}
