using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Users;

public sealed class AdminUserTests(ServerFixture f)
{
    [Fact]
    public async Task AdminCreateUser_TemporaryPassword_NewPasswordRequiredThenTokens()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "name", ["AttributeDataType"] = "String", ["Required"] = true, ["Mutable"] = true }) });
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        var created = await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "dave", ["TemporaryPassword"] = "Temp-Passw0rd",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
            ["DesiredDeliveryMediums"] = new JsonArray("EMAIL"),
        });
        ((string?)created["User"]!["UserStatus"]).ShouldBe("FORCE_CHANGE_PASSWORD");
        created["User"]!["Attributes"].ShouldNotBeNull();
        ((string)(await f.Server.LatestMessageAsync(email))["body"]!).ShouldContain("dave");

        var r = await f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = "dave", ["PASSWORD"] = "Temp-Passw0rd" } });
        ((string?)r["ChallengeName"]).ShouldBe("NEW_PASSWORD_REQUIRED");
        ((string?)r["ChallengeParameters"]!["USER_ID_FOR_SRP"]).ShouldBe("dave");
        ((string)r["ChallengeParameters"]!["requiredAttributes"]!).ShouldContain("userAttributes.name");
        var session = (string)r["Session"]!;
        session.Length.ShouldBeInRange(20, 2048);

        var missing = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject { ["ClientId"] = client, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = session, ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "dave", ["NEW_PASSWORD"] = "Final-Passw0rd" } }));
        missing.ErrorType.ShouldBe("InvalidParameterException");
        var done = await f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = client, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = session,
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "dave", ["NEW_PASSWORD"] = "Final-Passw0rd", ["userAttributes.name"] = "Dave" },
        });
        ((string?)done["AuthenticationResult"]!["AccessToken"]).ShouldNotBeNullOrEmpty();
        var replay = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("RespondToAuthChallenge", new JsonObject { ["ClientId"] = client, ["ChallengeName"] = "NEW_PASSWORD_REQUIRED", ["Session"] = session, ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "dave", ["NEW_PASSWORD"] = "Final-Passw0rd", ["userAttributes.name"] = "Dave" } }));
        replay.ErrorType.ShouldBe("NotAuthorizedException");
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dave" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
        await f.SignInAsync(client, "dave", "Final-Passw0rd");
    }

    [Fact]
    public async Task AdminCreateUser_Existing_ReturnsUsernameExists()
    {
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "erin", ["MessageAction"] = "SUPPRESS" });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "erin", ["MessageAction"] = "SUPPRESS" }));
        ex.ErrorType.ShouldBe("UsernameExistsException");
    }

    [Fact]
    public async Task AdminSetUserPassword_Permanent_ConfirmsUser()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fay", ["MessageAction"] = "SUPPRESS" });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fay", ["Password"] = "Perm-Passw0rd", ["Permanent"] = true });
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fay" }))["UserStatus"]).ShouldBe("CONFIRMED");
        await f.SignInAsync(client, "fay", "Perm-Passw0rd");
        var weak = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "fay", ["Password"] = "weak", ["Permanent"] = true }));
        weak.ErrorType.ShouldBe("InvalidPasswordException");
    }

    [Fact]
    public async Task AdminConfirmSignUp_AdminUpdateAttributes_AdminDeleteUser()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "gus", ["Password"] = "Passw0rd!", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = ServerFixture.NewEmail() }) });
        await f.Admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" });
        var again = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" }));
        again.ErrorType.ShouldBe("NotAuthorizedException");
        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "gus",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "middle_name", ["Value"] = "Angel" }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        });
        var u = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" });
        u["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "middle_name" && (string?)a["Value"] == "Angel");
        u["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "email_verified" && (string?)a["Value"] == "true");
        var sub = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "sub", ["Value"] = "x" }) }));
        sub.ErrorType.ShouldBe("InvalidParameterException");
        await f.SignInAsync(client, "gus", "Passw0rd!");
        await f.Admin.InvokeAsync("AdminDeleteUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" }))).ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task AdminInitiateAuth_AdminUserPasswordAuth_ReturnsTokens()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "hal", "Passw0rd!", ServerFixture.NewEmail());
        var r = await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "hal", ["PASSWORD"] = "Passw0rd!" } });
        ((string?)r["AuthenticationResult"]!["IdToken"]).ShouldNotBeNullOrEmpty();
        var publicAttempt = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "hal", ["PASSWORD"] = "Passw0rd!" } }));
        publicAttempt.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task AdminGetUser_UnknownPoolOrUser_ReturnsErrors()
    {
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = "us-east-1_Nope12345", ["Username"] = "x" }))).ErrorType.ShouldBe("ResourceNotFoundException");
        var pool = await f.CreatePoolAsync();
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "x" }))).ErrorType.ShouldBe("UserNotFoundException");
    }
}
