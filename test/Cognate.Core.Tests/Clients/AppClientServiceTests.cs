using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Clients;

public sealed class AppClientServiceTests
{
    readonly FakeUserPoolStore _poolStore = new();
    readonly FakeAppClientStore _store = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _pools;
    readonly AppClientService _svc;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public AppClientServiceTests()
    {
        _pools = new UserPoolService(_poolStore, _time);
        _svc = new AppClientService(_store, _pools, _time);
    }

    async Task<UserPool> Pool() => await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" },
        [new() { Name = "tenant", AttributeDataType = "String", Mutable = false }], ct: Ct);

    async Task<CognitoException> Fails(AppClientConfig config, bool generateSecret = false)
    {
        var pool = await Pool();
        return await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(pool.Id, config, generateSecret, null, ct: Ct));
    }

    static AppClientConfig Named(AppClientConfig? c = null) => (c ?? new AppClientConfig()) with { ClientName = "app" };

    [Fact]
    public async Task Create_NoOptions_FillsCognitoDefaults()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(), ct: Ct);
        client.ClientId.ShouldMatch("^[a-z0-9]{26}$");
        client.ClientSecret.ShouldBeNull();
        var c = client.Config;
        c.ExplicitAuthFlows.ShouldBe(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]);
        c.RefreshTokenValidity.ShouldBe(30);
        c.AccessTokenValidity.ShouldBeNull();
        c.TokenValidityUnits.ShouldBe(new TokenValidityUnitsType());
        c.AuthSessionValidity.ShouldBe(3);
        c.EnableTokenRevocation.ShouldBe(true);
        c.EnablePropagateAdditionalUserContextData.ShouldBe(false);
        c.AllowedOAuthFlowsUserPoolClient.ShouldBe(false);
        AppClientService.AccessTokenLifetime(client).ShouldBe(TimeSpan.FromHours(1));
        AppClientService.IdTokenLifetime(client).ShouldBe(TimeSpan.FromHours(1));
        AppClientService.RefreshTokenLifetime(client).ShouldBe(TimeSpan.FromDays(30));
        AppClientService.AuthSessionLifetime(client).ShouldBe(TimeSpan.FromMinutes(3));
        AppClientService.PreventsUserExistenceErrors(client).ShouldBeFalse();
    }

    [Fact]
    public async Task Create_GenerateSecret_Has51CharSecret()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(), generateSecret: true, ct: Ct);
        client.ClientSecret!.ShouldMatch("^[a-z0-9]{51}$");
    }

    [Fact]
    public async Task Create_CallerSecret_Kept()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(), clientSecret: "abcdefghijklmnopqrstuvwxyz012345", ct: Ct);
        client.ClientSecret.ShouldBe("abcdefghijklmnopqrstuvwxyz012345");
    }

    [Fact]
    public async Task Create_UnknownPool_ThrowsResourceNotFound()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync("us-east-1_missing", Named(), ct: Ct));
        ex.Error.Message.ShouldBe("User pool us-east-1_missing does not exist.");
    }

    [Fact]
    public async Task Create_LegacyMixedWithAllow_ThrowsInvalidParameter()
    {
        (await Fails(Named(new() { ExplicitAuthFlows = ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_AllowFlowsWithoutRefresh_ThrowsInvalidParameter()
    {
        (await Fails(Named(new() { ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH"] }))).Error.Message.ShouldBe("REFRESH_TOKEN_AUTH should always be allowed.");
    }

    [Theory]
    [InlineData(4, "minutes")]
    [InlineData(25, "hours")]
    [InlineData(2, "days")]
    [InlineData(299, "seconds")]
    public async Task Create_AccessValidityOutOfRange_ThrowsInvalidParameter(int value, string unit)
    {
        var ex = await Fails(Named(new() { AccessTokenValidity = value, TokenValidityUnits = new() { AccessToken = unit } }));
        ex.Error.Message.ShouldBe("Invalid range for token validity.");
    }

    [Theory]
    [InlineData(59, "minutes")]
    [InlineData(3651, "days")]
    public async Task Create_RefreshValidityOutOfRange_ThrowsInvalidParameter(int value, string unit)
    {
        var ex = await Fails(Named(new() { RefreshTokenValidity = value, TokenValidityUnits = new() { RefreshToken = unit } }));
        ex.Error.Message.ShouldBe("Invalid range for token validity.");
    }

    [Fact]
    public async Task Create_AccessLongerThanRefresh_ThrowsInvalidParameter()
    {
        var ex = await Fails(Named(new() { AccessTokenValidity = 2, RefreshTokenValidity = 60, TokenValidityUnits = new() { RefreshToken = "minutes" } }));
        ex.Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_ValiditiesInUnits_LifetimesComputed()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(new()
        {
            AccessTokenValidity = 15, IdTokenValidity = 300, RefreshTokenValidity = 10, AuthSessionValidity = 15,
            TokenValidityUnits = new() { AccessToken = "minutes", IdToken = "seconds" },
        }), ct: Ct);
        AppClientService.AccessTokenLifetime(client).ShouldBe(TimeSpan.FromMinutes(15));
        AppClientService.IdTokenLifetime(client).ShouldBe(TimeSpan.FromMinutes(5));
        AppClientService.RefreshTokenLifetime(client).ShouldBe(TimeSpan.FromDays(10));
        AppClientService.AuthSessionLifetime(client).ShouldBe(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Create_RefreshZero_BecomesThirtyDays()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(new() { RefreshTokenValidity = 0 }), ct: Ct);
        client.Config.RefreshTokenValidity.ShouldBe(30);
    }

    [Fact]
    public async Task Create_ReadAttributesOfSchema_Accepted()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(new() { ReadAttributes = ["email", "email_verified", "custom:tenant"], WriteAttributes = ["email", "name"] }), ct: Ct);
        client.Config.ReadAttributes.ShouldBe(["email", "email_verified", "custom:tenant"]);
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("custom:tenant")]
    [InlineData("custom:unknown")]
    public async Task Create_InvalidWriteAttribute_ThrowsInvalidParameter(string attribute)
    {
        var ex = await Fails(Named(new() { WriteAttributes = [attribute] }));
        ex.Error.Message.ShouldBe("Invalid write attributes specified while creating a client");
    }

    [Fact]
    public async Task Create_UnknownReadAttribute_ThrowsInvalidParameter()
    {
        (await Fails(Named(new() { ReadAttributes = ["shoe_size"] }))).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_ClientCredentialsWithoutSecret_ThrowsInvalidOAuthFlow()
    {
        var ex = await Fails(Named(new() { AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["openid"] }));
        ex.Error.Type.ShouldBe("InvalidOAuthFlowException");
    }

    [Fact]
    public async Task Create_CodeFlowWithoutCallback_ThrowsInvalidOAuthFlow()
    {
        var ex = await Fails(Named(new() { AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"] }));
        ex.Error.Type.ShouldBe("InvalidOAuthFlowException");
    }

    [Fact]
    public async Task Create_UnknownScope_ThrowsScopeDoesNotExist()
    {
        var ex = await Fails(Named(new() { AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], CallbackURLs = ["https://app/cb"], AllowedOAuthScopes = ["api/read"] }));
        ex.Error.Type.ShouldBe("ScopeDoesNotExistException");
    }

    [Fact]
    public async Task Create_CodeFlowComplete_Stored()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(new()
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], CallbackURLs = ["https://app/cb"],
            DefaultRedirectURI = "https://app/cb", AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"],
        }), ct: Ct);
        client.Config.AllowedOAuthScopes.ShouldBe(["openid", "email"]);
    }

    [Fact]
    public async Task Update_OmittedMembers_ResetAndSecretKept()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(new() { ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], AuthSessionValidity = 10, AccessTokenValidity = 2 }), generateSecret: true, ct: Ct);
        var updated = await _svc.UpdateAsync(pool.Id, client.ClientId, new AppClientConfig(), Ct);
        updated.ClientSecret.ShouldBe(client.ClientSecret);
        updated.Config.ClientName.ShouldBe("app");
        updated.Config.ExplicitAuthFlows.ShouldBe(AppClientDefaults.ExplicitAuthFlows);
        updated.Config.AuthSessionValidity.ShouldBe(3);
        updated.Config.AccessTokenValidity.ShouldBeNull();
        _store.Clients[client.ClientId].Version.ShouldBe(1);
    }

    [Fact]
    public async Task Describe_ClientOfOtherPool_ThrowsResourceNotFound()
    {
        var a = await Pool();
        var b = await Pool();
        var client = await _svc.CreateAsync(a.Id, Named(), ct: Ct);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.GetAsync(b.Id, client.ClientId, Ct));
        ex.Error.Message.ShouldBe($"User pool client {client.ClientId} does not exist.");
    }

    [Fact]
    public async Task List_Paged_ReturnsAllClients()
    {
        var pool = await Pool();
        for (int i = 0; i < 3; i++) await _svc.CreateAsync(pool.Id, Named(), ct: Ct);
        var first = await _svc.ListAsync(pool.Id, 2, null, Ct);
        first.Items.Count.ShouldBe(2);
        var second = await _svc.ListAsync(pool.Id, 2, first.NextToken, Ct);
        second.Items.Count.ShouldBe(1);
        second.NextToken.ShouldBeNull();
    }

    [Fact]
    public async Task Delete_Existing_RemovesClient()
    {
        var pool = await Pool();
        var client = await _svc.CreateAsync(pool.Id, Named(), ct: Ct);
        await _svc.DeleteAsync(pool.Id, client.ClientId, Ct);
        _store.Clients.ShouldBeEmpty();
    }

    static AppClient ClientWith(params string[]? flows) => new()
    {
        ClientId = "c", UserPoolId = "us-east-1_x", CreatedAt = default, ModifiedAt = default,
        Config = new AppClientConfig { ExplicitAuthFlows = flows is null ? null : [.. flows] },
    };

    [Theory]
    [InlineData("USER_PASSWORD_AUTH", true)]
    [InlineData("REFRESH_TOKEN_AUTH", true)]
    [InlineData("REFRESH_TOKEN", true)]
    [InlineData("USER_SRP_AUTH", false)]
    [InlineData("ADMIN_USER_PASSWORD_AUTH", false)]
    [InlineData("CUSTOM_AUTH", false)]
    [InlineData("USER_AUTH", false)]
    public void IsAuthFlowEnabled_AllowFlows_MapsFlows(string flow, bool expected) =>
        AppClientService.IsAuthFlowEnabled(ClientWith("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"), flow).ShouldBe(expected);

    [Theory]
    [InlineData("ADMIN_NO_SRP_AUTH", true)]
    [InlineData("ADMIN_USER_PASSWORD_AUTH", true)]
    [InlineData("REFRESH_TOKEN_AUTH", true)]
    [InlineData("USER_PASSWORD_AUTH", false)]
    public void IsAuthFlowEnabled_LegacyFlags_RefreshAlwaysAllowed(string flow, bool expected) =>
        AppClientService.IsAuthFlowEnabled(ClientWith("ADMIN_NO_SRP_AUTH"), flow).ShouldBe(expected);

    [Theory]
    [InlineData("USER_SRP_AUTH", true)]
    [InlineData("CUSTOM_AUTH", true)]
    [InlineData("REFRESH_TOKEN_AUTH", true)]
    [InlineData("USER_PASSWORD_AUTH", false)]
    public void IsAuthFlowEnabled_NoFlowsStored_UsesDefaults(string flow, bool expected) =>
        AppClientService.IsAuthFlowEnabled(ClientWith(null), flow).ShouldBe(expected);

    [Fact]
    public void IsAuthFlowEnabled_CustomAuthFlowOnly_AllowsCustomNotSrp()
    {
        var client = ClientWith("CUSTOM_AUTH_FLOW_ONLY");
        AppClientService.IsAuthFlowEnabled(client, "CUSTOM_AUTH").ShouldBeTrue();
        AppClientService.IsAuthFlowEnabled(client, "USER_SRP_AUTH").ShouldBeFalse();
    }
}
