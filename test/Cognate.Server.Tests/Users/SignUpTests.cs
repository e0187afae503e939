using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Users;

public sealed class SignUpTests(ServerFixture f)
{
    static JsonObject SignUpRequest(string clientId, string username, string password, string email, string? name = null)
    {
        var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email });
        if (name is not null) attrs.Add(new JsonObject { ["Name"] = "name", ["Value"] = name });
        return new JsonObject { ["ClientId"] = clientId, ["Username"] = username, ["Password"] = password, ["UserAttributes"] = attrs };
    }

    [Fact]
    public async Task SignUp_ConfirmWithOutboxCode_ConfirmsAndVerifiesEmail()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        var r = await f.Public.InvokeAsync("SignUp", SignUpRequest(client, "bob", "Passw0rd!", email, "Bob"));
        ((bool)r["UserConfirmed"]!).ShouldBeFalse();
        Guid.TryParse((string?)r["UserSub"], out _).ShouldBeTrue();
        ((string?)r["CodeDeliveryDetails"]!["DeliveryMedium"]).ShouldBe("EMAIL");
        ((string?)r["CodeDeliveryDetails"]!["Destination"]).ShouldNotBe(email);
        var message = await f.Server.LatestMessageAsync(email);
        var code = (string)message["code"]!;
        code.Length.ShouldBe(6);
        ((string)message["body"]!).ShouldContain(code);
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "bob", ["ConfirmationCode"] = code });
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
        user["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "email_verified" && (string?)a["Value"] == "true");
        user["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "name" && (string?)a["Value"] == "Bob");
        var again = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "bob", ["ConfirmationCode"] = code }));
        again.ErrorType.ShouldBe("NotAuthorizedException");
        again.Message.ShouldBe("User cannot be confirmed. Current status is CONFIRMED");
    }

    [Fact]
    public async Task SignUp_DuplicateUsername_ReturnsUsernameExists()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Public.InvokeAsync("SignUp", SignUpRequest(client, "dup", "Passw0rd!", ServerFixture.NewEmail()));
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpRequest(client, "dup", "Passw0rd!", ServerFixture.NewEmail())));
        ex.ErrorType.ShouldBe("UsernameExistsException");
        ex.Message.ShouldBe("User already exists");
    }

    [Fact]
    public async Task SignUp_EmailAsUsername_InternalUsernameIsSub()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UsernameAttributes"] = new JsonArray("email") });
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        var r = await f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = email, ["Password"] = "Passw0rd!" });
        var sub = (string)r["UserSub"]!;
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email });
        ((string?)user["Username"]).ShouldBe(sub);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = email, ["Password"] = "Passw0rd!" }));
        ex.ErrorType.ShouldBe("UsernameExistsException");
        ex.Message.ShouldBe("An account with the given email already exists.");
        var notEmail = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "plainname", ["Password"] = "Passw0rd!" }));
        notEmail.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Theory]
    [InlineData("short1!", "Password not long enough")]
    [InlineData("alllowercase1!", "Password must have uppercase characters")]
    [InlineData("NoDigitsHere!", "Password must have numeric characters")]
    [InlineData("NoSymbols123", "Password must have symbol characters")]
    public async Task SignUp_WeakPassword_ReturnsInvalidPassword(string password, string rule)
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpRequest(client, "weak", password, ServerFixture.NewEmail())));
        ex.ErrorType.ShouldBe("InvalidPasswordException");
        ex.Message.ShouldBe("Password did not conform with policy: " + rule);
        ex.Message.ShouldNotContain(password);
    }

    [Fact]
    public async Task SignUp_UnknownAttribute_ReturnsInvalidParameterAndCreatesNothing()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var req = SignUpRequest(client, "attr", "Passw0rd!", ServerFixture.NewEmail());
        req["UserAttributes"]!.AsArray().Add(new JsonObject { ["Name"] = "custom:nope", ["Value"] = "x" });
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", req))).ErrorType.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "attr" }))).ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task SignUp_BadEmail_ReturnsInvalidParameter()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpRequest(client, "badmail", "Passw0rd!", "not-an-email")));
        ex.ErrorType.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task SignUp_SecretHash_RequiredAndChecked()
    {
        var pool = await f.CreatePoolAsync();
        var (client, secret) = await f.CreateClientAsync(pool, secret: true);
        var missing = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpRequest(client, "sh", "Passw0rd!", ServerFixture.NewEmail())));
        missing.ErrorType.ShouldBe("NotAuthorizedException");
        missing.Message.ShouldBe($"Client {client} is configured for secret but secret was not received");
        var wrong = SignUpRequest(client, "sh", "Passw0rd!", ServerFixture.NewEmail());
        wrong["SecretHash"] = ServerFixture.SecretHash(secret!, "someone-else", client);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", wrong));
        ex.Message.ShouldBe($"Unable to verify secret hash for client {client}");
        var right = SignUpRequest(client, "sh", "Passw0rd!", ServerFixture.NewEmail());
        right["SecretHash"] = ServerFixture.SecretHash(secret!, "sh", client);
        await f.Public.InvokeAsync("SignUp", right);
    }

    [Fact]
    public async Task ConfirmSignUp_WrongCode_ReturnsCodeMismatch_ThenLimitExceededUntilNewCode()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", SignUpRequest(client, "wrong", "Passw0rd!", email));
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var bad = code == "000000" ? "111111" : "000000";
        for (int i = 0; i < 5; i++)
        {
            (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "wrong", ["ConfirmationCode"] = bad }))).ErrorType.ShouldBe("CodeMismatchException");
        }
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "wrong", ["ConfirmationCode"] = bad }))).ErrorType.ShouldBe("LimitExceededException");
        (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "wrong", ["ConfirmationCode"] = code }))).ErrorType.ShouldBe("LimitExceededException");
        await f.Public.InvokeAsync("ResendConfirmationCode", new JsonObject { ["ClientId"] = client, ["Username"] = "wrong" });
        var fresh = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "wrong", ["ConfirmationCode"] = fresh });
    }

    [Fact]
    public async Task ResendConfirmationCode_OldCodeStopsWorking()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", SignUpRequest(client, "resend", "Passw0rd!", email));
        var first = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var r = await f.Public.InvokeAsync("ResendConfirmationCode", new JsonObject { ["ClientId"] = client, ["Username"] = "resend" });
        ((string?)r["CodeDeliveryDetails"]!["AttributeName"]).ShouldBe("email");
        var second = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        if (first != second)
        {
            (await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "resend", ["ConfirmationCode"] = first }))).ErrorType.ShouldBe("CodeMismatchException");
        }
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "resend", ["ConfirmationCode"] = second });
    }

    [Fact]
    public async Task UnknownClient_ReturnsResourceNotFound()
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpRequest("nosuchclient00000000000000", "x", "Passw0rd!", ServerFixture.NewEmail())));
        ex.ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task SignUp_HundredConcurrent_SameUsername_ExactlyOneUser()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        var tasks = Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                await f.Public.InvokeAsync("SignUp", SignUpRequest(client, "race", "Passw0rd!", $"race{i}@example.com"));
                return "ok";
            }
            catch (CognitoServiceException ex)
            {
                return ex.ErrorType;
            }
        }).ToList();
        var results = await Task.WhenAll(tasks);
        results.Count(r => r == "ok").ShouldBe(1);
        results.Count(r => r == "UsernameExistsException").ShouldBe(99);
        var d = await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool });
        ((int)d["UserPool"]!["EstimatedNumberOfUsers"]!).ShouldBe(1);
    }
}

