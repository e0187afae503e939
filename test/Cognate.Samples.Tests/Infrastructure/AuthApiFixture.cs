using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cognate.Client;
using Xunit;

[assembly: AssemblyFixture(typeof(Cognate.Samples.Tests.Infrastructure.AuthApiFixture))]

namespace Cognate.Samples.Tests.Infrastructure;

/// <summary>
/// One real Cognate server (child process on 127.0.0.1, rotation delay 0) for the assembly, with a pool like the Go app's (email as
/// username, auto-verified email, a client with a secret) and the sample running against it; plus a second client of that pool and a
/// second pool, whose tokens the sample must refuse.
/// </summary>
public sealed class AuthApiFixture : IAsyncLifetime
{
    public CognateServer Server { get; private set; } = null!;
    public CognitoIdentityProviderClient Admin { get; private set; } = null!;
    public CognitoIdentityProviderClient Public { get; private set; } = null!;
    public string PoolId { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public string ClientSecret { get; private set; } = "";
    public string OtherClientId { get; private set; } = "";
    public string OtherPoolId { get; private set; } = "";
    public string OtherPoolClientId { get; private set; } = "";
    public SampleApp Sample { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await CognateServer.StartAsync(new Dictionary<string, string> { ["Cognate__Keys__ActivationDelaySeconds"] = "0" });
        Admin = Server.Client();
        Public = Server.AnonymousClient();
        (PoolId, ClientId, ClientSecret) = await CreatePoolAndClientAsync(secret: true);
        OtherClientId = await CreateClientAsync(PoolId, secret: false);
        (OtherPoolId, OtherPoolClientId, _) = await CreatePoolAndClientAsync(secret: false);
        Sample = await SampleApp.StartAsync(Server, PoolId, ClientId, ClientSecret);
    }

    public async ValueTask DisposeAsync()
    {
        await Sample.DisposeAsync();
        Admin.Dispose();
        Public.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A pool with email as username and (when the server supports it) EMAIL_OTP as a first factor, and a client.</summary>
    public async Task<(string PoolId, string ClientId, string Secret)> CreatePoolAndClientAsync(bool secret)
    {
        var pool = new JsonObject
        {
            ["PoolName"] = "authapi-" + Guid.NewGuid().ToString("N")[..8],
            ["UsernameAttributes"] = new JsonArray("email"),
            ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        };
        var created = await Admin.InvokeAsync("CreateUserPool", pool);
        var poolId = (string)created["UserPool"]!["Id"]!;
        var (clientId, clientSecret) = await CreateClientWithSecretAsync(poolId, secret);
        return (poolId, clientId, clientSecret ?? "");
    }

    public async Task<string> CreateClientAsync(string poolId, bool secret) => (await CreateClientWithSecretAsync(poolId, secret)).ClientId;

    async Task<(string ClientId, string? Secret)> CreateClientWithSecretAsync(string poolId, bool secret)
    {
        var request = new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["ClientName"] = "authapi",
            ["GenerateSecret"] = secret,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"),
        };
        var r = await Admin.InvokeAsync("CreateUserPoolClient", request);
        return ((string)r["UserPoolClient"]!["ClientId"]!, (string?)r["UserPoolClient"]!["ClientSecret"]);
    }

    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";

    /// <summary>Signs up and confirms through the sample; returns the login data (tokens).</summary>
    public async Task<JsonObject> SignedInUserAsync(SampleApp sample, string email, string password = "Bunty@123")
    {
        using (var r = await sample.Http.PostAsJsonAsync("auth/signup", new { name = "Bunty", email, password })) r.EnsureSuccessStatusCode();
        var code = (string)(await Server.LatestMessageAsync(email))["code"]!;
        using (var r = await sample.Http.PostAsJsonAsync("auth/confirm", new { email, code })) r.EnsureSuccessStatusCode();
        using var login = await sample.Http.PostAsJsonAsync("auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return JsonNode.Parse(await login.Content.ReadAsStringAsync())!["data"]!.AsObject();
    }

    /// <summary>USER_PASSWORD_AUTH straight against Cognate (for tokens of other clients and pools).</summary>
    public async Task<JsonObject> DirectSignInAsync(string poolClientId, string email, string password)
    {
        await Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = poolClientId,
            ["Username"] = email,
            ["Password"] = password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        var code = (string)(await Server.LatestMessageAsync(email))["code"]!;
        await Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = poolClientId, ["Username"] = email, ["ConfirmationCode"] = code });
        var r = await Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["ClientId"] = poolClientId,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = email, ["PASSWORD"] = password },
        });
        return r["AuthenticationResult"]!.AsObject();
    }
}
