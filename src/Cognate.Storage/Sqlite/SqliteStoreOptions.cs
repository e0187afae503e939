namespace Cognate.Storage.Sqlite;

/// <summary>Settings of the SQLite storage.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=./.cognate/cognate.db</c>. A relative
    /// path is resolved against the current directory once, when <see cref="SqliteDatabase"/> is created;
    /// the directory is created by <see cref="SqliteDatabase.MigrateAsync"/> if missing.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>How long a writer waits for the database lock before failing (<c>PRAGMA busy_timeout</c>), in milliseconds. Default 5000.</summary>
    public int BusyTimeoutMilliseconds { get; init; } = 5000;
}
