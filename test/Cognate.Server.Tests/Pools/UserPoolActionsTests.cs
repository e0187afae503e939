using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Pools;

public sealed class UserPoolActionsTests(ServerFixture f)
{
    [Fact]
    public async Task CreateUserPool_Defaults_AreFilledAndDescribed()
    {
        var id = await f.CreatePoolAsync(new JsonObject { ["PoolName"] = "defaults", ["UsernameAttributes"] = new JsonArray("email") });
        var d = (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))["UserPool"]!;
        ((string?)d["Name"]).ShouldBe("defaults");
        ((int)d["Policies"]!["PasswordPolicy"]!["MinimumLength"]!).ShouldBe(8);
        ((bool)d["Policies"]!["PasswordPolicy"]!["RequireSymbols"]!).ShouldBeTrue();
        ((string?)d["MfaConfiguration"]).ShouldBe("OFF");
        ((int)d["EstimatedNumberOfUsers"]!).ShouldBe(0);
        d["SchemaAttributes"]!.AsArray().Select(a => (string?)a!["Name"]).ShouldContain("email");
        d["UsernameAttributes"]!.AsArray().Select(a => (string?)a).ShouldBe(["email"]);
        ((double)d["CreationDate"]!).ShouldBeGreaterThan(1_700_000_000);
    }

    [Fact]
    public async Task CreateUserPool_CustomAttribute_AppearsWithPrefix()
    {
        var id = await f.CreatePoolAsync(new JsonObject
        {
            ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "tenant", ["AttributeDataType"] = "String", ["Mutable"] = true }),
        });
        var d = (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))["UserPool"]!;
        d["SchemaAttributes"]!.AsArray().Select(a => (string?)a!["Name"]).ShouldContain("custom:tenant");
    }

    [Fact]
    public async Task CreateUserPool_UsernameAndAliasAttributes_ReturnsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "bad", ["UsernameAttributes"] = new JsonArray("email"), ["AliasAttributes"] = new JsonArray("phone_number"),
        }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task DescribeUserPool_Unknown_ReturnsResourceNotFound()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = "us-east-1_NoSuchPoo" }));
        ex.ErrorType.ShouldBe("ResourceNotFoundException");
        ex.Message.ShouldBe("User pool us-east-1_NoSuchPoo does not exist.");
    }

    [Fact]
    public async Task ListUserPools_Pages_ThroughAllPools()
    {
        for (int i = 0; i < 3; i++) await f.CreatePoolAsync();
        var seen = new HashSet<string>();
        string? token = null;
        do
        {
            var req = new JsonObject { ["MaxResults"] = 2 };
            if (token is not null) req["NextToken"] = token;
            var r = await f.Admin.InvokeAsync("ListUserPools", req);
            var page = r["UserPools"]!.AsArray();
            page.Count.ShouldBeLessThanOrEqualTo(2);
            foreach (var p in page) seen.Add((string)p!["Id"]!).ShouldBeTrue();
            token = (string?)r["NextToken"];
        } while (token is not null);
        seen.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task ListUserPools_MissingMaxResults_ReturnsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("ListUserPools", []));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task UpdateUserPool_ReplacesPolicy_AndDeletionProtectionBlocksDelete()
    {
        var id = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = id,
            ["DeletionProtection"] = "ACTIVE",
            ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12 } },
        });
        var d = (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))["UserPool"]!;
        ((int)d["Policies"]!["PasswordPolicy"]!["MinimumLength"]!).ShouldBe(12);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = id }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = id, ["DeletionProtection"] = "INACTIVE" });
        await f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = id });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = id }))).ErrorType.ShouldBe("ResourceNotFoundException");
    }
}

public sealed class UserPoolClientActionsTests(ServerFixture f)
{
    [Fact]
    public async Task CreateUserPoolClient_WithSecret_DescribeReturnsSecret()
    {
        var pool = await f.CreatePoolAsync();
        var (clientId, secret) = await f.CreateClientAsync(pool, secret: true);
        clientId.Length.ShouldBe(26);
        secret.ShouldNotBeNull();
        var d = (await f.Admin.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = clientId }))["UserPoolClient"]!;
        ((string?)d["ClientSecret"]).ShouldBe(secret);
        d["ExplicitAuthFlows"]!.AsArray().Select(x => (string?)x).ShouldContain("ALLOW_USER_PASSWORD_AUTH");
    }

    [Fact]
    public async Task CreateUserPoolClient_DefaultFlows_AreCognitos()
    {
        var pool = await f.CreatePoolAsync();
        var r = await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "d" });
        r["UserPoolClient"]!["ExplicitAuthFlows"]!.AsArray().Select(x => (string?)x).ShouldBe(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"], ignoreOrder: true);
    }

    [Fact]
    public async Task CreateUserPoolClient_MixedLegacyFlows_ReturnsInvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "m", ["ExplicitAuthFlows"] = new JsonArray("USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task ListUpdateDeleteUserPoolClient_Lifecycle()
    {
        var pool = await f.CreatePoolAsync();
        var (a, _) = await f.CreateClientAsync(pool);
        var (b, _) = await f.CreateClientAsync(pool);
        var list = (await f.Admin.InvokeAsync("ListUserPoolClients", new JsonObject { ["UserPoolId"] = pool }))["UserPoolClients"]!.AsArray();
        list.Select(c => (string?)c!["ClientId"]).ShouldBe([a, b], ignoreOrder: true);
        var u = await f.Admin.InvokeAsync("UpdateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = a, ["ClientName"] = "renamed", ["AccessTokenValidity"] = 30, ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes" } });
        ((string?)u["UserPoolClient"]!["ClientName"]).ShouldBe("renamed");
        await f.Admin.InvokeAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = b });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = b }));
        ex.ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task AccessTokenValidity_InMinutes_IsHonouredByExpiresIn()
    {
        var pool = await f.CreatePoolAsync();
        var (clientId, _) = await f.CreateClientAsync(pool, extra: new JsonObject { ["AccessTokenValidity"] = 15, ["TokenValidityUnits"] = new JsonObject { ["AccessToken"] = "minutes" } });
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(clientId, "val", "Passw0rd!", email);
        var tokens = await f.SignInAsync(clientId, "val", "Passw0rd!");
        ((int)tokens["ExpiresIn"]!).ShouldBe(900);
    }
}
