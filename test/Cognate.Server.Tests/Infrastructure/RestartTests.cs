using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>Data survives a hard kill: pools, clients, users, signing keys and refresh tokens.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task KillAndRestart_EverythingStillValid()
    {
        await using var server = await CognateServer.StartAsync();
        using var admin = server.Client();
        using var anon = server.AnonymousClient();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "durable", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "c", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") }))["UserPoolClient"]!["ClientId"]!;
        await admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy", ["MessageAction"] = "SUPPRESS" });
        await admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ivy", ["Password"] = "Passw0rd!", ["Permanent"] = true });
        var t = (await anon.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = "ivy", ["PASSWORD"] = "Passw0rd!" } }))["AuthenticationResult"]!;
        var jwksBefore = await server.Http.GetStringAsync(new Uri(server.Endpoint, $"{pool}/.well-known/jwks.json"));

        await server.RestartAsync();

        var jwksAfter = await server.Http.GetStringAsync(new Uri(server.Endpoint, $"{pool}/.well-known/jwks.json"));
        jwksAfter.ShouldBe(jwksBefore);
        await anon.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! });
        var refreshed = await anon.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)t["RefreshToken"]! } });
        ((string?)refreshed["AuthenticationResult"]!["AccessToken"]).ShouldNotBeNullOrEmpty();
        await anon.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = "ivy", ["PASSWORD"] = "Passw0rd!" } });
    }
}
