using System.Net;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Server.Tests.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// PreAuthentication, PostAuthentication and UserMigration through the real server: the JSON API, the admin API, ForgotPassword
/// and the managed-login page, with functions that cannot be reached (a function ARN no transport serves).
/// </summary>
public sealed class AuthTriggerServerTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    const string Callback = "https://app.example.com/callback";
    static string Unreachable(string name) => $"arn:aws:lambda:us-east-1:000000000000:function:unreachable-{name}-{Guid.NewGuid():N}";

    async Task<(string Pool, string Client)> PoolAsync(JsonObject lambdaConfig, JsonObject? client = null)
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["LambdaConfig"] = lambdaConfig });
        var (clientId, _) = await f.CreateClientAsync(pool, extra: client);
        return (pool, clientId);
    }

    async Task<CognitoServiceException> InitiateFailsAsync(string client, string username, string password, JsonObject? clientMetadata = null)
    {
        var request = new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password },
        };
        if (clientMetadata is not null) request["ClientMetadata"] = clientMetadata;
        return await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth", request));
    }

    [Fact]
    public async Task PreAuthentication_Unreachable_UnexpectedLambda_NoTokens()
    {
        var (pool, client) = await PoolAsync(new JsonObject());
        await f.CreateConfirmedUserAsync(client, "petra", Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool, ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["LambdaConfig"] = new JsonObject { ["PreAuthentication"] = Unreachable("pre") },
        });
        var ex = await InitiateFailsAsync(client, "petra", Password, new JsonObject { ["k"] = "v" });
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        // ClientMetadata is accepted by the admin door too, and the trigger runs there as well.
        var admin = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = "petra", ["PASSWORD"] = Password }, ["ClientMetadata"] = new JsonObject { ["k"] = "v" },
        }));
        admin.ErrorType.ShouldBe("UnexpectedLambdaException");
    }

    [Fact]
    public async Task PostAuthentication_Unreachable_NoTokens()
    {
        var (pool, client) = await PoolAsync(new JsonObject());
        await f.CreateConfirmedUserAsync(client, "paul", Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool, ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["LambdaConfig"] = new JsonObject { ["PostAuthentication"] = Unreachable("post") },
        });
        (await InitiateFailsAsync(client, "paul", Password)).ErrorType.ShouldBe("UnexpectedLambdaException");
        // A wrong password never reaches PostAuthentication.
        (await InitiateFailsAsync(client, "paul", "Wrong-pass1!")).ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task UserMigration_Unreachable_SignInAndForgotPassword_LeaveNoUser()
    {
        var (pool, client) = await PoolAsync(new JsonObject { ["UserMigration"] = Unreachable("migrate") });
        (await InitiateFailsAsync(client, "legacy-larry", "whatever")).ErrorType.ShouldBe("UnexpectedLambdaException");
        var forgot = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ForgotPassword", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "legacy-larry", ["ClientMetadata"] = new JsonObject { ["k"] = "v" },
        }));
        forgot.ErrorType.ShouldBe("UnexpectedLambdaException");
        var get = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "legacy-larry" }));
        get.ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task UserMigration_NotInvokedForAKnownUser()
    {
        var (pool, client) = await PoolAsync(new JsonObject());
        await f.CreateConfirmedUserAsync(client, "known", Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = pool, ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["LambdaConfig"] = new JsonObject { ["UserMigration"] = Unreachable("migrate") },
        });
        (await f.SignInAsync(client, "known", Password))["AccessToken"].ShouldNotBeNull(); // the function would fail: it is not called
    }

    [Fact]
    public async Task HostedLogin_PreAuthenticationFailure_ShowsTheCognitoMessageOnThePage()
    {
        var poolId = await f.CreatePoolAsync();
        var (clientId, _) = await f.CreateClientAsync(poolId, extra: new JsonObject
        {
            ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray(Callback), ["AllowedOAuthFlowsUserPoolClient"] = true, ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        await f.CreateConfirmedUserAsync(clientId, "hana", Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = poolId, ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["LambdaConfig"] = new JsonObject { ["PreAuthentication"] = Unreachable("pre") },
        });
        using var b = new LoginBrowser(f.Server.Endpoint);
        await b.GetAsync($"/login?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid");
        var answer = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "hana", ["Password"] = Password });
        answer.Status.ShouldBe(HttpStatusCode.OK);
        answer.Alert.ShouldNotBeNullOrEmpty(); // the UnexpectedLambdaException message, on the sign-in page, no code
        answer.Alert.ShouldNotBe("Incorrect username or password.");
    }
}
