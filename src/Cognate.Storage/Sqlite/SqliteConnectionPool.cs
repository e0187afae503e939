using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Sqlite;

/// <summary>
/// Open SQLite connections kept for reuse <b>with their prepared statements</b>.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite (6.0.7 then, 10.0.15 now: ../shared/docs/dependencies.md measured every version alike) prepares every command's SQL again each time: its own pool keeps the
/// native handle but <c>SqliteConnection.Close</c> finalises every statement, and Dapper creates a new command per call.
/// Parsing and planning the SQL was ~8 % of a GetUser's CPU (<c>sqlite3RunParser</c> and friends under perf). This pool
/// never closes a connection it keeps: a rented <see cref="PooledSqliteConnection"/> hands Dapper commands
/// (<see cref="CachedSqliteCommand"/>) that run on a per-connection <see cref="SqliteCommand"/> for the same SQL text,
/// which Microsoft.Data.Sqlite re-executes without preparing again. At most <see cref="MaxIdle"/> connections are kept;
/// a connection returned inside a transaction (never expected) is closed instead of kept. Thread-safe.
/// </remarks>
internal sealed class SqliteConnectionPool : IDisposable
{
    /// <summary>Most idle connections kept open.</summary>
    public const int MaxIdle = 16;

    private readonly string _connectionString;
    private readonly Func<SqliteConnection, CancellationToken, ValueTask> _initialize;
    private readonly ConcurrentBag<PooledSqliteConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>The write connection kept between writes (at most one write is rented at a time: the caller's write gate).</summary>
    private PooledSqliteConnection? _writer;

    /// <summary>
    /// Page cache of the write connection, in KiB (<c>PRAGMA cache_size</c>; SQLite allocates it as pages are used). Every write of
    /// the process goes through the one write connection, whose cache SQLite keeps valid from one transaction to the next as long as
    /// no other process writes; a bulk write (a user import batch) then finds the index pages it touches in memory instead of reading
    /// them back with a system call each. Read connections keep SQLite's default (2 MiB).
    /// </summary>
    public const int WriterCacheKiB = 64 * 1024;

    /// <summary>
    /// How much of the database file the write connection reads through a memory map (<c>PRAGMA mmap_size</c>, bytes; address space,
    /// not memory: the pages are the operating system's file cache). A page the write connection's cache lacks is then read without a
    /// <c>pread</c> system call and a copy (bench/import.sh, 300,000 users: 9,732 against 8,073 users/s). Writes still go to the WAL.
    /// </summary>
    public const long WriterMmapBytes = 1L << 30;

    /// <summary>Creates a pool for <paramref name="connectionString"/>; <paramref name="initialize"/> runs once per new connection.</summary>
    public SqliteConnectionPool(string connectionString, Func<SqliteConnection, CancellationToken, ValueTask> initialize)
    {
        _connectionString = connectionString;
        _initialize = initialize;
    }

    /// <summary>An open connection (idle or new). Disposing it returns it here and releases <paramref name="gate"/> if given.</summary>
    public async ValueTask<PooledSqliteConnection> RentAsync(SemaphoreSlim? gate, CancellationToken ct)
    {
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            connection = new PooledSqliteConnection(_connectionString, this);
            try
            {
                await connection.OpenAsync(ct);
                await _initialize(connection, ct);
            }
            catch
            {
                connection.Close();
                connection.CloseForGood();
                throw;
            }
        }

        connection.Gate = gate;
        return connection;
    }

    /// <summary>
    /// The write connection (kept from the previous write, or new with a <see cref="WriterCacheKiB"/> page cache). The caller holds
    /// <paramref name="gate"/>, the process's one write turn; disposing the connection gives it back here and releases the gate.
    /// </summary>
    public async ValueTask<PooledSqliteConnection> RentWriterAsync(SemaphoreSlim gate, CancellationToken ct)
    {
        var connection = Interlocked.Exchange(ref _writer, null);
        if (connection is null)
        {
            connection = await RentAsync(null, ct);
            try
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = $"PRAGMA cache_size = -{WriterCacheKiB}; PRAGMA mmap_size = {WriterMmapBytes};";
                await pragma.ExecuteNonQueryAsync(ct);
            }
            catch
            {
                connection.CloseForGood();
                throw;
            }

            connection.IsWriter = true;
        }

