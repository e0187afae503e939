namespace Cognate.Storage;

/// <summary>The database behind the stores, as the server sees it at startup.</summary>
public interface IStorageInitializer
{
    /// <summary>
    /// Where the data lives, for the startup log: the full path of the database file (or a
    /// provider-specific description such as <c>:memory:</c>). Never contains a password.
    /// </summary>
    string DataLocation { get; }

    /// <summary>
    /// Creates the database if needed and applies pending schema migrations in order, in one transaction.
    /// Safe to call repeatedly and from several processes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database has a schema version newer than this build knows; nothing is changed.</exception>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>
    /// Readiness probe for <c>/health/ready</c>: opens a connection, reads the applied schema version and
    /// compares it with the version this build knows. Never throws for an unreachable database.
    /// </summary>
    Task<StorageReadiness> CheckReadyAsync(CancellationToken ct = default);
}
