using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.Srp;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

/// <summary>SRP, USER_AUTH (passwordless, SELECT_CHALLENGE) and MFA challenge paths, success and error.</summary>
public sealed class ChallengeFlowTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    static readonly JsonArray AllFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

    async Task<(string Pool, string Client, string? Secret)> PoolAsync(JsonObject? pool = null, bool secret = false)
    {
        var id = await f.CreatePoolAsync(pool);
        var (client, sec) = await f.CreateClientAsync(id, secret, new JsonObject { ["ExplicitAuthFlows"] = AllFlows.DeepClone() });
        return (id, client, sec);
    }

    /// <summary>A CONFIRMED user with a permanent password and verified email (and phone when given).</summary>
    async Task<string> UserAsync(string pool, string username, string email, string? phone = null)
    {
        var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" });
        if (phone is not null)
        {
            attrs.Add(new JsonObject { ["Name"] = "phone_number", ["Value"] = phone });
            attrs.Add(new JsonObject { ["Name"] = "phone_number_verified", ["Value"] = "true" });
        }
        var r = await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["UserAttributes"] = attrs, ["MessageAction"] = "SUPPRESS" });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
        return (string)r["User"]!["Username"]!;
    }

    Task<JsonObject> Initiate(string client, string flow, JsonObject p, string? session = null)
    {
        var req = new JsonObject { ["ClientId"] = client, ["AuthFlow"] = flow, ["AuthParameters"] = p };
        if (session is not null) req["Session"] = session;
        return f.Public.InvokeAsync("InitiateAuth", req);
    }

    Task<JsonObject> Respond(string client, string challenge, string? session, JsonObject responses)
    {
        var req = new JsonObject { ["ClientId"] = client, ["ChallengeName"] = challenge, ["ChallengeResponses"] = responses };
        if (session is not null) req["Session"] = session;
        return f.Public.InvokeAsync("RespondToAuthChallenge", req);
    }

    async Task<string> CodeAsync(string to) => (string)(await f.Server.LatestMessageAsync(to))["code"]!;

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    static string Tokens(JsonObject r) => (string)r["AuthenticationResult"]!["AccessToken"]!;

    // ---------------------------------------------------------------- SRP

    [Fact]
    public async Task Srp_EmailAsUsernameWithSecret_SignsInWithInternalUsername()
    {
        var (pool, client, secret) = await PoolAsync(new JsonObject { ["UsernameAttributes"] = new JsonArray("email") }, secret: true);
        var email = ServerFixture.NewEmail();
        var sub = await UserAsync(pool, email, email);
        var r = await SrpSignIn.SignInAsync(f.Public, pool, client, email, Password, secret);
        var id = TestJwt.Claims(Tokens(r));
        ((string?)id["username"]).ShouldBe(sub);
        ((string?)r["AuthenticationResult"]!["RefreshToken"]).ShouldNotBeNull();
    }

    [Fact]
    public async Task Srp_ChallengeParameters_AreCognitoShaped()
    {
        var (pool, client, _) = await PoolAsync();
        await UserAsync(pool, "sally", ServerFixture.NewEmail());
        var e = new SrpSignIn.Ephemeral();
        var c = await Initiate(client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "sally", ["SRP_A"] = e.SrpA.ToUpperInvariant() });
        ((string?)c["ChallengeName"]).ShouldBe("PASSWORD_VERIFIER");
        var p = c["ChallengeParameters"]!.AsObject();
        ((string?)p["USERNAME"]).ShouldBe("sally");
        ((string?)p["USER_ID_FOR_SRP"]).ShouldBe("sally");
        ((string)p["SRP_B"]!).ShouldMatch("^[0-9a-f]+$");
        ((string)p["SALT"]!).ShouldMatch("^[0-9a-f]+$");
        Convert.FromBase64String((string)p["SECRET_BLOCK"]!).Length.ShouldBeGreaterThan(100);
        var r = await Respond(client, "PASSWORD_VERIFIER", null, SrpSignIn.Answer(pool, client, null, Password, e, p, DateTimeOffset.UtcNow));
        Tokens(r).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Srp_WrongPassword_IsNotAuthorized()
    {
        var (pool, client, _) = await PoolAsync();
        await UserAsync(pool, "sam", ServerFixture.NewEmail());
        var ex = await Fails(SrpSignIn.SignInAsync(f.Public, pool, client, "sam", "Wrong-pass1!"), "NotAuthorizedException");
        ex.Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task Srp_ReplayedSecretBlock_OrStaleTimestamp_IsRefused()
    {
        var (pool, client, _) = await PoolAsync();
        await UserAsync(pool, "rita", ServerFixture.NewEmail());
        var e = new SrpSignIn.Ephemeral();
        var c = await Initiate(client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "rita", ["SRP_A"] = e.SrpA });
        var answer = SrpSignIn.Answer(pool, client, null, Password, e, c["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow);
        Tokens(await Respond(client, "PASSWORD_VERIFIER", null, answer.DeepClone().AsObject())).ShouldNotBeNullOrEmpty();
        (await Fails(Respond(client, "PASSWORD_VERIFIER", null, answer), "NotAuthorizedException")).Message.ShouldBe("Invalid session for the user, session is expired.");

        var e2 = new SrpSignIn.Ephemeral();
        var c2 = await Initiate(client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "rita", ["SRP_A"] = e2.SrpA });
        var stale = SrpSignIn.Answer(pool, client, null, Password, e2, c2["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow.AddMinutes(-6));
        (await Fails(Respond(client, "PASSWORD_VERIFIER", null, stale), "NotAuthorizedException")).Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task Srp_UnknownUser_LegacyIsUserNotFound_EnabledIsFakeChallengeThenNotAuthorized()
    {
        var (pool, client, _) = await PoolAsync();
        var e = new SrpSignIn.Ephemeral();
        await Fails(Initiate(client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "ghost", ["SRP_A"] = e.SrpA }), "UserNotFoundException");
        var (hidden, _) = await f.CreateClientAsync(pool, false, new JsonObject { ["ExplicitAuthFlows"] = AllFlows.DeepClone(), ["PreventUserExistenceErrors"] = "ENABLED" });
        var c = await Initiate(hidden, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "ghost", ["SRP_A"] = e.SrpA });
        var again = await Initiate(hidden, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "ghost", ["SRP_A"] = e.SrpA });
        ((string?)again["ChallengeParameters"]!["USER_ID_FOR_SRP"]).ShouldBe((string?)c["ChallengeParameters"]!["USER_ID_FOR_SRP"]);
        ((string?)again["ChallengeParameters"]!["SALT"]).ShouldBe((string?)c["ChallengeParameters"]!["SALT"]);
        var answer = SrpSignIn.Answer(pool, hidden, null, Password, e, c["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow);
        (await Fails(Respond(hidden, "PASSWORD_VERIFIER", null, answer), "NotAuthorizedException")).Message.ShouldBe("Incorrect username or password.");
    }

    [Fact]
    public async Task Srp_TemporaryPassword_ChainsIntoNewPasswordRequired_ThenAdminSrpWorks()
    {
        var (pool, client, _) = await PoolAsync();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "tina", ["TemporaryPassword"] = "Temp-pass1!", ["MessageAction"] = "SUPPRESS" });
        var r = await SrpSignIn.SignInAsync(f.Public, pool, client, "tina", "Temp-pass1!");
        ((string?)r["ChallengeName"]).ShouldBe("NEW_PASSWORD_REQUIRED");
        var done = await Respond(client, "NEW_PASSWORD_REQUIRED", (string)r["Session"]!, new JsonObject { ["USERNAME"] = "tina", ["NEW_PASSWORD"] = Password });
        Tokens(done).ShouldNotBeNullOrEmpty();

        var e = new SrpSignIn.Ephemeral();
        var c = await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "USER_SRP_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "tina", ["SRP_A"] = e.SrpA } });
        var admin = await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "PASSWORD_VERIFIER",
            ["ChallengeResponses"] = SrpSignIn.Answer(pool, client, null, Password, e, c["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow),
        });
        Tokens(admin).ShouldNotBeNullOrEmpty();
    }

    // ---------------------------------------------------------------- USER_AUTH

    static JsonObject PasswordlessPool() => new()
    {
        ["UsernameAttributes"] = new JsonArray("email"),
        ["AutoVerifiedAttributes"] = new JsonArray("email"),
        ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP", "SMS_OTP") } },
    };

    [Fact]
    public async Task UserAuth_WithoutPreference_SelectChallenge_ThenPasswordOrEmailOtp()
    {
        var (pool, client, _) = await PoolAsync(PasswordlessPool());
        var email = ServerFixture.NewEmail();
        await UserAsync(pool, email, email, "+15555550123");
        var c = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email });
        ((string?)c["ChallengeName"]).ShouldBe("SELECT_CHALLENGE");
        c["AvailableChallenges"]!.AsArray().Select(n => (string?)n).ShouldBe(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
        var session = (string)c["Session"]!;
        await Fails(Respond(client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = email, ["ANSWER"] = "WEB_AUTHN" }), "InvalidParameterException");
        await Fails(Respond(client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = email, ["ANSWER"] = "PASSWORD" }), "InvalidParameterException");
        var otp = await Respond(client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = email, ["ANSWER"] = "SMS_OTP" });
        ((string?)otp["ChallengeName"]).ShouldBe("SMS_OTP");
        ((string?)otp["ChallengeParameters"]!["CODE_DELIVERY_DELIVERY_MEDIUM"]).ShouldBe("SMS");
        ((string?)otp["ChallengeParameters"]!["CODE_DELIVERY_DESTINATION"]).ShouldBe("+*******0123");
        var code = await CodeAsync("+15555550123");
        code.Length.ShouldBe(8);
        Tokens(await Respond(client, "SMS_OTP", (string)otp["Session"]!, new JsonObject { ["USERNAME"] = email, ["SMS_OTP_CODE"] = code })).ShouldNotBeNullOrEmpty();

        var c2 = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email });
        (await Fails(Respond(client, "SELECT_CHALLENGE", (string)c2["Session"]!, new JsonObject { ["USERNAME"] = email, ["ANSWER"] = "PASSWORD", ["PASSWORD"] = "Wrong-pass1!" }), "NotAuthorizedException"))
            .Message.ShouldBe("Incorrect username or password.");
        var c3 = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email });
        Tokens(await Respond(client, "SELECT_CHALLENGE", (string)c3["Session"]!, new JsonObject { ["USERNAME"] = email, ["ANSWER"] = "PASSWORD", ["PASSWORD"] = Password })).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task UserAuth_PreferredChallenges_PasswordSrpAndEmailOtp()
    {
        var (pool, client, _) = await PoolAsync(PasswordlessPool());
        var email = ServerFixture.NewEmail();
        var sub = await UserAsync(pool, email, email);
        Tokens(await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "PASSWORD", ["PASSWORD"] = Password })).ShouldNotBeNullOrEmpty();
        var e = new SrpSignIn.Ephemeral();
        var v = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "PASSWORD_SRP", ["SRP_A"] = e.SrpA });
        ((string?)v["ChallengeName"]).ShouldBe("PASSWORD_VERIFIER");
        ((string?)v["ChallengeParameters"]!["USER_ID_FOR_SRP"]).ShouldBe(sub);
        Tokens(await Respond(client, "PASSWORD_VERIFIER", (string?)v["Session"], SrpSignIn.Answer(pool, client, null, Password, e, v["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow))).ShouldNotBeNullOrEmpty();
        ((string?)(await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" }))["ChallengeName"]).ShouldBe("SELECT_CHALLENGE"); // no passkey: not offered
        var o = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" });
        ((string?)o["ChallengeName"]).ShouldBe("EMAIL_OTP");
        o["AvailableChallenges"]!.AsArray().Count.ShouldBe(3);
        Tokens(await Respond(client, "EMAIL_OTP", (string)o["Session"]!, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = await CodeAsync(email) })).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task UserAuth_EmailOtp_Errors_WrongCodeWrongNameStaleAndMissingSession()
    {
        var (pool, client, _) = await PoolAsync(PasswordlessPool());
        var email = ServerFixture.NewEmail();
        await UserAsync(pool, email, email);
        var o = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" });
        var session = (string)o["Session"]!;
        var code = await CodeAsync(email);
        var wrong = code == "00000000" ? "11111111" : "00000000";
        await Fails(Respond(client, "SMS_OTP", session, new JsonObject { ["USERNAME"] = email, ["SMS_OTP_CODE"] = code }), "InvalidParameterException");
        await Fails(Respond(client, "EMAIL_OTP", null, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = code }), "InvalidParameterException");
        await Fails(Respond(client, "EMAIL_OTP", session, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = wrong }), "CodeMismatchException");
        await Fails(Respond(client, "EMAIL_OTP", session, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = wrong }), "CodeMismatchException");
        await Fails(Respond(client, "EMAIL_OTP", session, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = wrong }), "CodeMismatchException");
        (await Fails(Respond(client, "EMAIL_OTP", session, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = code }), "NotAuthorizedException"))
            .Message.ShouldBe("Invalid session for the user, session is expired.");

        // A fresh code is single use.
        var o2 = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" });
        var code2 = await CodeAsync(email);
        Tokens(await Respond(client, "EMAIL_OTP", (string)o2["Session"]!, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = code2 })).ShouldNotBeNullOrEmpty();
        await Fails(Respond(client, "EMAIL_OTP", (string)o2["Session"]!, new JsonObject { ["USERNAME"] = email, ["EMAIL_OTP_CODE"] = code2 }), "NotAuthorizedException");
    }

    [Fact]
    public async Task PasswordlessSignUp_SessionSignsInAfterConfirm_PasswordRequiredElsewhere()
    {
        var (pool, client, _) = await PoolAsync(PasswordlessPool());
        var email = ServerFixture.NewEmail();
        var su = await f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = client, ["Username"] = email, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }) });
        var confirmed = await f.Public.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = email, ["ConfirmationCode"] = await CodeAsync(email), ["Session"] = su["Session"]!.DeepClone() });
        var t = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email }, (string)confirmed["Session"]!);
        Tokens(t).ShouldNotBeNullOrEmpty();
        var again = await Initiate(client, "USER_AUTH", new JsonObject { ["USERNAME"] = email });
        ((string?)again["ChallengeName"]).ShouldBe("EMAIL_OTP"); // no password: the only factor is issued directly
        again["AvailableChallenges"]!.AsArray().Select(n => (string?)n).ShouldBe(["EMAIL_OTP"]);
        await Fails(Initiate(client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = email, ["SRP_A"] = new SrpSignIn.Ephemeral().SrpA })
            .ContinueWith(async c => await Respond(client, "PASSWORD_VERIFIER", null, new JsonObject
            {
                ["USERNAME"] = (string)c.Result["ChallengeParameters"]!["USERNAME"]!, ["PASSWORD_CLAIM_SECRET_BLOCK"] = (string)c.Result["ChallengeParameters"]!["SECRET_BLOCK"]!,
                ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(new byte[32]), ["TIMESTAMP"] = SrpSignIn.Timestamp(DateTimeOffset.UtcNow),
            })).Unwrap(), "NotAuthorizedException");

        var (plainPool, plainClient, _) = await PoolAsync();
        await Fails(f.Public.InvokeAsync("SignUp", new JsonObject { ["ClientId"] = plainClient, ["Username"] = "nopass" }), "InvalidPasswordException");
    }

    // ---------------------------------------------------------------- MFA

    [Fact]
    public async Task PoolMfaConfig_SetAndGet_RequiresAFactorForOnOrOptional()
    {
        var (pool, _, _) = await PoolAsync();
        await Fails(f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON" }), "InvalidParameterException");
        var set = await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "OPTIONAL",
            ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
            ["SmsMfaConfiguration"] = new JsonObject { ["SmsAuthenticationMessage"] = "Code {####}" },
        });
        ((string?)set["MfaConfiguration"]).ShouldBe("OPTIONAL");
        var got = await f.Admin.InvokeAsync("GetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool });
        ((bool)got["SoftwareTokenMfaConfiguration"]!["Enabled"]!).ShouldBeTrue();
        ((string?)got["SmsMfaConfiguration"]!["SmsAuthenticationMessage"]).ShouldBe("Code {####}");
        got.ContainsKey("EmailMfaConfiguration").ShouldBeFalse();
        ((string?)(await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!["MfaConfiguration"]).ShouldBe("OPTIONAL");
    }

    [Fact]
    public async Task Totp_AssociateVerifyPrefer_ThenEveryFlowAsksSoftwareTokenMfa_CodesOneTimeWithSkewWindow()
    {
        var (pool, client, _) = await PoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject { ["UserPoolId"] = pool, ["MfaConfiguration"] = "OPTIONAL", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true } });
        await UserAsync(pool, "otto", ServerFixture.NewEmail());
        var access = (string)(await f.SignInAsync(client, "otto", Password))["AccessToken"]!;
        await Fails(f.Public.InvokeAsync("SetUserMFAPreference", new JsonObject { ["AccessToken"] = access, ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = true } }), "InvalidParameterException");
        await Fails(f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["AccessToken"] = access, ["UserCode"] = "123456" }), "SoftwareTokenMFANotFoundException");
        var secret = (string)(await f.Public.InvokeAsync("AssociateSoftwareToken", new JsonObject { ["AccessToken"] = access }))["SecretCode"]!;
        secret.ShouldMatch("^[A-Z2-7]{32}$");
        var bad = Otp.Code(secret, -120);
        await Fails(f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["AccessToken"] = access, ["UserCode"] = bad }), "EnableSoftwareTokenMFAException");
        var ok = await f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["AccessToken"] = access, ["UserCode"] = Otp.Code(secret), ["FriendlyDeviceName"] = "phone" });
        ((string?)ok["Status"]).ShouldBe("SUCCESS");
        await f.Public.InvokeAsync("SetUserMFAPreference", new JsonObject { ["AccessToken"] = access, ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = true, ["PreferredMfa"] = true } });
        var me = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access });
        me["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["SOFTWARE_TOKEN_MFA"]);
        ((string?)me["PreferredMfaSetting"]).ShouldBe("SOFTWARE_TOKEN_MFA");

        // Password flow
        var c = await Initiate(client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "otto", ["PASSWORD"] = Password });
        ((string?)c["ChallengeName"]).ShouldBe("SOFTWARE_TOKEN_MFA");
        ((string?)c["ChallengeParameters"]!["FRIENDLY_DEVICE_NAME"]).ShouldBe("phone");
        var session = (string)c["Session"]!;
        await Fails(Respond(client, "SOFTWARE_TOKEN_MFA", session, new JsonObject { ["USERNAME"] = "otto", ["SOFTWARE_TOKEN_MFA_CODE"] = Otp.Code(secret, -90) }), "CodeMismatchException");
        await Fails(Respond(client, "SOFTWARE_TOKEN_MFA", session, new JsonObject { ["USERNAME"] = "otto", ["SOFTWARE_TOKEN_MFA_CODE"] = Otp.Code(secret, 90) }), "CodeMismatchException");
        var next = Otp.Code(secret, 30); // one step ahead: inside the ±30 s window, and not the step used by VerifySoftwareToken
        Tokens(await Respond(client, "SOFTWARE_TOKEN_MFA", session, new JsonObject { ["USERNAME"] = "otto", ["SOFTWARE_TOKEN_MFA_CODE"] = next })).ShouldNotBeNullOrEmpty();

        // SRP flow: the same code again is refused (one-time use)
        var srp = await SrpSignIn.SignInAsync(f.Public, pool, client, "otto", Password);
        ((string?)srp["ChallengeName"]).ShouldBe("SOFTWARE_TOKEN_MFA");
        await Fails(Respond(client, "SOFTWARE_TOKEN_MFA", (string)srp["Session"]!, new JsonObject { ["USERNAME"] = "otto", ["SOFTWARE_TOKEN_MFA_CODE"] = next }), "ExpiredCodeException");

        // Admin flow
        var a = await f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "otto", ["PASSWORD"] = Password } });
        ((string?)a["ChallengeName"]).ShouldBe("SOFTWARE_TOKEN_MFA");
        await Fails(f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "SMS_MFA", ["Session"] = a["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "otto", ["SMS_MFA_CODE"] = "123456" },
        }), "InvalidParameterException");
    }

    [Fact]
    public async Task SmsAndEmailMfa_SelectMfaType_ThenPreferredFactor_AdminFlow()
    {
        var (pool, client, _) = await PoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "OPTIONAL",
            ["SmsMfaConfiguration"] = new JsonObject { ["SmsAuthenticationMessage"] = "Your code is {####}" },
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Email code {####}", ["Subject"] = "Sign-in code" },
        });
        var email = ServerFixture.NewEmail();
        const string phone = "+15555550199";
        await UserAsync(pool, "mia", email, phone);
        await f.Admin.InvokeAsync("AdminSetUserMFAPreference", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "mia",
            ["SMSMfaSettings"] = new JsonObject { ["Enabled"] = true }, ["EmailMfaSettings"] = new JsonObject { ["Enabled"] = true },
        });
        var u = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia" });
        u["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["SMS_MFA", "EMAIL_OTP"]);
        u.ContainsKey("PreferredMfaSetting").ShouldBeFalse();

        JsonObject AdminAuth() => new() { ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "mia", ["PASSWORD"] = Password } };
        JsonObject AdminRespond(string challenge, JsonNode? session, JsonObject r) => new() { ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = challenge, ["Session"] = session!.DeepClone(), ["ChallengeResponses"] = r };

        var c = await f.Admin.InvokeAsync("AdminInitiateAuth", AdminAuth());
        ((string?)c["ChallengeName"]).ShouldBe("SELECT_MFA_TYPE");
        JsonSerializer.Deserialize<string[]>((string)c["ChallengeParameters"]!["MFAS_CAN_CHOOSE"]!).ShouldBe(["SMS_MFA", "EMAIL_OTP"]);
        await Fails(f.Admin.InvokeAsync("AdminRespondToAuthChallenge", AdminRespond("SELECT_MFA_TYPE", c["Session"], new JsonObject { ["USERNAME"] = "mia", ["ANSWER"] = "SOFTWARE_TOKEN_MFA" })), "InvalidParameterException");
        var sms = await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", AdminRespond("SELECT_MFA_TYPE", c["Session"], new JsonObject { ["USERNAME"] = "mia", ["ANSWER"] = "SMS_MFA" }));
        ((string?)sms["ChallengeName"]).ShouldBe("SMS_MFA");
        ((string?)sms["ChallengeParameters"]!["CODE_DELIVERY_DESTINATION"]).ShouldBe("+*******0199");
        var text = await f.Server.LatestMessageAsync(phone);
        ((string?)text["body"]).ShouldBe("Your code is " + (string)text["code"]!);
        ((string)text["code"]!).Length.ShouldBe(6);
        Tokens(await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", AdminRespond("SMS_MFA", sms["Session"], new JsonObject { ["USERNAME"] = "mia", ["SMS_MFA_CODE"] = (string)text["code"]! }))).ShouldNotBeNullOrEmpty();

        await f.Admin.InvokeAsync("AdminSetUserMFAPreference", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mia", ["EmailMfaSettings"] = new JsonObject { ["Enabled"] = true, ["PreferredMfa"] = true } });
        var e = await f.Admin.InvokeAsync("AdminInitiateAuth", AdminAuth());
        ((string?)e["ChallengeName"]).ShouldBe("EMAIL_OTP");
        ((string?)e["ChallengeParameters"]!["CODE_DELIVERY_DELIVERY_MEDIUM"]).ShouldBe("EMAIL");
        var mail = await f.Server.LatestMessageAsync(email);
        ((string?)mail["subject"]).ShouldBe("Sign-in code");
        await Fails(f.Admin.InvokeAsync("AdminRespondToAuthChallenge", AdminRespond("EMAIL_OTP", e["Session"], new JsonObject { ["USERNAME"] = "mia", ["EMAIL_OTP_CODE"] = "99999999" == (string)mail["code"]! ? "88888888" : "99999999" })), "CodeMismatchException");
        Tokens(await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", AdminRespond("EMAIL_OTP", e["Session"], new JsonObject { ["USERNAME"] = "mia", ["EMAIL_OTP_CODE"] = (string)mail["code"]! }))).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task MfaOn_WithoutFactor_MfaSetupWithSessionTotp_AndByEmail()
    {
        var (pool, client, _) = await PoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Code {####}", ["Subject"] = "Code" },
        });
        await UserAsync(pool, "nina", ServerFixture.NewEmail());
        var c = await Initiate(client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "nina", ["PASSWORD"] = Password });
        ((string?)c["ChallengeName"]).ShouldBe("MFA_SETUP");
        JsonSerializer.Deserialize<string[]>((string)c["ChallengeParameters"]!["MFAS_CAN_SETUP"]!).ShouldBe(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]);
        await Fails(Respond(client, "MFA_SETUP", (string)c["Session"]!, new JsonObject { ["USERNAME"] = "nina" }), "InvalidParameterException");
        var assoc = await f.Public.InvokeAsync("AssociateSoftwareToken", new JsonObject { ["Session"] = c["Session"]!.DeepClone() });
        var secret = (string)assoc["SecretCode"]!;
        await Fails(f.Public.InvokeAsync("AssociateSoftwareToken", new JsonObject { ["Session"] = c["Session"]!.DeepClone() }), "NotAuthorizedException");
        await Fails(f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["Session"] = assoc["Session"]!.DeepClone(), ["UserCode"] = Otp.Code(secret, -150) }), "EnableSoftwareTokenMFAException");
        var verified = await f.Public.InvokeAsync("VerifySoftwareToken", new JsonObject { ["Session"] = assoc["Session"]!.DeepClone(), ["UserCode"] = Otp.Code(secret) });
        ((string?)verified["Status"]).ShouldBe("SUCCESS");
        Tokens(await Respond(client, "MFA_SETUP", (string)verified["Session"]!, new JsonObject { ["USERNAME"] = "nina" })).ShouldNotBeNullOrEmpty();
        var again = await Initiate(client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "nina", ["PASSWORD"] = Password });
        ((string?)again["ChallengeName"]).ShouldBe("SOFTWARE_TOKEN_MFA");

        // MFA_SETUP by email: the address receives a code and becomes the verified email with email MFA enabled.
        await UserAsync(pool, "ned", ServerFixture.NewEmail());
        var s = await Initiate(client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "ned", ["PASSWORD"] = Password });
        var newEmail = ServerFixture.NewEmail();
        var o = await Respond(client, "MFA_SETUP", (string)s["Session"]!, new JsonObject { ["USERNAME"] = "ned", ["EMAIL"] = newEmail });
        ((string?)o["ChallengeName"]).ShouldBe("EMAIL_OTP");
        Tokens(await Respond(client, "EMAIL_OTP", (string)o["Session"]!, new JsonObject { ["USERNAME"] = "ned", ["EMAIL_OTP_CODE"] = await CodeAsync(newEmail) })).ShouldNotBeNullOrEmpty();
        var ned = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ned" });
        ned["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["EMAIL_OTP"]);
        ned["UserAttributes"]!.AsArray().Any(a => (string?)a!["Name"] == "email" && (string?)a["Value"] == newEmail).ShouldBeTrue();
    }

    [Fact]
    public async Task NewPasswordRequired_ThenMfa_StaleSessionAndUnknownSession()
    {
        var (pool, client, _) = await PoolAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON", ["SmsMfaConfiguration"] = new JsonObject { ["SmsAuthenticationMessage"] = "{####}" },
        });
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "pat", ["TemporaryPassword"] = "Temp-pass1!", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "phone_number", ["Value"] = "+15555550177" }),
        });
        var c = await Initiate(client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "pat", ["PASSWORD"] = "Temp-pass1!" });
        var mfa = await Respond(client, "NEW_PASSWORD_REQUIRED", (string)c["Session"]!, new JsonObject { ["USERNAME"] = "pat", ["NEW_PASSWORD"] = Password });
        ((string?)mfa["ChallengeName"]).ShouldBe("SMS_MFA"); // MFA ON + phone number: SMS without enabling it first
        await Fails(Respond(client, "SMS_MFA", "x" + new string('a', 40), new JsonObject { ["USERNAME"] = "pat", ["SMS_MFA_CODE"] = "123456" }), "NotAuthorizedException");
        Tokens(await Respond(client, "SMS_MFA", (string)mfa["Session"]!, new JsonObject { ["USERNAME"] = "pat", ["SMS_MFA_CODE"] = await CodeAsync("+15555550177") })).ShouldNotBeNullOrEmpty();
        (await Fails(Respond(client, "SMS_MFA", (string)mfa["Session"]!, new JsonObject { ["USERNAME"] = "pat", ["SMS_MFA_CODE"] = "123456" }), "NotAuthorizedException"))
            .Message.ShouldBe("Invalid session for the user, session is expired.");
    }
}
