using Cognate.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cognate.Storage.Sqlite;

/// <summary>Registration of the SQLite storage.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteDatabase"/> (also as <see cref="IStorageInitializer"/>) and the provider-neutral stores
    /// (<c>Stores/</c>) as singletons for the Cognate.Core store interfaces. The caller must register an
    /// <see cref="ISecretSealer"/>, and call <see cref="IStorageInitializer.MigrateAsync"/> at startup.
    /// A registered <see cref="TimeProvider"/> is used when present.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">E.g. <c>Data Source=./.cognate/cognate.db</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCognateSqliteStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.TryAddSingleton(new SqliteStoreOptions { ConnectionString = connectionString });
        services.TryAddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<SqliteStoreOptions>(), sp.GetService<TimeProvider>()));
        return services.AddSqlStores<SqliteDatabase>();
    }
}
