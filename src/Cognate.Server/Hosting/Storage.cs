using Cognate.Storage;
using Cognate.Storage.Caching;
using Cognate.Storage.Postgres;
using Cognate.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cognate.Server.Hosting;

internal static partial class CognateHost
{
    /// <summary>Configuration key choosing the store: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public const string ProviderKey = "Cognate:Storage:Provider";

    /// <summary>
    /// Registers the store chosen by <c>Cognate:Storage:Provider</c> with <c>ConnectionStrings:Cognate</c>:
    /// <c>sqlite</c> (default; the connection string defaults to <see cref="DefaultConnectionString"/>) or
    /// <c>postgres</c> (connection string required). Also registers the readiness check of <c>/health/ready</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Unknown provider, or postgres without a connection string.</exception>
    static IServiceCollection AddCognateStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = (configuration[ProviderKey] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = configuration.GetConnectionString("Cognate");
        switch (provider)
        {
            case "" or "sqlite":
                services.AddCognateSqliteStorage(string.IsNullOrEmpty(connectionString) ? DefaultConnectionString : connectionString);
                break;
            case "postgres" or "postgresql":
                if (string.IsNullOrEmpty(connectionString))
                {
                    throw new InvalidOperationException(
                        "Cognate:Storage:Provider is postgres but ConnectionStrings:Cognate is empty: set it (env ConnectionStrings__Cognate), e.g. Host=db;Database=cognate;Username=cognate;Password=….");
                }

                services.AddCognatePostgresStorage(connectionString);
                break;
            default:
                throw new InvalidOperationException($"Cognate:Storage:Provider must be sqlite or postgres, not '{provider}'.");
        }

        services.AddConfigurationCache(); // pool/client reads cached ≤ 1 s; see Cognate.Storage.Caching.ConfigurationCache
        services.AddHealthChecks().AddCheck<StorageReadyCheck>("storage", tags: ["ready"]);
        return services;
    }
}

/// <summary>
/// <c>/health/ready</c>: healthy when the database answers and its schema is the version this build knows;
/// unhealthy as soon as the host begins shutting down, so a load balancer stops sending new requests while the
/// in-flight ones drain.
/// </summary>
internal sealed class StorageReadyCheck(IStorageInitializer storage, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("shutting down");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        StorageReadiness readiness;
        try
        {
            readiness = await storage.CheckReadyAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("database did not answer within 5 s");
        }

        return readiness.Ready
            ? HealthCheckResult.Healthy($"schema version {readiness.SchemaVersion}")
            : HealthCheckResult.Unhealthy(readiness.Problem);
    }
}
