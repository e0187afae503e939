using System.Data.Common;
using System.Globalization;
using Cognate.Storage.Migrations;
using Dapper;
using Npgsql;

namespace Cognate.Storage.Postgres;

/// <summary>
/// The PostgreSQL database behind the provider-neutral stores (<c>Stores/</c>): one pooled <see cref="NpgsqlDataSource"/> and the
/// embedded migrations under <c>Postgres/Migrations</c>. Several Cognate nodes may share the database: every
/// invariant (uniqueness, single use, counters, optimistic versions) is enforced by the database itself,
/// never by a lock in this process. Thread-safe; register one per database as a singleton.
/// </summary>
public sealed class PostgresDatabase : IStorageInitializer, ISqlDatabase, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Key of the transaction-scoped advisory lock that serialises migrators: nodes starting at once queue on it,
    /// and every one after the first finds nothing left to apply.
    /// </summary>
    internal const long MigrationLockKey = 0x436F676E6174654D; // "CognateM"

    private const string MigrationResourcePrefix = "Cognate.Storage.Postgres.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> EmbeddedMigrations =
        new(() => MigrationRunner.LoadEmbedded(typeof(PostgresDatabase).Assembly, MigrationResourcePrefix));

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    /// <summary>Prepares (does not open) the database described by <paramref name="options"/>.</summary>
    /// <param name="options">The Npgsql connection string.</param>
    /// <param name="timeProvider">Clock for migration records; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public PostgresDatabase(PostgresStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL connection string needs a Host.", nameof(options));
        }

        DataLocation = string.Create(CultureInfo.InvariantCulture, $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
        _dataSource = NpgsqlDataSource.Create(builder);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary><c>postgres://host:port/database</c> (no user name, no password).</summary>
    public string DataLocation { get; }

    /// <summary>Applies pending migrations in one transaction holding the migration advisory lock. Idempotent, safe from several nodes at once.</summary>
    /// <exception cref="InvalidOperationException">The database schema is newer than this build (refuse to start).</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the statements.</exception>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await MigrationRunner.RunAsync(connection, EmbeddedMigrations.Value, BeginMigrationAsync, _time, ct);
    }

    /// <inheritdoc />
    public Task<StorageReadiness> CheckReadyAsync(CancellationToken ct = default) => StorageReadinessProbe.CheckAsync(this, ct);

    /// <summary>Opens a pooled connection. Caller disposes.</summary>
    internal async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    private static async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, tx, cancellationToken: ct));
        return tx;
    }

    string ISqlDatabase.Provider => "postgres";

    int ISqlDatabase.KnownSchemaVersion => EmbeddedMigrations.Value.Count == 0 ? 0 : EmbeddedMigrations.Value[^1].Version;

    ISqlDialect ISqlDatabase.Dialect => PostgresDialect.Instance;

    async ValueTask<DbConnection> ISqlDatabase.OpenConnectionAsync(CancellationToken ct) => await OpenAsync(ct);

    /// <remarks>Any pooled connection: every invariant is enforced by the database itself, across nodes.</remarks>
    async ValueTask<DbConnection> ISqlDatabase.OpenWriteConnectionAsync(CancellationToken ct) => await OpenAsync(ct);

    Task<T> ISqlDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) =>
        this.RunWriteAsync(async connection =>
        {
            await using var transaction = await ((ISqlDatabase)this).BeginWriteTransactionAsync(connection, ct);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(ct);
            return result;
        }, ct);

    async ValueTask<DbTransaction> ISqlDatabase.BeginWriteTransactionAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct);

    async Task<DbTransaction> ISqlDatabase.BeginExclusiveAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        foreach (var table in tables)
        {
            // Table names come from the code's own list, never from input.
#pragma warning disable CA2100
            await connection.ExecuteAsync(new CommandDefinition($"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE", transaction: tx, cancellationToken: ct));
#pragma warning restore CA2100
        }

        return tx;
    }

    async Task<long> ISqlDatabase.SchemaVersionAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await MigrationRunner.CurrentVersionAsync(connection, "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'", ct);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