        connection.Gate = gate;
        return connection;
    }

    /// <summary>Takes <paramref name="connection"/> back; false when it must really be closed.</summary>
    internal bool Return(PooledSqliteConnection connection)
    {
        if (_disposed || connection.State != ConnectionState.Open || SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            return false;
        }

        if (connection.IsWriter)
        {
            return Interlocked.CompareExchange(ref _writer, connection, null) is null;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            return false;
        }

        _idle.Add(connection);
        return true;
    }

    /// <summary>Closes the idle connections; connections rented now are closed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _writer, null)?.CloseForGood();
        while (_idle.TryTake(out var connection))
        {
            connection.CloseForGood();
        }
    }
}

/// <summary>A connection of <see cref="SqliteConnectionPool"/>: keeps one prepared <see cref="SqliteCommand"/> per SQL text.</summary>
internal sealed class PooledSqliteConnection : SqliteConnection
{
    /// <summary>Most distinct SQL texts kept prepared per connection (the stores use fewer; dynamic ListUsers SQL is bounded).</summary>
    public const int MaxStatements = 256;

    private readonly SqliteConnectionPool _pool;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private bool _closing;

    internal PooledSqliteConnection(string connectionString, SqliteConnectionPool pool)
        : base(connectionString) => _pool = pool;

    /// <summary>True for the pool's write connection (larger page cache), which goes back to its own slot.</summary>
    internal bool IsWriter { get; set; }

    /// <summary>The write turn held by this rental (released when it is returned), or null for a read.</summary>
    internal SemaphoreSlim? Gate { get; set; }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => new CachedSqliteCommand(this);

    /// <summary>The prepared command for <paramref name="sql"/> on this connection.</summary>
    internal SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            if (_statements.Count >= MaxStatements)
            {
                DisposeStatements();
            }

            command = CreateCommand();
            command.CommandText = sql;
            _statements[sql] = command;
        }

        return command;
    }

    /// <summary>Closes the connection instead of returning it to the pool.</summary>
    internal void CloseForGood()
    {
        _closing = true;
        Dispose();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        var gate = Gate;
        Gate = null;
        try
        {
            if (disposing && !_closing && _pool.Return(this))
            {
                return;
            }

            if (disposing)
            {
                DisposeStatements();
            }

            base.Dispose(disposing);
        }
        finally
        {
            gate?.Release();
        }
    }

    private void DisposeStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}

/// <summary>
/// What Dapper gets from <see cref="PooledSqliteConnection"/>: collects the SQL and parameters, and executes on the
/// connection's prepared <see cref="SqliteCommand"/> for that SQL (binding this command's parameters and transaction).
/// </summary>
internal sealed class CachedSqliteCommand : DbCommand
{
    private readonly PooledSqliteConnection _connection;
    private readonly ParameterList _parameters = new();

    internal CachedSqliteCommand(PooledSqliteConnection connection) => _connection = connection;

    private sealed class ParameterList : SqliteParameterCollection;

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string CommandText { get; set; } = "";

    /// <inheritdoc />
    public override int CommandTimeout { get; set; } = 30;

    /// <inheritdoc />
    public override CommandType CommandType { get; set; } = CommandType.Text;

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            if (!ReferenceEquals(value, _connection)) throw new NotSupportedException("A cached command stays on its connection.");
        }
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => _parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction { get; set; }

    /// <inheritdoc />
    public override void Cancel()
    {
    }

    /// <inheritdoc />
    public override void Prepare()
    {
    }

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    /// <inheritdoc />
    public override int ExecuteNonQuery() => Bind().ExecuteNonQuery();

    /// <inheritdoc />
    public override object? ExecuteScalar() => Bind().ExecuteScalar();

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Bind().ExecuteReader(behavior);

    private SqliteCommand Bind()
    {
        if (CommandType != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only.");
        var command = _connection.Statement(CommandText);
        command.Transaction = (SqliteTransaction?)DbTransaction;
        command.CommandTimeout = CommandTimeout;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in _parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
