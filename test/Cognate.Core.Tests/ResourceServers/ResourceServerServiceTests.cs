using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.ResourceServers;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.ResourceServers;

/// <summary>In-memory resource-server store.</summary>
internal sealed class FakeResourceServerStore : IResourceServerStore
{
    public SortedDictionary<string, ResourceServer> Servers { get; } = new(StringComparer.Ordinal);
    static string Key(string pool, string id) => pool + "\n" + id;

    public ValueTask<bool> CreateAsync(ResourceServer s, CancellationToken ct = default) => ValueTask.FromResult(Servers.TryAdd(Key(s.UserPoolId, s.Identifier), s));
    public ValueTask<ResourceServer?> GetAsync(string userPoolId, string identifier, CancellationToken ct = default) => ValueTask.FromResult(Servers.GetValueOrDefault(Key(userPoolId, identifier)));
    public ValueTask<IReadOnlyList<ResourceServer>> ListAsync(string userPoolId, string? after, int limit, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<ResourceServer>>(Servers.Values.Where(s => s.UserPoolId == userPoolId && (after is null || string.CompareOrdinal(s.Identifier, after) > 0)).Take(limit).ToList());
    public ValueTask<bool> UpdateAsync(ResourceServer s, CancellationToken ct = default)
    {
        if (!Servers.ContainsKey(Key(s.UserPoolId, s.Identifier))) return ValueTask.FromResult(false);
        Servers[Key(s.UserPoolId, s.Identifier)] = s;
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string identifier, CancellationToken ct = default) => ValueTask.FromResult(Servers.Remove(Key(userPoolId, identifier)));
    public ValueTask<int> CountAsync(string userPoolId, CancellationToken ct = default) => ValueTask.FromResult(Servers.Values.Count(s => s.UserPoolId == userPoolId));
}

public sealed class ResourceServerServiceTests
{
    readonly FakeUserPoolStore _poolStore = new();
    readonly FakeResourceServerStore _store = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _pools;
    readonly ResourceServerService _svc;
    readonly AppClientService _clients;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ResourceServerServiceTests()
    {
        _pools = new UserPoolService(_poolStore, _time);
        _svc = new ResourceServerService(_store, _time);
        _clients = new AppClientService(new FakeAppClientStore(), _pools, _time, _svc);
    }

    async Task<UserPool> Pool() => await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" }, [], ct: Ct);

    [Fact]
    public async Task Create_26th_LimitExceeded()
    {
        var pool = await Pool();
        for (int i = 0; i < ResourceServerService.MaxPerPool; i++) await _svc.CreateAsync(pool, $"api{i:D2}", "n", null, Ct);
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(pool, "one-more", "n", null, Ct))).Error.Type.ShouldBe("LimitExceededException");
    }

    [Fact]
    public async Task Create_ExistingIdentifierOrDuplicateScope_InvalidParameter()
    {
        var pool = await Pool();
        await _svc.CreateAsync(pool, "api", "n", null, Ct);
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(pool, "api", "n", null, Ct))).Error.Type.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(pool, "api2", "n", [new("read", "a"), new("read", "b")], Ct))).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task List_PagesByIdentifier_AllVisited()
    {
        var pool = await Pool();
        foreach (var id in new[] { "c", "a", "b" }) await _svc.CreateAsync(pool, id, "n", null, Ct);
        var first = await _svc.ListAsync(pool, 2, null, Ct);
        first.Items.Select(s => s.Identifier).ShouldBe(["a", "b"]);
        var second = await _svc.ListAsync(pool, 2, first.NextToken, Ct);
        second.Items.Select(s => s.Identifier).ShouldBe(["c"]);
        second.NextToken.ShouldBeNull();
    }

    [Fact]
    public async Task ClientScopes_CustomScopeExists_AcceptedAfterDeleteRefused()
    {
        var pool = await Pool();
        await _svc.CreateAsync(pool, "https://api.example.com", "api", [new("read", "Read")], Ct);
        var config = new AppClientConfig
        {
            ClientName = "m2m", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["https://api.example.com/read"],
        };
        var client = await _clients.CreateAsync(pool.Id, config, generateSecret: true, ct: Ct);
        client.Config.AllowedOAuthScopes.ShouldBe(["https://api.example.com/read"]);

        (await Should.ThrowAsync<CognitoException>(async () => await _clients.CreateAsync(pool.Id, config with { AllowedOAuthScopes = ["https://api.example.com/write"] }, generateSecret: true, ct: Ct)))
            .Error.Type.ShouldBe("ScopeDoesNotExistException");
        await _svc.DeleteAsync(pool, "https://api.example.com", Ct);
        (await Should.ThrowAsync<CognitoException>(async () => await _clients.UpdateAsync(pool.Id, client.ClientId, config, Ct))).Error.Type.ShouldBe("ScopeDoesNotExistException");
    }
}
