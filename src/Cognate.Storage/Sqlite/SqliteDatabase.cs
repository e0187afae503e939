using System.Data.Common;
using System.Globalization;
using Cognate.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// The SQLite database behind the provider-neutral stores (<c>Stores/</c>): normalised connection string, per-connection settings
/// (<c>foreign_keys=ON</c>, <c>busy_timeout</c>, <c>synchronous=NORMAL</c>), WAL journal, and the embedded
/// migrations under <c>Sqlite/Migrations</c>. Each store operation rents a connection from <see cref="SqliteConnectionPool"/>,
/// which keeps connections open with their prepared statements.
/// Thread-safe; register one per database as a singleton.
/// </summary>
public sealed class SqliteDatabase : IStorageInitializer, ISqlDatabase, IDisposable
{
    private const string MigrationResourcePrefix = "Cognate.Storage.Sqlite.Migrations.";

    private static readonly Lazy<bool> NativeInitialised = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            SqliteBusyHandler.InstallSubsecondSleep();
        }

        return true;
    });

    private static readonly Lazy<IReadOnlyList<Migration>> EmbeddedMigrations =
        new(() => MigrationRunner.LoadEmbedded(typeof(SqliteDatabase).Assembly, MigrationResourcePrefix));

    private readonly string _connectionString;
    private readonly string? _filePath;
    private readonly string _connectionPragmas;
    private readonly TimeProvider _time;
    private readonly int _busyTimeoutMilliseconds;

    /// <summary>Prepares (does not open) the database described by <paramref name="options"/>.</summary>
    /// <param name="options">Connection string and busy timeout.</param>
    /// <param name="timeProvider">Clock for migration records; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or the busy timeout is negative.</exception>
    public SqliteDatabase(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        ArgumentOutOfRangeException.ThrowIfNegative(options.BusyTimeoutMilliseconds);
        _ = NativeInitialised.Value;

        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        var dataSource = builder.DataSource;
        var inMemory = builder.Mode == SqliteOpenMode.Memory
            || string.IsNullOrEmpty(dataSource)
            || dataSource == ":memory:"
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (inMemory)
        {
            DataLocation = string.IsNullOrEmpty(dataSource) ? ":memory:" : dataSource;
        }
        else
        {
            _filePath = Path.GetFullPath(dataSource);
            builder.DataSource = _filePath;
            DataLocation = _filePath;
        }

        _connectionString = builder.ToString();
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;{(inMemory ? "" : " PRAGMA wal_autocheckpoint = 0;")}");
        _busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
        _time = timeProvider ?? TimeProvider.System;
        _groupCommit = new SqliteGroupCommit(this);
        _pool = new SqliteConnectionPool(_connectionString, InitializeConnectionAsync);
        _checkpointer = inMemory ? null : new SqliteCheckpointer(OpenAsync, OpenWriteAsync);
    }

    /// <summary>Checkpoints the WAL in the background (file databases; see <see cref="SqliteCheckpointer"/>).</summary>
    private readonly SqliteCheckpointer? _checkpointer;

    private readonly SqliteConnectionPool _pool;

    private readonly SqliteGroupCommit _groupCommit;

    /// <summary>Full path of the database file (or the in-memory/URI data source as given).</summary>
    public string DataLocation { get; }

    /// <summary>The connection string in use, with the data source made absolute.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// Creates the file's directory if missing, switches the file to WAL, and applies pending migrations
    /// in one <c>BEGIN IMMEDIATE</c> transaction. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database schema is newer than this build (refuse to start).</exception>
    /// <exception cref="SqliteException">The file cannot be opened or written.</exception>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        if (_filePath is not null)
        {
            var directory = Path.GetDirectoryName(_filePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        await using var connection = await OpenAsync(ct);
        if (_filePath is not null)
        {
            await using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = Convert.ToString(await wal.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite database '{_filePath}' could not be switched to WAL journal mode (got '{mode}').");
            }
        }

        await MigrationRunner.RunAsync(connection, EmbeddedMigrations.Value, (c, _) => Task.FromResult<DbTransaction>(((SqliteConnection)c).BeginTransaction(deferred: false)), _time, ct);
    }

    /// <summary>Rents an open connection (pragmas applied, statements kept prepared) from the pool. Caller disposes.</summary>
    internal async ValueTask<SqliteConnection> OpenAsync(CancellationToken ct) => await _pool.RentAsync(null, ct);

    /// <summary>
    /// Opens a connection for a write: waits (asynchronously, in arrival order) until no other write of this
    /// process holds one, and holds that turn until the connection is disposed. Caller disposes.
    /// </summary>
    /// <remarks>
    /// SQLite admits one writer at a time. Left to SQLite, 16 concurrent writers poll the lock from blocked thread-pool
    /// threads (the busy handler), unfairly: an unlucky sign-in lost the race for up to a second (p99 ≈ 0.9 s at
    /// ~500 password sign-ins/s, bench/load.sh). Queueing writers here costs no thread while waiting and serves
    /// them in order; the busy handler still covers other processes (operator commands) on the same file.
    /// </remarks>
    internal async ValueTask<SqliteConnection> OpenWriteAsync(CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        _checkpointer?.Written();
        try
        {
            return await _pool.RentWriterAsync(_writeGate, ct);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Per-connection settings, applied once when the pool opens a connection.</summary>
    private async ValueTask InitializeConnectionAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var pragmas = connection.CreateCommand();
#pragma warning disable CA2100 // Built from an int option only.
        pragmas.CommandText = _connectionPragmas;
#pragma warning restore CA2100
        await pragmas.ExecuteNonQueryAsync(ct);
        SqliteBusyHandler.Install(connection, _busyTimeoutMilliseconds);
    }

    /// <summary>Closes the idle pooled connections (the database object is not usable afterwards).</summary>
    public void Dispose()
    {
        _checkpointer?.Dispose();
        _pool.Dispose();
    }

    /// <summary>
    /// Starts a write transaction with <c>BEGIN IMMEDIATE</c>: it takes the write lock up front (waiting up to
    /// the busy timeout), so it never fails later when upgrading a read lock.
    /// </summary>
    internal static SqliteTransaction BeginWrite(SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    /// <inheritdoc />
    public Task<StorageReadiness> CheckReadyAsync(CancellationToken ct = default) => StorageReadinessProbe.CheckAsync(this, ct);

    string ISqlDatabase.Provider => "sqlite";

    int ISqlDatabase.KnownSchemaVersion => EmbeddedMigrations.Value.Count == 0 ? 0 : EmbeddedMigrations.Value[^1].Version;

    ISqlDialect ISqlDatabase.Dialect => SqliteDialect.Instance;

    async ValueTask<DbConnection> ISqlDatabase.OpenConnectionAsync(CancellationToken ct) => await OpenAsync(ct);

    async ValueTask<DbConnection> ISqlDatabase.OpenWriteConnectionAsync(CancellationToken ct) => await OpenWriteAsync(ct);

    ValueTask<DbTransaction> ISqlDatabase.BeginWriteTransactionAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(BeginWrite((SqliteConnection)connection));

    Task<T> ISqlDatabase.WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) => _groupCommit.RunAsync(work, ct);

    Task<DbTransaction> ISqlDatabase.BeginExclusiveAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(BeginWrite((SqliteConnection)connection));

    async Task<long> ISqlDatabase.SchemaVersionAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await MigrationRunner.CurrentVersionAsync(
            connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", ct);
    }
}
