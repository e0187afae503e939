using Cognate.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cognate.Storage.Postgres;

/// <summary>Registration of the PostgreSQL storage.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresDatabase"/> (also as <see cref="IStorageInitializer"/>) and the provider-neutral stores
    /// (<c>Stores/</c>) as singletons for the Cognate.Core store interfaces. The caller must register an
    /// <see cref="ISecretSealer"/>, and call <see cref="IStorageInitializer.MigrateAsync"/> at startup.
    /// A registered <see cref="TimeProvider"/> is used when present.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Database=cognate;Username=cognate;Password=…</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCognatePostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.TryAddSingleton(new PostgresStoreOptions { ConnectionString = connectionString });
        services.TryAddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<PostgresStoreOptions>(), sp.GetService<TimeProvider>()));
        return services.AddSqlStores<PostgresDatabase>();
    }
}
