using System.Collections.Concurrent;
using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Cognate.Storage.Caching;

/// <summary>
/// Short-lived read cache of pool and app-client configuration, in front of either provider's store.
/// </summary>
/// <remarks>
/// <para>Every public call reads its app client and pool (InitiateAuth, SignUp, GetUser, RespondToAuthChallenge...),
/// often twice; those rows change rarely, and at tens of thousands of requests per second re-reading and
/// re-deserialising them was a large share of each request (see bench/README.md).</para>
/// <para>Correctness: writes made through this node (create, update, delete — also a failed optimistic update,
/// so its retry reads the row afresh) evict the entry at once, so this node never serves its own stale change.
/// Writes made by another node sharing a PostgreSQL database are seen here after at most <see cref="Ttl"/>: an
/// updated or deleted pool/client keeps its previous configuration on this node for up to one second, which is
/// within Amazon Cognito's own eventual consistency for configuration changes. Users, tokens, sessions and codes
/// are never cached. The cached records are immutable (<c>record</c>s changed with <c>with</c>), so sharing one
/// instance between requests is safe.</para>
/// </remarks>
public static class ConfigurationCache
{
    /// <summary>How long a pool or client read may be served from memory.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Wraps the registered <see cref="IUserPoolStore"/> and <see cref="IAppClientStore"/> (call after the provider's
    /// registration) in <see cref="CachingUserPoolStore"/> and <see cref="CachingAppClientStore"/>.
    /// </summary>
    public static IServiceCollection AddConfigurationCache(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var pools = services.Last(d => d.ServiceType == typeof(IUserPoolStore));
        var clients = services.Last(d => d.ServiceType == typeof(IAppClientStore));
        services.Remove(pools);
        services.Remove(clients);
        services.AddSingleton(sp => new CachingAppClientStore((IAppClientStore)Create(sp, clients), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IAppClientStore>(sp => sp.GetRequiredService<CachingAppClientStore>());
        services.AddSingleton<IUserPoolStore>(sp => new CachingUserPoolStore((IUserPoolStore)Create(sp, pools), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<CachingAppClientStore>()));
        return services;
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}

/// <summary><see cref="IUserPoolStore"/> with <see cref="ConfigurationCache"/> on <see cref="GetAsync"/>.</summary>
/// <remarks>Deleting a pool also evicts its clients from <paramref name="clients"/> (the database deletes them with it).</remarks>
public sealed class CachingUserPoolStore(IUserPoolStore inner, TimeProvider time, CachingAppClientStore? clients = null) : IUserPoolStore
{
    private readonly ConcurrentDictionary<string, (UserPool? Pool, long At)> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<UserPool?> GetAsync(string userPoolId, CancellationToken ct = default)
    {
        long now = time.GetTimestamp();
        if (_entries.TryGetValue(userPoolId, out var e) && time.GetElapsedTime(e.At, now) < ConfigurationCache.Ttl) return e.Pool;
        var pool = await inner.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (pool is not null) _entries[userPoolId] = (pool, now); // absent pools are not cached: a create elsewhere shows at once
        return pool;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(UserPool pool, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _entries.TryRemove(pool.Id, out _);
        return await inner.CreateAsync(pool, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(UserPool pool, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        try { return await inner.UpdateAsync(pool, ct).ConfigureAwait(false); }
        finally { _entries.TryRemove(pool.Id, out _); }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, CancellationToken ct = default)
    {
        try { return await inner.DeleteAsync(userPoolId, ct).ConfigureAwait(false); }
        finally
        {
            _entries.TryRemove(userPoolId, out _);
            clients?.EvictPool(userPoolId);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UserPool>> ListAsync(string? afterId, int limit, CancellationToken ct = default) => inner.ListAsync(afterId, limit, ct);

    /// <inheritdoc />
    public ValueTask<long> CountUsersAsync(string userPoolId, CancellationToken ct = default) => inner.CountUsersAsync(userPoolId, ct);
}

/// <summary><see cref="IAppClientStore"/> with <see cref="ConfigurationCache"/> on <see cref="GetAsync"/>.</summary>
public sealed class CachingAppClientStore(IAppClientStore inner, TimeProvider time) : IAppClientStore
{
    private readonly ConcurrentDictionary<string, (AppClient? Client, long At)> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<AppClient?> GetAsync(string clientId, CancellationToken ct = default)
    {
        long now = time.GetTimestamp();
        if (_entries.TryGetValue(clientId, out var e) && time.GetElapsedTime(e.At, now) < ConfigurationCache.Ttl) return e.Client;
        var client = await inner.GetAsync(clientId, ct).ConfigureAwait(false);
        if (client is not null) _entries[clientId] = (client, now);
        return client;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(AppClient client, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        _entries.TryRemove(client.ClientId, out _);
        return await inner.CreateAsync(client, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(AppClient client, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        try { return await inner.UpdateAsync(client, ct).ConfigureAwait(false); }
        finally { _entries.TryRemove(client.ClientId, out _); }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        try { return await inner.DeleteAsync(userPoolId, clientId, ct).ConfigureAwait(false); }
        finally { _entries.TryRemove(clientId, out _); }
    }

    /// <summary>Drops every cached client of <paramref name="userPoolId"/>.</summary>
    public void EvictPool(string userPoolId)
    {
        foreach (var (id, e) in _entries)
        {
            if (e.Client is null || e.Client.UserPoolId == userPoolId) _entries.TryRemove(id, out _);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AppClient>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default) => inner.ListAsync(userPoolId, afterId, limit, ct);
}