public sealed class UsernameRulesTests(ServerFixture f)
{
    [Fact]
    public async Task CaseInsensitivePool_SignInWithOtherCase_Works_AndDuplicateDiffersOnlyByCase()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UsernameConfiguration"] = new JsonObject { ["CaseSensitive"] = false } });
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "Jane", "Passw0rd!", ServerFixture.NewEmail());
        await f.SignInAsync(client, "jane", "Passw0rd!");
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "JANE", ["Password"] = "Passw0rd!" }));
        ex.ErrorType.ShouldBe("UsernameExistsException");
    }

    [Fact]
    public async Task CaseSensitivePool_OtherCase_IsAnotherUser()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "Kim", "Passw0rd!", ServerFixture.NewEmail());
        (await Should.ThrowAsync<CognitoServiceException>(() => f.SignInAsync(client, "kim", "Passw0rd!"))).ErrorType.ShouldBe("UserNotFoundException");
    }

    [Fact]
    public async Task ReadAndWriteAttributes_AreEnforcedForTheClient()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject
        {
            ["ReadAttributes"] = new JsonArray("email", "email_verified"),
            ["WriteAttributes"] = new JsonArray("email", "name"),
        });
        await f.CreateConfirmedUserAsync(client, "lee", "Passw0rd!", ServerFixture.NewEmail());
        var t = await f.SignInAsync(client, "lee", "Passw0rd!");
        await f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]!, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "name", ["Value"] = "Lee" }) });
        var u = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]! });
        u["UserAttributes"]!.AsArray().Select(a => (string?)a!["Name"]).ShouldBe(["sub", "email", "email_verified"], ignoreOrder: true);
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = (string)t["AccessToken"]!, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "family_name", ["Value"] = "X" }) }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        var admin = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lee" });
        admin["UserAttributes"]!.AsArray().ShouldContain(a => (string?)a!["Name"] == "name" && (string?)a["Value"] == "Lee");
    }
}
