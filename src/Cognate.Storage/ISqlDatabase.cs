using System.Data.Common;

namespace Cognate.Storage;

/// <summary>
/// What the provider-neutral tools (readiness, master-key re-encryption) need from a SQL provider:
/// connections, a write transaction, and the schema versions.
/// </summary>
internal interface ISqlDatabase : IStorageInitializer
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    /// <summary>The newest migration version this build embeds.</summary>
    int KnownSchemaVersion { get; }

    /// <summary>Opens a pooled connection. Caller disposes.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>
    /// Starts a transaction that excludes concurrent writers of <paramref name="tables"/> until it ends
    /// (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: <c>LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE</c>).
    /// </summary>
    Task<DbTransaction> BeginExclusiveAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct);

    /// <summary>The highest applied migration version (0 for an empty database).</summary>
    Task<long> SchemaVersionAsync(CancellationToken ct);
}
