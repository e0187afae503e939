using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Tests.Pools;

/// <summary>In-memory IUserPoolStore with optimistic versioning; ConflictsToInject makes the next updates fail.</summary>
internal sealed class FakeUserPoolStore : IUserPoolStore
{
    public Dictionary<string, UserPool> Pools { get; } = new(StringComparer.Ordinal);
    public int ConflictsToInject { get; set; }
    public int UpdateCalls { get; private set; }

    public ValueTask<bool> CreateAsync(UserPool pool, CancellationToken ct = default) => ValueTask.FromResult(Pools.TryAdd(pool.Id, pool));
    public ValueTask<UserPool?> GetAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Pools.GetValueOrDefault(userPoolId));
    public ValueTask<IReadOnlyList<UserPool>> ListAsync(string? afterId, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<UserPool>>(Pools.Values.Where(p => afterId is null || string.CompareOrdinal(p.Id, afterId) > 0).OrderBy(p => p.Id, StringComparer.Ordinal).Take(limit).ToList());
    public ValueTask<bool> UpdateAsync(UserPool pool, CancellationToken ct = default)
    {
        UpdateCalls++;
        if (ConflictsToInject > 0) { ConflictsToInject--; return ValueTask.FromResult(false); }
        if (!Pools.TryGetValue(pool.Id, out var cur) || cur.Version != pool.Version) return ValueTask.FromResult(false);
        Pools[pool.Id] = pool with { Version = pool.Version + 1 };
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Pools.Remove(userPoolId));
    public ValueTask<long> CountUsersAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(0L);
}

/// <summary>In-memory IAppClientStore with optimistic versioning.</summary>
internal sealed class FakeAppClientStore : IAppClientStore
{
    public Dictionary<string, AppClient> Clients { get; } = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(AppClient client, CancellationToken ct = default) => ValueTask.FromResult(Clients.TryAdd(client.ClientId, client));
    public ValueTask<AppClient?> GetAsync(string clientId, CancellationToken ct = default) => ValueTask.FromResult(Clients.GetValueOrDefault(clientId));
    public ValueTask<IReadOnlyList<AppClient>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<AppClient>>(Clients.Values.Where(c => c.UserPoolId == userPoolId && (afterId is null || string.CompareOrdinal(c.ClientId, afterId) > 0)).OrderBy(c => c.ClientId, StringComparer.Ordinal).Take(limit).ToList());
    public ValueTask<bool> UpdateAsync(AppClient client, CancellationToken ct = default)
    {
        if (!Clients.TryGetValue(client.ClientId, out var cur) || cur.Version != client.Version) return ValueTask.FromResult(false);
        Clients[client.ClientId] = client with { Version = client.Version + 1 };
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default) =>
        ValueTask.FromResult(Clients.TryGetValue(clientId, out var c) && c.UserPoolId == userPoolId && Clients.Remove(clientId));
}

/// <summary>A TimeProvider whose clock the test sets.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
