namespace Cognate.Storage;

/// <summary>Result of <see cref="IStorageInitializer.CheckReadyAsync"/>.</summary>
/// <param name="Ready">True when the database answered and its schema is exactly the version this build knows.</param>
/// <param name="SchemaVersion">The database's applied version (0 when none).</param>
/// <param name="KnownVersion">The newest version this build embeds.</param>
/// <param name="Problem">Why it is not ready (never contains a password); null when ready.</param>
public sealed record StorageReadiness(bool Ready, long SchemaVersion, long KnownVersion, string? Problem);

/// <summary>Provider-neutral readiness probe over <see cref="ISqlDatabase"/>.</summary>
internal static class StorageReadinessProbe
{
    public static async Task<StorageReadiness> CheckAsync(ISqlDatabase database, CancellationToken ct)
    {
        long version;
        try
        {
            version = await database.SchemaVersionAsync(ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException)
        {
            return new StorageReadiness(false, 0, database.KnownSchemaVersion, $"{database.Provider} database unreachable: {e.GetType().Name}");
        }

        return version == database.KnownSchemaVersion
            ? new StorageReadiness(true, version, database.KnownSchemaVersion, null)
            : new StorageReadiness(false, version, database.KnownSchemaVersion,
                $"schema version {version}, this build expects {database.KnownSchemaVersion}");
    }
}
