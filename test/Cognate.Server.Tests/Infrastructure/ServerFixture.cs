using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Xunit;

[assembly: AssemblyFixture(typeof(Cognate.Server.Tests.Infrastructure.ServerFixture))]

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>One real server for the whole test assembly; tests isolate themselves by creating their own pools.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public CognateServer Server { get; private set; } = null!;
    public CognitoIdentityProviderClient Admin { get; private set; } = null!;
    public CognitoIdentityProviderClient Public { get; private set; } = null!;

    /// <summary>The Lambda Invoke API the server calls for every pool's triggers (<c>Cognate:Lambda:Endpoint</c>): register a
    /// function, put its ARN in a pool's LambdaConfig, read what it received. Any other ARN answers 404 ResourceNotFoundException,
    /// so the server reports <c>UnexpectedLambdaException</c> for it.</summary>
    public FakeLambda Lambda { get; private set; } = null!;

    /// <summary>The server's <c>Cognate:LogDelivery:Directory</c>: where pools' log delivery destinations are written as JSON lines.</summary>
    public string LogDeliveryDirectory { get; } = Path.Combine(Path.GetTempPath(), "cognate-logdelivery-" + Guid.NewGuid().ToString("N")[..12]);

    public async ValueTask InitializeAsync()
    {
        Lambda = await FakeLambda.StartAsync();
        var environment = Lambda.ServerEnvironment();
        environment["Cognate__LogDelivery__Directory"] = LogDeliveryDirectory;
        Server = await CognateServer.StartAsync(environment);
        Admin = Server.Client();
        Public = Server.AnonymousClient();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Public.Dispose();
        await Server.DisposeAsync();
        await Lambda.DisposeAsync();
        try { Directory.Delete(LogDeliveryDirectory, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    /// <summary>Creates a pool (email auto-verified unless <paramref name="pool"/> says otherwise) and returns its id.</summary>
    public async Task<string> CreatePoolAsync(JsonObject? pool = null)
    {
        pool ??= [];
        pool["PoolName"] ??= "test-" + Guid.NewGuid().ToString("N")[..8];
        pool["AutoVerifiedAttributes"] ??= new JsonArray("email");
        var r = await Admin.InvokeAsync("CreateUserPool", pool);
        return (string)r["UserPool"]!["Id"]!;
    }

    /// <summary>Creates a client with USER_PASSWORD_AUTH and refresh enabled; returns (id, secret or null).</summary>
    public async Task<(string ClientId, string? Secret)> CreateClientAsync(string poolId, bool secret = false, JsonObject? extra = null)
    {
        var req = extra ?? [];
        req["UserPoolId"] = poolId;
        req["ClientName"] ??= "client";
        req["GenerateSecret"] = secret;
        req["ExplicitAuthFlows"] ??= new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH");
        var r = await Admin.InvokeAsync("CreateUserPoolClient", req);
        return ((string)r["UserPoolClient"]!["ClientId"]!, (string?)r["UserPoolClient"]!["ClientSecret"]);
    }

    public static string SecretHash(string secret, string username, string clientId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username + clientId)));

    /// <summary>Signs up and confirms (code from the outbox) <paramref name="username"/>; returns the sub.</summary>
    public async Task<string> CreateConfirmedUserAsync(string clientId, string username, string password, string email, string? secret = null)
    {
        var req = new JsonObject
        {
            ["ClientId"] = clientId,
            ["Username"] = username,
            ["Password"] = password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        };
        if (secret is not null) req["SecretHash"] = SecretHash(secret, username, clientId);
        var r = await Public.InvokeAsync("SignUp", req);
        var code = (string)(await Server.LatestMessageAsync(email))["code"]!;
        var confirm = new JsonObject { ["ClientId"] = clientId, ["Username"] = username, ["ConfirmationCode"] = code };
        if (secret is not null) confirm["SecretHash"] = SecretHash(secret, username, clientId);
        await Public.InvokeAsync("ConfirmSignUp", confirm);
        return (string)r["UserSub"]!;
    }

    /// <summary>USER_PASSWORD_AUTH sign-in; returns the AuthenticationResult.</summary>
    public async Task<JsonObject> SignInAsync(string clientId, string username, string password, string? secret = null)
    {
        var p = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password };
        if (secret is not null) p["SECRET_HASH"] = SecretHash(secret, username, clientId);
        var r = await Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = clientId, ["AuthParameters"] = p });
        return r["AuthenticationResult"]!.AsObject();
    }

    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";
}
