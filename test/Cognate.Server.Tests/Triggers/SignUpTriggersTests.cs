using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// PreSignUp, PostConfirmation and CustomMessage through the real server and the fake Lambda service (AWS guide pages "Pre
/// sign-up", "Post confirmation" and "Custom message Lambda trigger"): the events each function receives, what its answer
/// changes, and the failure paths (function error, malformed answer, unreachable function) with nothing half-written.
/// </summary>
public sealed class SignUpTriggersTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    const string Unreachable = "arn:aws:lambda:us-east-1:000000000000:function:cognate-nobody-home";

    async Task<(string Pool, string Client)> PoolAsync(JsonObject lambdaConfig, JsonObject? pool = null)
    {
        pool ??= [];
        pool["LambdaConfig"] = lambdaConfig;
        var id = await f.CreatePoolAsync(pool);
        var (client, _) = await f.CreateClientAsync(id, extra: new JsonObject
        {
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"),
        });
        return (id, client);
    }

    static JsonObject SignUpBody(string client, string username, string email, JsonObject? extra = null)
    {
        var body = extra ?? [];
        body["ClientId"] = client;
        body["Username"] = username;
        body["Password"] = Password;
        body["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email });
        return body;
    }

    static JsonArray Pairs(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["Name"] = p.Name, ["Value"] = p.Value }).ToArray());

    async Task<JsonObject> GetUserAsync(string pool, string username) =>
        await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username });

    static string? Attr(JsonObject user, string name) =>
        (string?)user["UserAttributes"]!.AsArray().FirstOrDefault(a => (string?)a!["Name"] == name)?["Value"];

    async Task UserAbsentAsync(string pool, string username)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => GetUserAsync(pool, username));
        ex.ErrorType.ShouldBe("UserNotFoundException");
    }

    async Task<int> OutboxCountAsync(string to)
    {
        try { await f.Server.LatestMessageAsync(to); return 1; }
        catch (InvalidOperationException) { return 0; }
    }

    static string S(JsonNode? node) => (string)node!;

    // ------------------------------------------------------------------ PreSignUp

    [Fact]
    public async Task SignUp_PreSignUpAutoConfirmsAndVerifies_UserConfirmedWithoutCode_EventAsCognitoSendsIt()
    {
        var pre = f.Lambda.Register(ev =>
        {
            ev["response"]!["autoConfirmUser"] = true;
            ev["response"]!["autoVerifyEmail"] = true;
            return ev;
        });
        var post = f.Lambda.Register(ev => ev);
        var (pool, client) = await PoolAsync(new JsonObject { ["PreSignUp"] = pre, ["PostConfirmation"] = post });
        var email = ServerFixture.NewEmail();

        var r = await f.Public.InvokeAsync("SignUp", SignUpBody(client, "alice", email, new JsonObject
        {
            ["ValidationData"] = Pairs(("invite", "abc123")),
            ["ClientMetadata"] = new JsonObject { ["campaign"] = "spring" },
        }));

        ((bool)r["UserConfirmed"]!).ShouldBeTrue();
        r["CodeDeliveryDetails"].ShouldBeNull();
        var user = await GetUserAsync(pool, "alice");
        S(user["UserStatus"]).ShouldBe("CONFIRMED");
        Attr(user, "email_verified").ShouldBe("true");
        (await OutboxCountAsync(email)).ShouldBe(0);

        var ev = f.Lambda.Events(pre).ShouldHaveSingleItem();
        S(ev["version"]).ShouldBe("1");
        S(ev["triggerSource"]).ShouldBe("PreSignUp_SignUp");
        S(ev["region"]).ShouldBe("us-east-1");
        S(ev["userPoolId"]).ShouldBe(pool);
        S(ev["userName"]).ShouldBe("alice");
        S(ev["callerContext"]!["clientId"]).ShouldBe(client);
        ev["callerContext"]!["awsSdkVersion"].ShouldNotBeNull();
        S(ev["request"]!["userAttributes"]!["email"]).ShouldBe(email);
        ev["request"]!["userAttributes"]!.AsObject().ContainsKey("sub").ShouldBeFalse();
        S(ev["request"]!["validationData"]!["invite"]).ShouldBe("abc123");
        S(ev["request"]!["clientMetadata"]!["campaign"]).ShouldBe("spring");

        var confirmed = f.Lambda.Events(post).ShouldHaveSingleItem();
        S(confirmed["triggerSource"]).ShouldBe("PostConfirmation_ConfirmSignUp");
        S(confirmed["request"]!["userAttributes"]!["cognito:user_status"]).ShouldBe("CONFIRMED");
        S(confirmed["request"]!["userAttributes"]!["sub"]).ShouldBe(S(r["UserSub"]));
        S(confirmed["request"]!["clientMetadata"]!["campaign"]).ShouldBe("spring");

        (await f.SignInAsync(client, "alice", Password))["AccessToken"].ShouldNotBeNull();
    }

    [Fact]
    public async Task SignUp_PreSignUpThrows_UserLambdaValidationAndNoUserWritten()
    {
        var pre = f.Lambda.RegisterError("Email domain not allowed");
        var (pool, client) = await PoolAsync(new JsonObject { ["PreSignUp"] = pre });
        var email = ServerFixture.NewEmail();
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpBody(client, "mallory", email)));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldBe("PreSignUp failed with error Email domain not allowed.");
        await UserAbsentAsync(pool, "mallory");
        (await OutboxCountAsync(email)).ShouldBe(0);
    }

    [Fact]
    public async Task SignUp_PreSignUpReturnsGarbage_InvalidLambdaResponseAndNoUserWritten()
    {
        var pre = f.Lambda.Register(ev => { ev["response"] = "yes please"; return ev; });
        var flags = f.Lambda.Register(ev => { ev["response"]!["autoConfirmUser"] = 1; return ev; });
        var verifyAlone = f.Lambda.Register(ev => { ev["response"]!["autoVerifyEmail"] = true; return ev; });
        foreach (var (arn, message) in new[] { (pre, (string?)null), (flags, null), (verifyAlone, "Phone or email cannot be auto verified, when user is not being auto confirmed.") })
        {
            var (pool, client) = await PoolAsync(new JsonObject { ["PreSignUp"] = arn });
            var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpBody(client, "gary", ServerFixture.NewEmail())));
            ex.ErrorType.ShouldBe("InvalidLambdaResponseException");
            if (message is not null) ex.Message.ShouldBe(message);
            await UserAbsentAsync(pool, "gary");
        }
    }

    [Fact]
    public async Task SignUp_PreSignUpUnreachable_UnexpectedLambdaAndNoUserWritten()
    {
        var (pool, client) = await PoolAsync(new JsonObject { ["PreSignUp"] = Unreachable });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpBody(client, "uma", ServerFixture.NewEmail())));
        ex.ErrorType.ShouldBe("UnexpectedLambdaException");
        await UserAbsentAsync(pool, "uma");
    }

    [Fact]
    public async Task AdminCreateUser_PreSignUpAdminSource_AnswerIgnored_ClientIdNotApplicable()
    {
        var pre = f.Lambda.Register(ev => { ev["response"]!["autoConfirmUser"] = true; ev["response"]!["autoVerifyEmail"] = true; return ev; });
        var (pool, _) = await PoolAsync(new JsonObject { ["PreSignUp"] = pre });
        var email = ServerFixture.NewEmail();
        var r = await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "carol", ["UserAttributes"] = Pairs(("email", email)),
            ["ValidationData"] = Pairs(("team", "blue")), ["ClientMetadata"] = new JsonObject { ["by"] = "ops" }, ["DesiredDeliveryMediums"] = new JsonArray("EMAIL"),
        });
        S(r["User"]!["UserStatus"]).ShouldBe("FORCE_CHANGE_PASSWORD");
        Attr(await GetUserAsync(pool, "carol"), "email_verified").ShouldNotBe("true");
        var ev = f.Lambda.Events(pre).ShouldHaveSingleItem();
        S(ev["triggerSource"]).ShouldBe("PreSignUp_AdminCreateUser");
        S(ev["callerContext"]!["clientId"]).ShouldBe("CLIENT_ID_NOT_APPLICABLE");
        S(ev["request"]!["validationData"]!["team"]).ShouldBe("blue");
        S(ev["request"]!["clientMetadata"]!["by"]).ShouldBe("ops");
    }

    [Fact]
    public async Task AdminCreateUser_PreSignUpThrows_NoUserWritten()
    {
        var pre = f.Lambda.RegisterError("not today");
        var (pool, _) = await PoolAsync(new JsonObject { ["PreSignUp"] = pre });
        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "carol", ["UserAttributes"] = Pairs(("email", ServerFixture.NewEmail())),
        }));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldBe("PreSignUp failed with error not today.");
        await UserAbsentAsync(pool, "carol");
    }

    [Fact]
    public async Task Triggers_ArePerPool_APoolWithoutThemIsUnaffected()
    {
        var pre = f.Lambda.Register(ev => { ev["response"]!["autoConfirmUser"] = true; return ev; });
        var (withPool, withClient) = await PoolAsync(new JsonObject { ["PreSignUp"] = pre });
        var otherPool = await f.CreatePoolAsync();
        var (otherClient, _) = await f.CreateClientAsync(otherPool);

        var other = await f.Public.InvokeAsync("SignUp", SignUpBody(otherClient, "olga", ServerFixture.NewEmail()));
        ((bool)other["UserConfirmed"]!).ShouldBeFalse();
        S((await GetUserAsync(otherPool, "olga"))["UserStatus"]).ShouldBe("UNCONFIRMED");
        f.Lambda.Events(pre).ShouldBeEmpty();

        ((bool)(await f.Public.InvokeAsync("SignUp", SignUpBody(withClient, "olga", ServerFixture.NewEmail())))["UserConfirmed"]!).ShouldBeTrue();
        f.Lambda.Events(pre).ShouldHaveSingleItem()["userPoolId"]!.GetValue<string>().ShouldBe(withPool);
    }

    // ------------------------------------------------------------------ PostConfirmation

    [Fact]
    public async Task ConfirmSignUp_PostConfirmationFails_ErrorReturnedButUserStaysConfirmed_AsCognito()
    {
        var post = f.Lambda.RegisterError("welcome pipeline down");
        var (pool, client) = await PoolAsync(new JsonObject { ["PostConfirmation"] = post });
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", SignUpBody(client, "pat", email));
        var code = S((await f.Server.LatestMessageAsync(email))["code"]);

        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmSignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "pat", ["ConfirmationCode"] = code, ["ClientMetadata"] = new JsonObject { ["step"] = "confirm" },
        }));

        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldBe("PostConfirmation failed with error welcome pipeline down.");
        var user = await GetUserAsync(pool, "pat");
        S(user["UserStatus"]).ShouldBe("CONFIRMED");
        Attr(user, "email_verified").ShouldBe("true");
        var ev = f.Lambda.Events(post).ShouldHaveSingleItem();
        S(ev["triggerSource"]).ShouldBe("PostConfirmation_ConfirmSignUp");
        S(ev["callerContext"]!["clientId"]).ShouldBe(client);
        S(ev["request"]!["userAttributes"]!["email_verified"]).ShouldBe("true");
        S(ev["request"]!["clientMetadata"]!["step"]).ShouldBe("confirm");
        (await f.SignInAsync(client, "pat", Password))["AccessToken"].ShouldNotBeNull();
    }

    [Fact]
    public async Task AdminConfirmSignUp_PostConfirmation_ClientIdNotApplicable()
    {
        var post = f.Lambda.Register(ev => ev);
        var (pool, client) = await PoolAsync(new JsonObject { ["PostConfirmation"] = post });
        await f.Public.InvokeAsync("SignUp", SignUpBody(client, "quinn", ServerFixture.NewEmail()));
        await f.Admin.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "quinn", ["ClientMetadata"] = new JsonObject { ["a"] = "b" } });
        var ev = f.Lambda.Events(post).ShouldHaveSingleItem();
        S(ev["triggerSource"]).ShouldBe("PostConfirmation_ConfirmSignUp");
        S(ev["callerContext"]!["clientId"]).ShouldBe("CLIENT_ID_NOT_APPLICABLE");
        S(ev["request"]!["clientMetadata"]!["a"]).ShouldBe("b");
        S(ev["request"]!["userAttributes"]!["cognito:user_status"]).ShouldBe("CONFIRMED");
    }

    [Fact]
    public async Task ConfirmForgotPassword_PostConfirmationForgotPassword_FailureKeepsTheNewPassword()
    {
        var fail = true;
        var post = f.Lambda.Register(ev => fail && S(ev["triggerSource"]) == "PostConfirmation_ConfirmForgotPassword" ? throw new InvalidOperationException("audit log offline") : ev);
        var (_, client) = await PoolAsync(new JsonObject { ["PostConfirmation"] = post });
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(client, "rita", Password, email);
        await f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "rita" });
        var code = S((await f.Server.LatestMessageAsync(email))["code"]);

        var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("ConfirmForgotPassword", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "rita", ["ConfirmationCode"] = code, ["Password"] = "N3w-Passw0rd!",
        }));
        ex.ErrorType.ShouldBe("UserLambdaValidationException");
        ex.Message.ShouldBe("PostConfirmation failed with error audit log offline.");
        (await f.SignInAsync(client, "rita", "N3w-Passw0rd!"))["AccessToken"].ShouldNotBeNull();
        S(f.Lambda.Events(post)[^1]["triggerSource"]).ShouldBe("PostConfirmation_ConfirmForgotPassword");
    }

    // ------------------------------------------------------------------ CustomMessage

    static JsonObject Branded(JsonObject ev)
    {
        var source = S(ev["triggerSource"]);
        var code = S(ev["request"]!["codeParameter"]);
        ev["response"]!["emailSubject"] = "Acme: " + source;
        ev["response"]!["emailMessage"] = source == "CustomMessage_AdminCreateUser"
            ? $"Acme invite for {S(ev["request"]!["usernameParameter"])}: {code}"
            : $"Acme {source} code {code}";
        ev["response"]!["smsMessage"] = $"Acme SMS {code}";
        return ev;
    }

    [Fact]
    public async Task CustomMessage_EverySource_OutboxShowsTheFunctionsText()
    {
        var fn = f.Lambda.Register(Branded);
        var (pool, client) = await PoolAsync(new JsonObject { ["CustomMessage"] = fn });
        var email = ServerFixture.NewEmail();

        async Task<JsonObject> Latest(string to, string source)
        {
            var m = await f.Server.LatestMessageAsync(to);
            S(m["subject"]).ShouldBe("Acme: " + source);
            S(m["body"]).ShouldBe($"Acme {source} code {S(m["code"])}");
            return m;
        }

        await f.Public.InvokeAsync("SignUp", SignUpBody(client, "sam", email, new JsonObject { ["ClientMetadata"] = new JsonObject { ["locale"] = "en-GB" } }));
        await Latest(email, "CustomMessage_SignUp");
        await f.Public.InvokeAsync("ResendConfirmationCode", new JsonObject { ["ClientId"] = client, ["Username"] = "sam" });
        var code = S((await Latest(email, "CustomMessage_ResendCode"))["code"]);
        await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "sam", ["ConfirmationCode"] = code });
        await f.Public.InvokeAsync("ForgotPassword", new JsonObject { ["ClientId"] = client, ["Username"] = "sam" });
        await Latest(email, "CustomMessage_ForgotPassword");

        var token = S((await f.SignInAsync(client, "sam", Password))["AccessToken"]);
        await f.Public.InvokeAsync("GetUserAttributeVerificationCode", new JsonObject { ["AccessToken"] = token, ["AttributeName"] = "email" });
        await Latest(email, "CustomMessage_VerifyUserAttribute");
        var newEmail = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("UpdateUserAttributes", new JsonObject { ["AccessToken"] = token, ["UserAttributes"] = Pairs(("email", newEmail)) });
        await Latest(newEmail, "CustomMessage_UpdateUserAttribute");

        var events = f.Lambda.Events(fn);
        events.Select(e => S(e["triggerSource"])).ShouldBe(["CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword",
            "CustomMessage_VerifyUserAttribute", "CustomMessage_UpdateUserAttribute"]);
        foreach (var e in events)
        {
            S(e["callerContext"]!["clientId"]).ShouldBe(client);
            S(e["request"]!["codeParameter"]).ShouldBe("{####}");
            e["request"]!["usernameParameter"].ShouldBeNull();
            S(e["userName"]).ShouldBe("sam");
        }
        S(events[0]["request"]!["clientMetadata"]!["locale"]).ShouldBe("en-GB");
        S(events[0]["request"]!["userAttributes"]!["cognito:user_status"]).ShouldBe("UNCONFIRMED");
        _ = pool;
    }

    [Fact]
    public async Task CustomMessage_AdminCreateUser_InvitationWithUsernameAndTemporaryPassword()
    {
        var fn = f.Lambda.Register(Branded);
        var (pool, _) = await PoolAsync(new JsonObject { ["CustomMessage"] = fn });
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "tina", ["TemporaryPassword"] = "Temp-0rary!", ["UserAttributes"] = Pairs(("email", email)),
            ["DesiredDeliveryMediums"] = new JsonArray("EMAIL"),
        });
        var m = await f.Server.LatestMessageAsync(email);
        S(m["subject"]).ShouldBe("Acme: CustomMessage_AdminCreateUser");
        S(m["body"]).ShouldBe("Acme invite for tina: Temp-0rary!");
        var ev = f.Lambda.Events(fn).ShouldHaveSingleItem();
        S(ev["request"]!["usernameParameter"]).ShouldBe("{username}");
        S(ev["callerContext"]!["clientId"]).ShouldBe("CLIENT_ID_NOT_APPLICABLE");
    }

    [Fact]
    public async Task CustomMessage_Authentication_EmailOtpCodeUsesTheFunctionsText()
    {
        var fn = f.Lambda.Register(ev =>
        {
            ev["response"]!["emailMessage"] = "Your Acme sign-in code: " + S(ev["request"]!["codeParameter"]);
            return ev;
        });
        var (pool, client) = await PoolAsync(new JsonObject { ["CustomMessage"] = fn }, new JsonObject
        {
            ["UsernameAttributes"] = new JsonArray("email"),
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        });
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = email, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = Pairs(("email", email), ("email_verified", "true")),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email, ["Password"] = Password, ["Permanent"] = true });

        var c = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_AUTH", ["ClientMetadata"] = new JsonObject { ["not"] = "forwarded" },
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" },
        });
        S(c["ChallengeName"]).ShouldBe("EMAIL_OTP");
        var m = await f.Server.LatestMessageAsync(email);
        S(m["body"]).ShouldBe("Your Acme sign-in code: " + S(m["code"]));
        var ev = f.Lambda.Events(fn).ShouldHaveSingleItem();
        S(ev["triggerSource"]).ShouldBe("CustomMessage_Authentication");
        S(ev["callerContext"]!["clientId"]).ShouldBe(client);
        ev["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse();
    }

    [Fact]
    public async Task CustomMessage_TextWithoutCodePlaceholder_PoolsTemplateSentSilently()
    {
        var fn = f.Lambda.Register(ev => { ev["response"]!["emailMessage"] = "Hello, no code here"; return ev; });
        var (_, client) = await PoolAsync(new JsonObject { ["CustomMessage"] = fn });
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", SignUpBody(client, "uli", email));
        var m = await f.Server.LatestMessageAsync(email);
        S(m["body"]).ShouldBe($"Your verification code is {S(m["code"])}. ");
    }

    [Fact]
    public async Task CustomMessage_FailsDuringSignUp_NoUserLeftAndNothingSent()
    {
        var throws = f.Lambda.RegisterError("template store down");
        var garbage = f.Lambda.Register(ev => { ev["response"]!["emailMessage"] = 42; return ev; });
        foreach (var (arn, type) in new[] { (throws, "UserLambdaValidationException"), (garbage, "InvalidLambdaResponseException"), (Unreachable, "UnexpectedLambdaException") })
        {
            var (pool, client) = await PoolAsync(new JsonObject { ["CustomMessage"] = arn });
            var email = ServerFixture.NewEmail();
            var ex = await Should.ThrowAsync<CognitoServiceException>(() => f.Public.InvokeAsync("SignUp", SignUpBody(client, "vera", email)));
            ex.ErrorType.ShouldBe(type);
            if (arn == throws) ex.Message.ShouldBe("CustomMessage failed with error template store down.");
            await UserAbsentAsync(pool, "vera");
            (await OutboxCountAsync(email)).ShouldBe(0);
        }
    }
}
