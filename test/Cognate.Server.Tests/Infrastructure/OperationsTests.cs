using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>Readiness, the <c>migrate</c> command and master-key rotation (<c>rekey</c>) on the suite's provider.</summary>
public sealed class OperationsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthReady_MigratedDatabase_Returns200()
    {
        await using var server = await CognateServer.StartAsync();

        using var ready = await server.Http.GetAsync(new Uri(server.Endpoint, "health/ready"), Ct);

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync(Ct)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task MigrateCommand_AlreadyMigrated_ExitsZeroAndReportsVersion()
    {
        await using var server = await CognateServer.StartAsync();

        var (code, output) = await server.RunCommandAsync(null, "migrate");

        code.ShouldBe(0, output);
        // The newest embedded migration (both providers ship the same numbers; gaps are allowed).
        var newest = typeof(Cognate.Storage.ISecretSealer).Assembly.GetManifestResourceNames()
            .Select(n => System.Text.RegularExpressions.Regex.Match(n, @"\.Migrations\.(\d{4})_\w+\.sql$"))
            .Where(m => m.Success).Max(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        output.ShouldContain($"schema version {newest}");
    }

    [Fact]
    public async Task Rekey_NewMasterKey_SecretsStillWorkUnderNewKeyOnly()
    {
        await using var server = await CognateServer.StartAsync();
        using var admin = server.Client();
        using var anon = server.AnonymousClient();
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "rekey" }))["UserPool"]!["Id"]!;
        var created = (await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "c", ["GenerateSecret"] = true,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!;
        var (client, secret) = ((string)created["ClientId"]!, (string)created["ClientSecret"]!);
        await admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "kim", ["MessageAction"] = "SUPPRESS" });
        await admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "kim", ["Password"] = "Passw0rd!", ["Permanent"] = true });
        var jwks = await server.Http.GetStringAsync(new Uri(server.Endpoint, $"{pool}/.well-known/jwks.json"), Ct);
        var newKey = Core.Crypto.MasterKeyProtector.GenerateMasterKeyBase64();
        server.Kill();

        var (code, output) = await server.RunCommandAsync(new Dictionary<string, string> { ["Cognate__NewMasterKey"] = newKey }, "rekey");
        code.ShouldBe(0, output);
        output.ShouldNotContain(newKey);
        output.ShouldContain("app_clients 1");
        output.ShouldContain("users 1");

        // The old (development) key no longer opens anything: a node still on it fails to start.
        (await server.RunCommandAsync(new Dictionary<string, string> { ["Cognate__NewMasterKey"] = Core.Crypto.MasterKeyProtector.GenerateMasterKeyBase64() }, "rekey")).ExitCode.ShouldBe(1);

        server.Environment["Cognate__MasterKey"] = newKey;
        await server.StartAgainAsync();
        (await server.Http.GetStringAsync(new Uri(server.Endpoint, $"{pool}/.well-known/jwks.json"), Ct)).ShouldBe(jwks);
        var described = await admin.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client });
        ((string)described["UserPoolClient"]!["ClientSecret"]!).ShouldBe(secret);
        var auth = await anon.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = "kim", ["PASSWORD"] = "Passw0rd!", ["SECRET_HASH"] = ServerFixture.SecretHash(secret, "kim", client) },
        });
        await anon.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)auth["AuthenticationResult"]!["AccessToken"]! });
    }
}
