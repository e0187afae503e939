using System.Data.Common;

namespace Cognate.Storage;

/// <summary>
/// What the provider-neutral stores (<c>Stores/</c>) and tools (readiness, master-key re-encryption) need from a SQL
/// provider: connections for reads and for writes, write transactions, the dialect, and the schema versions.
/// </summary>
internal interface ISqlDatabase : IStorageInitializer
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    /// <summary>The newest migration version this build embeds.</summary>
    int KnownSchemaVersion { get; }

    /// <summary>What differs between this engine and the other one.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>Opens a pooled connection for reads. Caller disposes.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>
    /// Opens a pooled connection for a write (SQLite: waits for this process's write turn, held until the connection is
    /// disposed; PostgreSQL: the same as <see cref="OpenConnectionAsync"/>). Caller disposes.
    /// </summary>
    ValueTask<DbConnection> OpenWriteConnectionAsync(CancellationToken ct);

    /// <summary>
    /// Starts a write transaction on <paramref name="connection"/> (SQLite: <c>BEGIN IMMEDIATE</c>, which takes the write
    /// lock up front; PostgreSQL: a READ COMMITTED transaction).
    /// </summary>
    ValueTask<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and completes once it has committed. SQLite: group commit
    /// (<see cref="Sqlite.SqliteGroupCommit"/>): concurrent writes share one transaction, each in its own savepoint, so a
    /// failing write is rolled back alone. PostgreSQL: a transaction of its own, retried on serialization failures and
    /// deadlocks. <paramref name="work"/> must not commit or roll back, and may run more than once on PostgreSQL.
    /// </summary>
    /// <exception cref="DbException">What <paramref name="work"/> threw (its statements undone), or the commit failed.</exception>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Starts a transaction that excludes concurrent writers of <paramref name="tables"/> until it ends
    /// (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE</c>).
    /// </summary>
    Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct);

    /// <summary>The highest applied migration version (0 for an empty database).</summary>
    Task<long> SchemaVersionAsync(CancellationToken ct);
}
