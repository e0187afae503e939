namespace Cognate.Storage.Postgres;

/// <summary>Settings of the PostgreSQL storage.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db.internal;Port=5432;Database=cognate;Username=cognate;Password=…</c>.
    /// The database must exist; the schema is created by <see cref="PostgresDatabase.MigrateAsync"/>.
    /// </summary>
    public required string ConnectionString { get; init; }
}
