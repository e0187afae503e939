using System.Net;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Server.Tests.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// PreAuthentication, PostAuthentication and UserMigration through the real server and the AWS Lambda Invoke API, with the
/// test fixture's fake Lambda service running the functions (event recorded field by field).
/// </summary>
public sealed class AuthTriggerLambdaTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    const string Callback = "https://app.example.com/callback";

    async Task<(string Pool, string Client)> PoolAsync(JsonObject? lambdaConfig = null, JsonObject? client = null)
    {
        var pool = await f.CreatePoolAsync();
        var (clientId, _) = await f.CreateClientAsync(pool, extra: client);
        if (lambdaConfig is not null) await TriggersAsync(pool, lambdaConfig);
        return (pool, clientId);
    }

    Task TriggersAsync(string pool, JsonObject lambdaConfig) => f.Admin.InvokeAsync("UpdateUserPool", new JsonObject
    {
        ["UserPoolId"] = pool, ["AutoVerifiedAttributes"] = new JsonArray("email"), ["LambdaConfig"] = lambdaConfig,
    });

    Task<JsonObject> InitiateAsync(string client, string username, string password, JsonObject? clientMetadata = null)
    {
        var request = new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password },
        };
        if (clientMetadata is not null) request["ClientMetadata"] = clientMetadata;
        return f.Public.InvokeAsync("InitiateAuth", request);
    }

    /// <summary>The guide's legacy store: lena / legacy-pw.</summary>
    static JsonObject Legacy(JsonObject e)
    {
        if ((string)e["userName"]! != "lena" || ((string)e["triggerSource"]! == "UserMigration_Authentication" && (string?)e["request"]!["password"] != "legacy-pw"))
        {
            throw new InvalidOperationException("Bad password");
        }
        e["response"] = new JsonObject
        {
            ["userAttributes"] = new JsonObject { ["email"] = "lena@example.com", ["email_verified"] = "true" },
            ["finalUserStatus"] = "CONFIRMED", ["messageAction"] = "SUPPRESS",
        };
        return e;
    }

    [Fact]
    public async Task PreAuthentication_Deny_And_EventFields()
    {
        var blocked = f.Lambda.RegisterError("Cannot authenticate users from this user pool app client");
        var (pool, client) = await PoolAsync();
        await f.CreateConfirmedUserAsync(client, "petra", Password, ServerFixture.NewEmail());
        await TriggersAsync(pool, new JsonObject { ["PreAuthentication"] = blocked });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(client, "petra", Password, new JsonObject { ["app"] = "web" }));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldContain("PreAuthentication failed with error Cannot authenticate users from this user pool app client.");
        var e = f.Lambda.Events(blocked).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("PreAuthentication_Authentication");
        ((string)e["userPoolId"]!).ShouldBe(pool);
        ((string)e["userName"]!).ShouldBe("petra");
        ((string)e["callerContext"]!["clientId"]!).ShouldBe(client);
        ((string)e["request"]!["userAttributes"]!["cognito:user_status"]!).ShouldBe("CONFIRMED");
        ((string)e["request"]!["validationData"]!["app"]!).ShouldBe("web");
    }

    [Fact]
    public async Task PreAuthentication_UserNotFound_WithPreventUserExistenceErrors()
    {
        var arn = f.Lambda.Register(e => e);
        var (_, client) = await PoolAsync(new JsonObject { ["PreAuthentication"] = arn }, new JsonObject { ["PreventUserExistenceErrors"] = "ENABLED" });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(client, "ghost", Password));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((bool)e["request"]!["userNotFound"]!).ShouldBeTrue();
        ((string)e["userName"]!).ShouldBe("ghost");
    }

    [Fact]
    public async Task PostAuthentication_Throw_NoTokens_Success_Tokens()
    {
        var failing = f.Lambda.RegisterError("audit down");
        var (pool, client) = await PoolAsync();
        await f.CreateConfirmedUserAsync(client, "paul", Password, ServerFixture.NewEmail());
        await TriggersAsync(pool, new JsonObject { ["PostAuthentication"] = failing });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(client, "paul", Password));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldContain("PostAuthentication failed with error audit down.");
        var e = f.Lambda.Events(failing).ShouldHaveSingleItem();
        ((bool)e["request"]!["newDeviceUsed"]!).ShouldBeFalse();

        var ok = f.Lambda.Register(e => e);
        await TriggersAsync(pool, new JsonObject { ["PostAuthentication"] = ok });
        (await InitiateAsync(client, "paul", Password))["AuthenticationResult"]!["AccessToken"].ShouldNotBeNull();
        f.Lambda.Events(ok).Count.ShouldBe(1);
    }

    [Fact]
    public async Task UserMigration_SignIn_ThenSecondSignInDoesNotInvoke_PerPool()
    {
        var arn = f.Lambda.Register(Legacy);
        var (pool, client) = await PoolAsync(new JsonObject { ["UserMigration"] = arn });
        var (_, otherClient) = await PoolAsync();
        (await InitiateAsync(client, "lena", "legacy-pw", new JsonObject { ["k"] = "v" }))["AuthenticationResult"]!["IdToken"].ShouldNotBeNull();
        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("UserMigration_Authentication");
        ((string)e["request"]!["password"]!).ShouldBe("legacy-pw");
        ((string)e["request"]!["validationData"]!["k"]!).ShouldBe("v");
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lena" });
        ((string)user["UserStatus"]!).ShouldBe("CONFIRMED");
        (await InitiateAsync(client, "lena", "legacy-pw"))["AuthenticationResult"].ShouldNotBeNull();
        f.Lambda.Events(arn).Count.ShouldBe(1); // the second sign-in finds the user
        // Another pool without the trigger: lena is unknown there and nothing is invoked.
        (await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(otherClient, "lena", "legacy-pw"))).ErrorType.ShouldBe("UserNotFoundException");
        f.Lambda.Events(arn).Count.ShouldBe(1);
    }

    [Fact]
    public async Task UserMigration_Failures_LeaveNoUser()
    {
        var throws = f.Lambda.Register(Legacy);
        var garbage = f.Lambda.Register(e => { e["response"] = new JsonObject { ["userAttributes"] = new JsonObject { ["email"] = 7 } }; return e; });
        var (pool, client) = await PoolAsync(new JsonObject { ["UserMigration"] = throws });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(client, "lena", "wrong"));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldContain("UserMigration failed with error Bad password.");
        await TriggersAsync(pool, new JsonObject { ["UserMigration"] = garbage });
        (await Should.ThrowAsync<CognitoServiceException>(() => InitiateAsync(client, "lena", "legacy-pw"))).ErrorType.ShouldBe("InvalidLambdaResponseException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lena" })))
            .ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task UserMigration_ForgotPassword_CreatesResetRequiredUser_AndSendsTheCode()
    {
        var arn = f.Lambda.Register(Legacy);
        var (pool, client) = await PoolAsync(new JsonObject { ["UserMigration"] = arn });
        var r = await f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "lena", ["ClientMetadata"] = new JsonObject { ["k"] = "v" } });
        ((string)r["CodeDeliveryDetails"]!["DeliveryMedium"]!).ShouldBe("EMAIL");
        var e = f.Lambda.Events(arn).ShouldHaveSingleItem();
        ((string)e["triggerSource"]!).ShouldBe("UserMigration_ForgotPassword");
        ((string)e["request"]!["clientMetadata"]!["k"]!).ShouldBe("v");
        e["request"]!.AsObject().ContainsKey("password").ShouldBeFalse();
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lena" });
        ((string)user["UserStatus"]!).ShouldBe("RESET_REQUIRED");
        var code = (string)(await f.Server.LatestMessageAsync("lena@example.com"))["code"]!;
        await f.Public.InvokeAsync("ConfirmForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "lena", ["ConfirmationCode"] = code, ["Password"] = "New-Passw0rd!" });
        (await InitiateAsync(client, "lena", "New-Passw0rd!"))["AuthenticationResult"].ShouldNotBeNull();
    }

    [Fact]
    public async Task UserMigration_ConcurrentFirstSignIns_OneUser()
    {
        var arn = f.Lambda.Register(async e => { await Task.Delay(200); return Legacy(e); });
        var (pool, client) = await PoolAsync(new JsonObject { ["UserMigration"] = arn });
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => InitiateAsync(client, "lena", "legacy-pw")));
        results.ShouldAllBe(r => r["AuthenticationResult"] != null);
        var list = await f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool });
        list["Users"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task HostedLogin_PreAuthenticationDeny_ShowsTheMessage()
    {
        var blocked = f.Lambda.RegisterError("Not today");
        var poolId = await f.CreatePoolAsync();
        var (clientId, _) = await f.CreateClientAsync(poolId, extra: new JsonObject
        {
            ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray(Callback), ["AllowedOAuthFlowsUserPoolClient"] = true, ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        await f.CreateConfirmedUserAsync(clientId, "hana", Password, ServerFixture.NewEmail());
        await TriggersAsync(poolId, new JsonObject { ["PreAuthentication"] = blocked });
        using var b = new LoginBrowser(f.Server.Endpoint);
        await b.GetAsync($"/login?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid");
        var answer = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "hana", ["Password"] = Password });
        answer.Status.ShouldBe(HttpStatusCode.OK);
        answer.Alert.ShouldBe("PreAuthentication failed with error Not today.");
    }
}
