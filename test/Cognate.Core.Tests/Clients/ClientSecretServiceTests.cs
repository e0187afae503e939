using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.OAuth;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Clients;

/// <summary>Client-secret rotation rules with a fake clock: ids, the limit of two, the last secret, and verification against either.</summary>
public sealed class ClientSecretServiceTests
{
    readonly FakeUserPoolStore _poolStore = new();
    readonly FakeAppClientStore _store = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _pools;
    readonly AppClientService _clients;
    readonly ClientSecretService _svc;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ClientSecretServiceTests()
    {
        _pools = new UserPoolService(_poolStore, _time);
        _clients = new AppClientService(_store, _pools, _time);
        _svc = new ClientSecretService(_store, _clients, _time);
    }

    async Task<AppClient> ClientAsync(bool secret)
    {
        var pool = await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" }, [], ct: Ct);
        return await _clients.CreateAsync(pool.Id, new AppClientConfig { ClientName = "app" }, generateSecret: secret, ct: Ct);
    }

    [Fact]
    public async Task Add_SameMillisecondAsClient_DistinctIdAndBothVerify()
    {
        var client = await ClientAsync(secret: true);
        var (added, generated) = await _svc.AddAsync(client.UserPoolId, client.ClientId, null, Ct);
        generated.ShouldBeTrue();
        var listed = await _svc.ListAsync(client.UserPoolId, client.ClientId, Ct);
        listed.Select(s => s.Id).ShouldBe([client.ClientId + "--" + _time.Now.ToUnixTimeMilliseconds(), client.ClientId + "--" + (_time.Now.ToUnixTimeMilliseconds() + 1)]);
        listed[1].Id.ShouldBe(added.IdFor(client.ClientId));

        var stored = _store.Clients[client.ClientId];
        ClientAuthentication.Verify(stored, client.ClientSecret).ShouldBeTrue();
        ClientAuthentication.Verify(stored, added.Value).ShouldBeTrue();
        ClientAuthentication.Verify(stored, added.Value + "x").ShouldBeFalse();
        UserLookup.SecretHashError(stored, Cognate.Core.Crypto.SecretHash.Compute(added.Value, "alice", client.ClientId), "alice").ShouldBeNull();
        UserLookup.SecretHashError(stored, Cognate.Core.Crypto.SecretHash.Compute("not-a-secret-of-this-client", "alice", client.ClientId), "alice").ShouldNotBeNull();
    }

    [Fact]
    public async Task Add_ThirdOrPublic_Refused()
    {
        var client = await ClientAsync(secret: true);
        await _svc.AddAsync(client.UserPoolId, client.ClientId, "given_secret_value_0123456789", Ct);
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.AddAsync(client.UserPoolId, client.ClientId, null, Ct))).Error.Type.ShouldBe("LimitExceededException");
        var open = await ClientAsync(secret: false);
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.AddAsync(open.UserPoolId, open.ClientId, null, Ct))).Error.Type.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.AddAsync(client.UserPoolId, client.ClientId, "short", Ct))).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Delete_First_SecondBecomesFirstAndLastStays()
    {
        var client = await ClientAsync(secret: true);
        _time.Now = _time.Now.AddMinutes(1);
        var (added, _) = await _svc.AddAsync(client.UserPoolId, client.ClientId, null, Ct);
        var firstId = (await _svc.ListAsync(client.UserPoolId, client.ClientId, Ct))[0].Id;
        await _svc.DeleteAsync(client.UserPoolId, client.ClientId, firstId, Ct);
        var stored = _store.Clients[client.ClientId];
        stored.ClientSecret.ShouldBe(added.Value);
        stored.SecondSecret.ShouldBeNull();
        ClientAuthentication.Verify(stored, client.ClientSecret).ShouldBeFalse();
        (await _svc.ListAsync(client.UserPoolId, client.ClientId, Ct)).Single().Id.ShouldBe(added.IdFor(client.ClientId));
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.DeleteAsync(client.UserPoolId, client.ClientId, added.IdFor(client.ClientId), Ct))).Error.Type.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.DeleteAsync(client.UserPoolId, client.ClientId, firstId, Ct))).Error.Type.ShouldBe("ResourceNotFoundException");
    }
}
