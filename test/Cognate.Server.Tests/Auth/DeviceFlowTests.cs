using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.Srp;
using Cognate.Core.Crypto;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

/// <summary>
/// Remembered devices over the wire (reference §3.9, §4.7): NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH →
/// DEVICE_PASSWORD_VERIFIER skipping MFA with PreTokenGeneration's TokenGeneration_AuthenticateDevice, the refusals, and the
/// unknown-device PASSWORD_VERIFIER that keeps its SECRET_BLOCK for amazon-cognito-identity-js's retry with DEVICE_KEY null.
/// </summary>
public sealed class DeviceFlowTests(ServerFixture f)
{
    const string Password = "Passw0rd!d";

    sealed record App(string Pool, string Client, string Username, string Phone, string Arn);

    async Task<App> AppAsync()
    {
        var arn = f.Lambda.Register(e => e);
        var pool = await f.CreatePoolAsync(new JsonObject
        {
            ["DeviceConfiguration"] = new JsonObject { ["ChallengeRequiredOnNewDevice"] = true, ["DeviceOnlyRememberedOnUserPrompt"] = false },
            ["LambdaConfig"] = new JsonObject { ["PreTokenGeneration"] = arn },
        });
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON",
            ["SmsMfaConfiguration"] = new JsonObject { ["SmsAuthenticationMessage"] = "Code {####}" },
        });
        var (client, _) = await f.CreateClientAsync(pool, false, new JsonObject { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") });
        var username = "dev-" + Guid.NewGuid().ToString("N")[..8];
        var phone = "+1555" + Random.Shared.Next(1000000, 9999999);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = username, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "phone_number", ["Value"] = phone }, new JsonObject { ["Name"] = "phone_number_verified", ["Value"] = "true" }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
        return new App(pool, client, username, phone, arn);
    }

    Task<JsonObject> Initiate(App app, JsonObject p) =>
        f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["ClientId"] = app.Client, ["AuthFlow"] = "USER_PASSWORD_AUTH", ["AuthParameters"] = p });

    Task<JsonObject> Respond(App app, string challenge, string? session, JsonObject responses)
    {
        var req = new JsonObject { ["ClientId"] = app.Client, ["ChallengeName"] = challenge, ["ChallengeResponses"] = responses };
        if (session is not null) req["Session"] = session;
        return f.Public.InvokeAsync("RespondToAuthChallenge", req);
    }

    /// <summary>Signs in through SMS_MFA; returns the AuthenticationResult.</summary>
    async Task<JsonObject> SignInWithMfaAsync(App app)
    {
        var r = await Initiate(app, new JsonObject { ["USERNAME"] = app.Username, ["PASSWORD"] = Password });
        ((string?)r["ChallengeName"]).ShouldBe("SMS_MFA");
        var code = (string)(await f.Server.LatestMessageAsync(app.Phone))["code"]!;
        var done = await Respond(app, "SMS_MFA", (string?)r["Session"], new JsonObject { ["USERNAME"] = app.Username, ["SMS_MFA_CODE"] = code });
        return (JsonObject)done["AuthenticationResult"]!;
    }

    async Task<int> SentCountAsync(string to) =>
        JsonNode.Parse(await f.Server.Http.GetStringAsync(new Uri(f.Server.Endpoint, "_outbox?to=" + Uri.EscapeDataString(to))))!.AsArray().Count;

    sealed record RememberedDevice(string Key, string Group, string Password);

    async Task<RememberedDevice> RememberAsync(App app)
    {
        var result = await SignInWithMfaAsync(app);
        var meta = result["NewDeviceMetadata"].ShouldNotBeNull();
        var key = (string)meta["DeviceKey"]!;
        var group = (string)meta["DeviceGroupKey"]!;
        var devicePassword = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var v = Srp.CreateDeviceVerifier(group, key, devicePassword);
        var confirm = await f.Public.InvokeAsync("ConfirmDevice", new JsonObject
        {
            ["AccessToken"] = (string)result["AccessToken"]!, ["DeviceKey"] = key, ["DeviceName"] = "xunit",
            ["DeviceSecretVerifierConfig"] = new JsonObject { ["PasswordVerifier"] = Convert.ToBase64String(Srp.PadHex(v.Verifier)), ["Salt"] = Convert.ToBase64String(Srp.PadHex(v.Salt)) },
        });
        ((bool)confirm["UserConfirmationNecessary"]!).ShouldBeFalse();
        return new RememberedDevice(key, group, devicePassword);
    }

    [Fact]
    public async Task RememberedDevice_DeviceSrp_SkipsMfaWithAuthenticateDeviceSource()
    {
        var app = await AppAsync();
        var device = await RememberAsync(app);
        var sent = await SentCountAsync(app.Phone);

        var r = await Initiate(app, new JsonObject { ["USERNAME"] = app.Username, ["PASSWORD"] = Password, ["DEVICE_KEY"] = device.Key });
        ((string?)r["ChallengeName"]).ShouldBe("DEVICE_SRP_AUTH");
        var client = SrpClient.Create();
        var verifierChallenge = await Respond(app, "DEVICE_SRP_AUTH", (string?)r["Session"],
            new JsonObject { ["USERNAME"] = app.Username, ["DEVICE_KEY"] = device.Key, ["SRP_A"] = client.PublicAHex });
        ((string?)verifierChallenge["ChallengeName"]).ShouldBe("DEVICE_PASSWORD_VERIFIER");
        var p = (JsonObject)verifierChallenge["ChallengeParameters"]!;
        ((string?)p["DEVICE_KEY"]).ShouldBe(device.Key);
        var timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        var signature = client.ComputeDeviceClaimSignature(device.Group, device.Key, device.Password, (string)p["SALT"]!, (string)p["SRP_B"]!, (string)p["SECRET_BLOCK"]!, timestamp);
        var answer = new JsonObject
        {
            ["USERNAME"] = app.Username, ["DEVICE_KEY"] = device.Key, ["PASSWORD_CLAIM_SECRET_BLOCK"] = (string)p["SECRET_BLOCK"]!,
            ["PASSWORD_CLAIM_SIGNATURE"] = signature, ["TIMESTAMP"] = timestamp,
        };
        var done = await Respond(app, "DEVICE_PASSWORD_VERIFIER", (string?)verifierChallenge["Session"], (JsonObject)answer.DeepClone());
        var result = (JsonObject)done["AuthenticationResult"]!;
        result["AccessToken"].ShouldNotBeNull();
        result["NewDeviceMetadata"].ShouldBeNull();
        (await SentCountAsync(app.Phone)).ShouldBe(sent); // no SMS
        f.Lambda.Events(app.Arn).Select(e => (string?)e["triggerSource"]).Last().ShouldBe("TokenGeneration_AuthenticateDevice");

        // The session was single use.
        var replay = await Should.ThrowAsync<CognitoServiceException>(Respond(app, "DEVICE_PASSWORD_VERIFIER", (string?)verifierChallenge["Session"], answer));
        replay.ErrorType.ShouldBe("NotAuthorizedException");

        var got = await f.Admin.InvokeAsync("AdminGetDevice", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Username, ["DeviceKey"] = device.Key });
        var attrs = ((JsonArray)got["Device"]!["DeviceAttributes"]!).ToDictionary(a => (string)a!["Name"]!, a => (string?)a!["Value"]);
        attrs["device_status"].ShouldBe("remembered");
        attrs["device_name"].ShouldBe("xunit");
        attrs.ShouldContainKey("last_ip_used");
    }

    Task<JsonObject> Refresh(App app, string token, string? deviceKey)
    {
        var p = new JsonObject { ["REFRESH_TOKEN"] = token };
        if (deviceKey is not null) p["DEVICE_KEY"] = deviceKey;
        return f.Public.InvokeAsync("InitiateAuth", new JsonObject { ["ClientId"] = app.Client, ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["AuthParameters"] = p });
    }

    static async Task ShouldBeInvalidRefresh(Task<JsonObject> call)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(call);
        ex.ErrorType.ShouldBe("NotAuthorizedException");
        ex.Message.ShouldContain("Invalid Refresh Token");
    }

    [Fact]
    public async Task RefreshTokenAuth_DeviceBoundToken_NeedsTheConfirmedDeviceKey()
    {
        var app = await AppAsync();
        // A sign-in that created a device: its refresh token is bound to it; before ConfirmDevice it does not refresh at all.
        var first = await SignInWithMfaAsync(app);
        var newKey = (string)first["NewDeviceMetadata"]!["DeviceKey"]!;
        await ShouldBeInvalidRefresh(Refresh(app, (string)first["RefreshToken"]!, newKey));

        var device = await RememberAsync(app);
        var signedIn = await SignInWithMfaAsync(app);
        var token = (string)signedIn["RefreshToken"]!;
        var boundKey = (string)signedIn["NewDeviceMetadata"]!["DeviceKey"]!;
        // Confirm the device of this sign-in too (the remembered one above is another device).
        var v = Srp.CreateDeviceVerifier((string)signedIn["NewDeviceMetadata"]!["DeviceGroupKey"]!, boundKey, "pw");
        await f.Public.InvokeAsync("ConfirmDevice", new JsonObject
        {
            ["AccessToken"] = (string)signedIn["AccessToken"]!, ["DeviceKey"] = boundKey,
            ["DeviceSecretVerifierConfig"] = new JsonObject { ["PasswordVerifier"] = Convert.ToBase64String(Srp.PadHex(v.Verifier)), ["Salt"] = Convert.ToBase64String(Srp.PadHex(v.Salt)) },
        });

        await ShouldBeInvalidRefresh(Refresh(app, token, null));                 // no DEVICE_KEY
        await ShouldBeInvalidRefresh(Refresh(app, token, device.Key));           // another (confirmed) device of the user
        await ShouldBeInvalidRefresh(Refresh(app, token, "us-east-1_" + Guid.NewGuid())); // made up
        var refreshed = (JsonObject)(await Refresh(app, token, boundKey))["AuthenticationResult"]!;
        refreshed["AccessToken"].ShouldNotBeNull();
        refreshed["RefreshToken"].ShouldBeNull();

        // GetTokensFromRefreshToken applies the same rule with DeviceKey.
        var missing = await Should.ThrowAsync<CognitoServiceException>(f.Public.InvokeAsync("GetTokensFromRefreshToken", new JsonObject { ["ClientId"] = app.Client, ["RefreshToken"] = token }));
        missing.ErrorType.ShouldBe("NotAuthorizedException");
        (await f.Public.InvokeAsync("GetTokensFromRefreshToken", new JsonObject { ["ClientId"] = app.Client, ["RefreshToken"] = token, ["DeviceKey"] = boundKey }))
            ["AuthenticationResult"]!["AccessToken"].ShouldNotBeNull();

        // A forgotten device no longer refreshes.
        await f.Admin.InvokeAsync("AdminForgetDevice", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Username, ["DeviceKey"] = boundKey });
        await ShouldBeInvalidRefresh(Refresh(app, token, boundKey));
    }

    [Fact]
    public async Task DevicePasswordVerifier_WrongDevicePassword_NotAuthorized()
    {
        var app = await AppAsync();
        var device = await RememberAsync(app);
        var r = await Initiate(app, new JsonObject { ["USERNAME"] = app.Username, ["PASSWORD"] = Password, ["DEVICE_KEY"] = device.Key });
        var client = SrpClient.Create();
        var c = await Respond(app, "DEVICE_SRP_AUTH", (string?)r["Session"], new JsonObject { ["USERNAME"] = app.Username, ["DEVICE_KEY"] = device.Key, ["SRP_A"] = client.PublicAHex });
        var p = (JsonObject)c["ChallengeParameters"]!;
        var timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        var signature = client.ComputeDeviceClaimSignature(device.Group, device.Key, "not-the-password", (string)p["SALT"]!, (string)p["SRP_B"]!, (string)p["SECRET_BLOCK"]!, timestamp);
        var ex = await Should.ThrowAsync<CognitoServiceException>(Respond(app, "DEVICE_PASSWORD_VERIFIER", (string?)c["Session"], new JsonObject
        {
            ["USERNAME"] = app.Username, ["DEVICE_KEY"] = device.Key, ["PASSWORD_CLAIM_SECRET_BLOCK"] = (string)p["SECRET_BLOCK"]!,
            ["PASSWORD_CLAIM_SIGNATURE"] = signature, ["TIMESTAMP"] = timestamp,
        }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task PasswordVerifier_UnknownDevice_RefusedBeforeBlockTaken_RetryWithNullKeyReachesMfa()
    {
        var app = await AppAsync();
        var ephemeral = new SrpSignIn.Ephemeral();
        var start = await f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = app.Client, ["AuthFlow"] = "USER_SRP_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = app.Username, ["SRP_A"] = ephemeral.SrpA },
        });
        var answer = SrpSignIn.Answer(app.Pool, app.Client, null, Password, ephemeral, (JsonObject)start["ChallengeParameters"]!, DateTimeOffset.UtcNow);
        answer["DEVICE_KEY"] = "us-east-1_00000000-0000-4000-8000-000000000000";
        var ex = await Should.ThrowAsync<CognitoServiceException>(Respond(app, "PASSWORD_VERIFIER", (string?)start["Session"], (JsonObject)answer.DeepClone()));
        ex.ErrorType.ShouldBe("ResourceNotFoundException");
        ex.Message.ShouldContain("Device does not exist.");

        answer["DEVICE_KEY"] = null; // amazon-cognito-identity-js's retry: same SECRET_BLOCK, "DEVICE_KEY": null
        var retry = await Respond(app, "PASSWORD_VERIFIER", (string?)start["Session"], answer);
        ((string?)retry["ChallengeName"]).ShouldBe("SMS_MFA");
    }

    [Fact]
    public async Task ListDevices_AccessToken_PagesAndForgetDevice()
    {
        var app = await AppAsync();
        var first = await RememberAsync(app);
        var second = await SignInWithMfaAsync(app);
        var access = (string)second["AccessToken"]!;
        var page1 = await f.Public.InvokeAsync("ListDevices", new JsonObject { ["AccessToken"] = access, ["Limit"] = 1 });
        ((JsonArray)page1["Devices"]!).Count.ShouldBe(1);
        var token = (string)page1["PaginationToken"]!;
        var page2 = await f.Public.InvokeAsync("ListDevices", new JsonObject { ["AccessToken"] = access, ["Limit"] = 1, ["PaginationToken"] = token });
        ((JsonArray)page2["Devices"]!).Count.ShouldBe(1);
        page2["PaginationToken"].ShouldBeNull();
        await f.Public.InvokeAsync("ForgetDevice", new JsonObject { ["AccessToken"] = access, ["DeviceKey"] = first.Key });
        var gone = await Should.ThrowAsync<CognitoServiceException>(f.Public.InvokeAsync("GetDevice", new JsonObject { ["AccessToken"] = access, ["DeviceKey"] = first.Key }));
        gone.ErrorType.ShouldBe("ResourceNotFoundException");
        var all = await f.Admin.InvokeAsync("AdminListDevices", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Username });
        ((JsonArray)all["Devices"]!).Count.ShouldBe(1);
    }
}
