using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Users;

public sealed class UserLifecycleTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    async Task<(string Pool, string Client, string Email)> UserAsync(string username, JsonObject? clientExtra = null)
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: clientExtra);
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, username, Password, email);
        return (pool, client, email);
    }

    Task<JsonObject> AdminAuth(string pool, string client, string flow, JsonObject parameters) =>
        f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = flow, ["AuthParameters"] = parameters });

    [Fact]
    public async Task AdminInitiateAuth_PasswordFlowsAndRefresh_FollowExplicitAuthFlows()
    {
        var (pool, client, _) = await UserAsync("ann");
        foreach (var flow in new[] { "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH" })
        {
            var r = await AdminAuth(pool, client, flow, new JsonObject { ["USERNAME"] = "ann", ["PASSWORD"] = Password });
            var refresh = (string)r["AuthenticationResult"]!["RefreshToken"]!;
            var again = await AdminAuth(pool, client, "REFRESH_TOKEN_AUTH", new JsonObject { ["REFRESH_TOKEN"] = refresh });
            ((string?)again["AuthenticationResult"]!["IdToken"]).ShouldNotBeNullOrEmpty();
        }
        var publicOnly = await f.CreateClientAsync(pool, extra: new JsonObject { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") });
        var refused = await Should.ThrowAsync<CognitoServiceException>(() => AdminAuth(pool, publicOnly.ClientId, "ADMIN_USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "ann", ["PASSWORD"] = Password }));
        refused.ErrorType.ShouldBe("InvalidParameterException");
        refused.Message.ShouldBe("Auth flow not enabled for this client");
        var userFlow = await Should.ThrowAsync<CognitoServiceException>(() => AdminAuth(pool, client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "ann", ["PASSWORD"] = Password }));
        userFlow.ErrorType.ShouldBe("InvalidParameterException");
        var wrong = await Should.ThrowAsync<CognitoServiceException>(() => AdminAuth(pool, client, "ADMIN_USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "ann", ["PASSWORD"] = "Wrong-Passw0rd" }));
        wrong.ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task AdminRespondToAuthChallenge_NewPasswordRequired_IssuesTokens()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "tom", ["TemporaryPassword"] = "Temp-Passw0rd", ["MessageAction"] = "SUPPRESS" });
        var r = await AdminAuth(pool, client, "ADMIN_USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "tom", ["PASSWORD"] = "Temp-Passw0rd" });
        ((string?)r["ChallengeName"]).ShouldBe("NEW_PASSWORD_REQUIRED");
        var bad = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = "x".PadRight(40, 'x'),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "tom", ["NEW_PASSWORD"] = "Final-Passw0rd" },
        }));
        bad.ErrorType.ShouldBe("NotAuthorizedException");
        var done = await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = (string)r["Session"]!,
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "tom", ["NEW_PASSWORD"] = "Final-Passw0rd" },
        });
        ((string?)done["AuthenticationResult"]!["AccessToken"]).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task AdminDisableUser_BlocksSignInRefreshAndTokens_EnableRestoresSignIn()
    {
        var (pool, client, _) = await UserAsync("bob");
        var tokens = await f.SignInAsync(client, "bob", Password);
        await f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        ((bool?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" }))["Enabled"]).ShouldBe(false);

        var signIn = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "bob", Password));
        (signIn.ErrorType, signIn.Message).ShouldBe(("NotAuthorizedException", "User is disabled."));
        var refresh = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = (string)tokens["RefreshToken"]! },
        }));
        refresh.ErrorType.ShouldBe("NotAuthorizedException");
        var getUser = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]! }));
        getUser.ErrorType.ShouldBe("NotAuthorizedException");

        await f.Admin.InvokeAsync("AdminEnableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        var fresh = await f.SignInAsync(client, "bob", Password);
        await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)fresh["AccessToken"]! });
        var missing = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost" }));
        missing.ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task AdminResetUserPassword_ResetRequiredUntilConfirmForgotPassword()
    {
        var (pool, client, email) = await UserAsync("cat");
        await f.Admin.InvokeAsync("AdminResetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "cat" });
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "cat" }))["UserStatus"]).ShouldBe("RESET_REQUIRED");
        var signIn = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "cat", Password));
        signIn.ErrorType.ShouldBe("PasswordResetRequiredException");
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        await f.Public.InvokeAsync("ConfirmForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "cat", ["ConfirmationCode"] = code, ["Password"] = "New-Passw0rd" });
        await f.SignInAsync(client, "cat", "New-Passw0rd");

        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fresh", ["MessageAction"] = "SUPPRESS" });
        var forced = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminResetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fresh" }));
        (forced.ErrorType, forced.Message).ShouldBe(("NotAuthorizedException", "User password cannot be reset in the current state."));
    }

    [Fact]
    public async Task Lockout_FiveFailures_PasswordAttemptsExceededThenExpires_AndAuthEventsRecorded()
    {
        var (pool, client, _) = await UserAsync("dan");
        for (int i = 0; i < 5; i++)
        {
            var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "dan", "Wrong-Passw0rd"));
            ex.Message.ShouldBe("Incorrect username or password.");
        }
        var locked = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "dan", Password));
        (locked.ErrorType, locked.Message).ShouldBe(("NotAuthorizedException", "Password attempts exceeded"));
        var adminLocked = await Should.ThrowAsync<CognitoServiceException>(() => AdminAuth(pool, client, "ADMIN_USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "dan", ["PASSWORD"] = Password }));
        adminLocked.Message.ShouldBe("Password attempts exceeded");
        await Task.Delay(1200); // 5 failures lock for 2^0 = 1 s
        await f.SignInAsync(client, "dan", Password);
        var wrongAgain = await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "dan", "Wrong-Passw0rd"));
        wrongAgain.Message.ShouldBe("Incorrect username or password."); // the success reset the count

        var events = await f.Admin.InvokeAsync("AdminListUserAuthEvents", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dan", ["MaxResults"] = 3 });
        var list = events["AuthEvents"]!.AsArray();
        list.Count.ShouldBe(3);
        ((string?)list[0]!["EventType"]).ShouldBe("SignIn");
        ((string?)list[0]!["EventResponse"]).ShouldBe("Fail");
        ((string?)list[1]!["EventResponse"]).ShouldBe("Pass");
        ((string?)list[1]!["ChallengeResponses"]![0]!["ChallengeName"]).ShouldBe("Password");
        ((string?)list[1]!["ChallengeResponses"]![0]!["ChallengeResponse"]).ShouldBe("Success");
        list[0]!["CreationDate"].ShouldNotBeNull();
        var next = await f.Admin.InvokeAsync("AdminListUserAuthEvents", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dan", ["NextToken"] = (string)events["NextToken"]! });
        next["AuthEvents"]!.AsArray().Count.ShouldBe(4); // 5 failures + pass + fail = 7: attempts refused while locked add no row
        var missing = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminListUserAuthEvents", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost" }));
        missing.ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task AdminUserGlobalSignOut_AdminDeleteUserAttributes_DeleteUserAttributes()
    {
        var (pool, client, _) = await UserAsync("eve");
        var tokens = await f.SignInAsync(client, "eve", Password);
        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "eve", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "nickname", ["Value"] = "e" }, new JsonObject { ["Name"] = "locale", ["Value"] = "fr" }) });
        await f.Admin.InvokeAsync("AdminDeleteUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "eve", ["UserAttributeNames"] = new JsonArray("nickname") });
        await f.Public.InvokeAsync("DeleteUserAttributes", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]!, ["UserAttributeNames"] = new JsonArray("locale") });
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "eve" });
        user["UserAttributes"]!.AsArray().Select(a => (string)a!["Name"]!).ShouldNotContain("nickname");
        user["UserAttributes"]!.AsArray().Select(a => (string)a!["Name"]!).ShouldNotContain("locale");
        var sub = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminDeleteUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "eve", ["UserAttributeNames"] = new JsonArray("sub") }));
        sub.ErrorType.ShouldBe("InvalidParameterException");

        await f.Admin.InvokeAsync("AdminUserGlobalSignOut", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "eve" });
        var revoked = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)tokens["AccessToken"]! }));
        revoked.ErrorType.ShouldBe("NotAuthorizedException");
    }
}
