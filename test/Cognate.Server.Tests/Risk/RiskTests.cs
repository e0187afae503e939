using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cognate.Client;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Risk;

/// <summary>
/// A server of its own with a breached-password list (<c>Cognate__Risk__BreachedPasswordsFile</c>): one password in plain text and one
/// as a Pwned-Passwords SHA-1 line.
/// </summary>
public sealed class RiskServerFixture : IAsyncLifetime
{
    public const string BreachedPlain = "Breached#2024pw";
    public const string BreachedSha1 = "Sha1Listed#Pass9";
    public CognateServer Server { get; private set; } = null!;
    public CognitoIdentityProviderClient Admin { get; private set; } = null!;
    public CognitoIdentityProviderClient Public { get; private set; } = null!;
    string file = "";

    public async ValueTask InitializeAsync()
    {
        file = Path.Combine(Path.GetTempPath(), "cognate-breached-" + Guid.NewGuid().ToString("N") + ".txt");
#pragma warning disable CA5350 // the list's format
        var sha1 = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(BreachedSha1)));
#pragma warning restore CA5350
        await File.WriteAllTextAsync(file, $"123456\r\n{BreachedPlain}\n{sha1.ToLowerInvariant()}:42\n\n");
        Server = await CognateServer.StartAsync(new Dictionary<string, string> { ["Cognate__Risk__BreachedPasswordsFile"] = file });
        Admin = Server.Client();
        Public = Server.AnonymousClient();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Public.Dispose();
        await Server.DisposeAsync();
        File.Delete(file);
    }
}

/// <summary>Threat protection over HTTP: risk configuration, IP blocking, breached passwords, auth-event feedback; legacy user settings.</summary>
public sealed class RiskTests(RiskServerFixture f) : IClassFixture<RiskServerFixture>
{
    const string Password = "Passw0rd!";

    static async Task<CognitoServiceException> Fails(Task t, string type, string? message = null)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        if (message is not null) ex.Message.ShouldContain(message);
        return ex;
    }

    async Task<(string Pool, string Client)> PoolAsync(string mode = "ENFORCED")
    {
        var pool = new JsonObject { ["PoolName"] = "risk-" + Guid.NewGuid().ToString("N")[..8], ["AutoVerifiedAttributes"] = new JsonArray("email") };
        if (mode != "NONE") pool["UserPoolAddOns"] = new JsonObject { ["AdvancedSecurityMode"] = mode };
        var id = (string)(await f.Admin.InvokeAsync("CreateUserPool", pool))["UserPool"]!["Id"]!;
        var client = (string)(await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = id, ["ClientName"] = "c",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        return (id, client);
    }

    async Task UserAsync(string pool, string username, string password, string? email = null, string? phone = null)
    {
        var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email ?? $"{username}@example.com" }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" });
        if (phone is not null) attrs.Add(new JsonObject { ["Name"] = "phone_number", ["Value"] = phone });
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["UserAttributes"] = attrs, ["MessageAction"] = "SUPPRESS" });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = password, ["Permanent"] = true });
    }

    Task<JsonObject> SignInAsync(string client, string username, string password) =>
        f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password },
        });

    async Task<JsonArray> EventsAsync(string pool, string username) =>
        (await f.Admin.InvokeAsync("AdminListUserAuthEvents", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username }))["AuthEvents"]!.AsArray();

    Task<JsonObject> SetAsync(string pool, JsonObject body)
    {
        body["UserPoolId"] = pool;
        return f.Admin.InvokeAsync("SetRiskConfiguration", body);
    }

    static JsonObject Blocked(params string[] ranges) => new() { ["RiskExceptionConfiguration"] = new JsonObject { ["BlockedIPRangeList"] = new JsonArray([.. ranges.Select(r => (JsonNode)r)]) } };

    static JsonObject Compromised(string action, params string[] filter)
    {
        var c = new JsonObject { ["Actions"] = new JsonObject { ["EventAction"] = action } };
        if (filter.Length > 0) c["EventFilter"] = new JsonArray([.. filter.Select(x => (JsonNode)x)]);
        return new JsonObject { ["CompromisedCredentialsRiskConfiguration"] = c };
    }

    [Fact]
    public async Task RiskActions_AdvancedSecurityOff_UserPoolAddOnNotEnabled()
    {
        var (pool, client) = await PoolAsync("NONE");
        await Fails(SetAsync(pool, Blocked("10.0.0.0/8")), "UserPoolAddOnNotEnabledException");
        await Fails(f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool }), "UserPoolAddOnNotEnabledException");
        await UserAsync(pool, "ann", Password);
        await SignInAsync(client, "ann", Password);
        var ev = (await EventsAsync(pool, "ann"))[0]!;
        ev["EventRisk"].ShouldBeNull();
        await Fails(f.Admin.InvokeAsync("AdminUpdateAuthEventFeedback", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "ann", ["EventId"] = (string)ev["EventId"]!, ["FeedbackValue"] = "Valid",
        }), "UserPoolAddOnNotEnabledException");
        var (off, _) = await PoolAsync("OFF");
        await Fails(f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = off }), "UserPoolAddOnNotEnabledException");
    }

    [Fact]
    public async Task SetAndDescribe_PoolThenClientOverride_ResetInherits_BadInputRefused()
    {
        var (pool, client) = await PoolAsync();
        var empty = await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool });
        ((string?)empty["RiskConfiguration"]!["UserPoolId"]).ShouldBe(pool);
        empty["RiskConfiguration"]!["RiskExceptionConfiguration"].ShouldBeNull();

        var body = Compromised("BLOCK", "SIGN_IN", "SIGN_UP");
        body["RiskExceptionConfiguration"] = new JsonObject { ["BlockedIPRangeList"] = new JsonArray("192.0.2.0/24"), ["SkippedIPRangeList"] = new JsonArray("2001:db8::/32") };
        body["AccountTakeoverRiskConfiguration"] = new JsonObject
        {
            ["NotifyConfiguration"] = new JsonObject
            {
                ["From"] = "security@example.com", ["SourceArn"] = "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                ["BlockEmail"] = new JsonObject { ["Subject"] = "Blocked", ["TextBody"] = "Blocked sign-in {one-click-link-invalid}" },
            },
            ["Actions"] = new JsonObject
            {
                ["LowAction"] = new JsonObject { ["Notify"] = false, ["EventAction"] = "NO_ACTION" },
                ["HighAction"] = new JsonObject { ["Notify"] = true, ["EventAction"] = "BLOCK" },
            },
        };
        var set = (await SetAsync(pool, body))["RiskConfiguration"]!;
        set["LastModifiedDate"].ShouldNotBeNull();
        var described = (await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool }))["RiskConfiguration"]!;
        described["CompromisedCredentialsRiskConfiguration"]!["EventFilter"]!.AsArray().Select(n => (string?)n).ShouldBe(["SIGN_IN", "SIGN_UP"]);
        ((string?)described["AccountTakeoverRiskConfiguration"]!["Actions"]!["HighAction"]!["EventAction"]).ShouldBe("BLOCK");
        ((string?)described["AccountTakeoverRiskConfiguration"]!["NotifyConfiguration"]!["BlockEmail"]!["Subject"]).ShouldBe("Blocked");
        described["RiskExceptionConfiguration"]!["SkippedIPRangeList"]!.AsArray().Select(n => (string?)n).ShouldBe(["2001:db8::/32"]);

        // a client without its own configuration inherits the pool's
        var inherited = (await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["RiskConfiguration"]!;
        ((string?)inherited["ClientId"]).ShouldBe(client);
        ((string?)inherited["CompromisedCredentialsRiskConfiguration"]!["Actions"]!["EventAction"]).ShouldBe("BLOCK");

        var own = Compromised("NO_ACTION");
        own["ClientId"] = client;
        await SetAsync(pool, own);
        var overridden = (await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["RiskConfiguration"]!;
        ((string?)overridden["CompromisedCredentialsRiskConfiguration"]!["Actions"]!["EventAction"]).ShouldBe("NO_ACTION");
        overridden["RiskExceptionConfiguration"].ShouldBeNull();

        // only the ids: the client inherits again
        await SetAsync(pool, new JsonObject { ["ClientId"] = client });
        var again = (await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool, ["ClientId"] = client }))["RiskConfiguration"]!;
        ((string?)again["CompromisedCredentialsRiskConfiguration"]!["Actions"]!["EventAction"]).ShouldBe("BLOCK");

        await Fails(SetAsync(pool, Blocked("10.0.0.0/33")), "InvalidParameterException");
        await Fails(SetAsync(pool, Blocked("not-an-ip")), "InvalidParameterException");
        await Fails(SetAsync(pool, Compromised("MAYBE")), "InvalidParameterException");
        await Fails(SetAsync(pool, new JsonObject { ["ClientId"] = "nosuchclient123", ["RiskExceptionConfiguration"] = new JsonObject() }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = "us-east-1_Nope12345" }), "ResourceNotFoundException");

        // only the pool id: back to the defaults
        await SetAsync(pool, new JsonObject());
        var reset = (await f.Admin.InvokeAsync("DescribeRiskConfiguration", new JsonObject { ["UserPoolId"] = pool }))["RiskConfiguration"]!;
        reset["CompromisedCredentialsRiskConfiguration"].ShouldBeNull();
    }

    [Fact]
    public async Task BlockedIpRange_SignInRefused_EventRecorded_FeedbackTokenFromEmail_ForgedTokenRefused()
    {
        var (pool, client) = await PoolAsync();
        var email = $"u{Guid.NewGuid():N}@example.com";
        await UserAsync(pool, "bo", Password, email);
        await UserAsync(pool, "cy", Password);
        await SignInAsync(client, "bo", Password); // allowed before the block
        var body = Blocked("10.1.2.0/24", "127.0.0.0/8");
        body["AccountTakeoverRiskConfiguration"] = new JsonObject
        {
            ["NotifyConfiguration"] = new JsonObject
            {
                ["SourceArn"] = "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                ["BlockEmail"] = new JsonObject { ["Subject"] = "Blocked sign-in for {username}", ["TextBody"] = "From {ip-address}. Mine: {one-click-link-valid} Not mine: {one-click-link-invalid}" },
            },
            ["Actions"] = new JsonObject { ["HighAction"] = new JsonObject { ["Notify"] = true, ["EventAction"] = "BLOCK" } },
        };
        await SetAsync(pool, body);

        // attack: a blocked address gets the same answer with the right or a wrong password (nothing learned, nothing counted)
        await Fails(SignInAsync(client, "bo", Password), "NotAuthorizedException", "Unable to login because of security reasons.");
        await Fails(SignInAsync(client, "bo", "Wrong-pass1!"), "NotAuthorizedException", "Unable to login because of security reasons.");
        await Fails(f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = "bo", ["PASSWORD"] = Password },
        }), "NotAuthorizedException", "security reasons");

        var events = await EventsAsync(pool, "bo");
        events.Count.ShouldBe(4);
        var blocked = events[0]!;
        ((string?)blocked["EventResponse"]).ShouldBe("Fail");
        ((string?)blocked["EventRisk"]!["RiskDecision"]).ShouldBe("Block");
        ((string?)blocked["EventContextData"]!["IpAddress"]).ShouldBe("127.0.0.1");
        ((string?)events[3]!["EventRisk"]!["RiskDecision"]).ShouldBe("NoRisk");
        ((string?)events[3]!["EventRisk"]!["RiskLevel"]).ShouldBe("Low");

        var message = await f.Server.LatestMessageAsync(email);
        ((string?)message["subject"]).ShouldBe("Blocked sign-in for bo");
        var text = (string)message["body"]!;
        text.ShouldContain("From 127.0.0.1.");
        var link = Regex.Match(text, @"event_id=([0-9a-f-]+)&feedback_token=([A-Za-z0-9_-]+)&feedback_value=Valid");
        link.Success.ShouldBeTrue(text);
        var eventId = link.Groups[1].Value;
        var token = link.Groups[2].Value;
        eventId.ShouldBe((string)blocked["EventId"]!);

        JsonObject Feedback(string user, string id, string t, string value = "Valid") => new()
        {
            ["UserPoolId"] = pool, ["Username"] = user, ["EventId"] = id, ["FeedbackToken"] = t, ["FeedbackValue"] = value,
        };
        // attack: forged, altered, other-event and other-user tokens are refused alike
        await Fails(f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("bo", eventId, "forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")), "NotAuthorizedException", "Invalid feedback token.");
        await Fails(f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("bo", eventId, token[..^1] + (token[^1] == 'A' ? 'B' : 'A'))), "NotAuthorizedException");
        await Fails(f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("bo", (string)events[1]!["EventId"]!, token)), "NotAuthorizedException");
        await Fails(f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("cy", eventId, token)), "NotAuthorizedException");
        await Fails(f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("nobody", eventId, token)), "NotAuthorizedException");
        (await EventsAsync(pool, "bo"))[0]!["EventFeedback"].ShouldBeNull();

        await f.Public.InvokeAsync("UpdateAuthEventFeedback", Feedback("bo", eventId, token, "Invalid"));
        var fb = (await EventsAsync(pool, "bo"))[0]!["EventFeedback"]!;
        ((string?)fb["FeedbackValue"]).ShouldBe("Invalid");
        ((string?)fb["Provider"]).ShouldBe("User");
        fb["FeedbackDate"].ShouldNotBeNull();

        await f.Admin.InvokeAsync("AdminUpdateAuthEventFeedback", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bo", ["EventId"] = (string)events[3]!["EventId"]!, ["FeedbackValue"] = "Valid" });
        var adminFb = (await EventsAsync(pool, "bo"))[3]!["EventFeedback"]!;
        ((string?)adminFb["Provider"]).ShouldBe("Admin");
        ((string?)adminFb["FeedbackValue"]).ShouldBe("Valid");
        await Fails(f.Admin.InvokeAsync("AdminUpdateAuthEventFeedback", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bo", ["EventId"] = Guid.NewGuid().ToString(), ["FeedbackValue"] = "Valid" }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminUpdateAuthEventFeedback", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost", ["EventId"] = eventId, ["FeedbackValue"] = "Valid" }), "UserNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminUpdateAuthEventFeedback", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bo", ["EventId"] = eventId, ["FeedbackValue"] = "Maybe" }), "InvalidParameterException");

        // the email's one-click link: GET only shows a form, POST stores the feedback; a forged token is refused
        await Fails(SignInAsync(client, "bo", Password), "NotAuthorizedException");
        var second = (string)(await f.Server.LatestMessageAsync(email))["body"]!;
        var url = Regex.Match(second, @"http://\S+feedback_value=Valid").Value;
        url.ShouldStartWith(f.Server.Endpoint.ToString().TrimEnd('/') + "/" + pool + "/risk/feedback?");
        var secondEvent = Regex.Match(url, "event_id=([0-9a-f-]+)").Groups[1].Value;
        var secondToken = Regex.Match(url, "feedback_token=([A-Za-z0-9_-]+)").Groups[1].Value;
        using (var page = await f.Server.Http.GetAsync(url))
        {
            page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            (await page.Content.ReadAsStringAsync()).ShouldContain("<form method=\"post\">");
        }
        (await EventsAsync(pool, "bo"))[0]!["EventFeedback"].ShouldBeNull();
        FormUrlEncodedContent Form(string t) => new(new Dictionary<string, string>
        {
            ["username"] = "bo", ["event_id"] = secondEvent, ["feedback_token"] = t, ["feedback_value"] = "Valid",
        });
        using (var forged = await f.Server.Http.PostAsync(url, Form(RiskForgery())))
        {
            forged.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        }
        (await EventsAsync(pool, "bo"))[0]!["EventFeedback"].ShouldBeNull();
        using (var posted = await f.Server.Http.PostAsync(url, Form(secondToken)))
        {
            posted.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        }
        var pageFb = (await EventsAsync(pool, "bo"))[0]!;
        ((string?)pageFb["EventId"]).ShouldBe(secondEvent);
        ((string?)pageFb["EventFeedback"]!["FeedbackValue"]).ShouldBe("Valid");
        ((string?)pageFb["EventFeedback"]!["Provider"]).ShouldBe("User");

        // a client whose own configuration has no block list signs in from the same address
        var (other, _) = (pool, "");
        var client2 = (string)(await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = other, ["ClientName"] = "c2", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        var own = Compromised("NO_ACTION");
        own["ClientId"] = client2;
        await SetAsync(pool, own);
        (await SignInAsync(client2, "bo", Password))["AuthenticationResult"].ShouldNotBeNull();
        await Fails(SignInAsync(client, "bo", Password), "NotAuthorizedException");
    }

    static string RiskForgery() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task BlockedIpRange_UserAuthAndCustomAuth_RefusedBeforeAnyChallenge_SameAnswerForUnknownUsers()
    {
        var (pool, _) = await PoolAsync();
        var client = (string)(await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientName"] = "choice",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        await UserAsync(pool, "di", Password);
        Task<JsonObject> Start(string flow, string username) => f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = flow, ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = username },
        });

        // Before the block, USER_AUTH offers its challenges.
        ((string?)(await Start("USER_AUTH", "di"))["ChallengeName"]).ShouldBe("SELECT_CHALLENGE");
        await SetAsync(pool, Blocked("127.0.0.0/8"));

        // attack: from a blocked address no challenge (passwordless code, passkey, custom challenge) is ever offered, and the answer is
        // the same for a user who exists and one who does not.
        await Fails(Start("USER_AUTH", "di"), "NotAuthorizedException", "Unable to login because of security reasons.");
        await Fails(Start("USER_AUTH", "nobody-" + Guid.NewGuid().ToString("N")[..6]), "NotAuthorizedException", "Unable to login because of security reasons.");
        await Fails(Start("CUSTOM_AUTH", "di"), "NotAuthorizedException", "Unable to login because of security reasons.");

        // An address outside the list signs in as before.
        await SetAsync(pool, Blocked("10.1.2.0/24"));
        ((string?)(await Start("USER_AUTH", "di"))["ChallengeName"]).ShouldBe("SELECT_CHALLENGE");
    }

    [Fact]
    public async Task BlockedIpRange_AuditMode_RecordsBlockButSignsIn()
    {
        var (pool, client) = await PoolAsync("AUDIT");
        await UserAsync(pool, "di", Password);
        await SetAsync(pool, Blocked("127.0.0.1/32"));
        (await SignInAsync(client, "di", Password))["AuthenticationResult"].ShouldNotBeNull();
        var ev = (await EventsAsync(pool, "di"))[0]!;
        ((string?)ev["EventResponse"]).ShouldBe("Pass");
        ((string?)ev["EventRisk"]!["RiskDecision"]).ShouldBe("Block");
    }

    [Fact]
    public async Task BreachedPassword_SignUpAndChangeRefused_SignInBlockedToResetRequired()
    {
        var (pool, client) = await PoolAsync();
        await SetAsync(pool, Compromised("BLOCK"));

        // attack: sign-up with a breached password (plain-text line and SHA-1 line)
        JsonObject SignUp(string name, string pw) => new()
        {
            ["ClientId"] = client, ["Username"] = name, ["Password"] = pw,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = name + "@example.com" }),
        };
        await Fails(f.Public.InvokeAsync("SignUp", SignUp("eve", RiskServerFixture.BreachedPlain)), "InvalidPasswordException", "Provided password cannot be used for security reasons.");
        await Fails(f.Public.InvokeAsync("SignUp", SignUp("eve", RiskServerFixture.BreachedSha1)), "InvalidPasswordException", "security reasons");
        await Fails(f.Public.InvokeAsync("SignUp", SignUp("eve", "short")), "InvalidPasswordException", "Password not long enough");
        await f.Public.InvokeAsync("SignUp", SignUp("eve", Password));

        // change to a breached password
        await UserAsync(pool, "fay", Password);
        var access = (string)(await SignInAsync(client, "fay", Password))["AuthenticationResult"]!["AccessToken"]!;
        await Fails(f.Public.InvokeAsync("ChangePassword", new JsonObject { ["AccessToken"] = access, ["PreviousPassword"] = Password, ["ProposedPassword"] = RiskServerFixture.BreachedSha1 }),
            "InvalidPasswordException", "security reasons");
        await f.Public.InvokeAsync("ChangePassword", new JsonObject { ["AccessToken"] = access, ["PreviousPassword"] = Password, ["ProposedPassword"] = "An0ther!Pass" });

        // sign-in with a breached password (set by an administrator): blocked, user RESET_REQUIRED
        await UserAsync(pool, "gus", RiskServerFixture.BreachedPlain);
        await Fails(SignInAsync(client, "gus", "Wrong-pass1!"), "NotAuthorizedException", "Incorrect username or password.");
        await Fails(SignInAsync(client, "gus", RiskServerFixture.BreachedPlain), "PasswordResetRequiredException");
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "gus" });
        ((string?)user["UserStatus"]).ShouldBe("RESET_REQUIRED");
        var events = await EventsAsync(pool, "gus");
        ((string?)events[0]!["EventRisk"]!["RiskDecision"]).ShouldBe("Block");
        ((bool?)events[0]!["EventRisk"]!["CompromisedCredentialsDetected"]).ShouldBe(true);
        ((bool?)events[1]!["EventRisk"]!["CompromisedCredentialsDetected"]).ShouldBe(false); // a wrong password proves nothing
    }

    [Fact]
    public async Task BreachedPassword_FilterNoActionAndSkippedRange_Allowed()
    {
        var (pool, client) = await PoolAsync();
        await UserAsync(pool, "hal", RiskServerFixture.BreachedPlain);
        await SetAsync(pool, Compromised("BLOCK", "SIGN_UP")); // not SIGN_IN
        (await SignInAsync(client, "hal", RiskServerFixture.BreachedPlain))["AuthenticationResult"].ShouldNotBeNull();
        var ev = (await EventsAsync(pool, "hal"))[0]!;
        ((string?)ev["EventRisk"]!["RiskDecision"]).ShouldBe("NoRisk");
        ((bool?)ev["EventRisk"]!["CompromisedCredentialsDetected"]).ShouldBe(false);

        await SetAsync(pool, Compromised("NO_ACTION"));
        (await SignInAsync(client, "hal", RiskServerFixture.BreachedPlain))["AuthenticationResult"].ShouldNotBeNull();
        ((bool?)(await EventsAsync(pool, "hal"))[0]!["EventRisk"]!["CompromisedCredentialsDetected"]).ShouldBe(true);

        var skipped = Compromised("BLOCK");
        skipped["RiskExceptionConfiguration"] = new JsonObject { ["SkippedIPRangeList"] = new JsonArray("127.0.0.0/8") };
        await SetAsync(pool, skipped);
        (await SignInAsync(client, "hal", RiskServerFixture.BreachedPlain))["AuthenticationResult"].ShouldNotBeNull();

        // the OFF pool ignores a breached password
        var (off, offClient) = await PoolAsync("NONE");
        await UserAsync(off, "ivy", RiskServerFixture.BreachedPlain);
        (await SignInAsync(offClient, "ivy", RiskServerFixture.BreachedPlain))["AuthenticationResult"].ShouldNotBeNull();
    }

    [Fact]
    public async Task SetUserSettings_SmsOptionSetsAndClearsSmsMfa_OthersRefused()
    {
        var (pool, client) = await PoolAsync("NONE");
        await UserAsync(pool, "jo", Password, phone: "+15555550100");
        JsonArray Sms() => new(new JsonObject { ["DeliveryMedium"] = "SMS", ["AttributeName"] = "phone_number" });
        await f.Admin.InvokeAsync("AdminSetUserSettings", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "jo", ["MFAOptions"] = Sms() });
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "jo" });
        ((string?)user["MFAOptions"]![0]!["DeliveryMedium"]).ShouldBe("SMS");
        ((string?)user["PreferredMfaSetting"]).ShouldBe("SMS_MFA");
        user["UserMFASettingList"]!.AsArray().Select(n => (string?)n).ShouldBe(["SMS_MFA"]);

        await f.Admin.InvokeAsync("AdminSetUserSettings", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "jo", ["MFAOptions"] = new JsonArray() });
        user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "jo" });
        user["MFAOptions"].ShouldBeNull();
        user["PreferredMfaSetting"].ShouldBeNull();

        await Fails(f.Admin.InvokeAsync("AdminSetUserSettings", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "jo", ["MFAOptions"] = new JsonArray(new JsonObject { ["DeliveryMedium"] = "EMAIL", ["AttributeName"] = "email" }),
        }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("AdminSetUserSettings", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ghost", ["MFAOptions"] = Sms() }), "UserNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminSetUserSettings", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "jo" }), "InvalidParameterException");

        var access = (string)(await SignInAsync(client, "jo", Password))["AuthenticationResult"]!["AccessToken"]!;
        await f.Public.InvokeAsync("SetUserSettings", new JsonObject { ["AccessToken"] = access, ["MFAOptions"] = Sms() });
        var own = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = access });
        ((string?)own["MFAOptions"]![0]!["AttributeName"]).ShouldBe("phone_number");

        await UserAsync(pool, "kim", Password); // no phone_number
        var kim = (string)(await SignInAsync(client, "kim", Password))["AuthenticationResult"]!["AccessToken"]!;
        await Fails(f.Public.InvokeAsync("SetUserSettings", new JsonObject { ["AccessToken"] = kim, ["MFAOptions"] = Sms() }), "InvalidParameterException");
        await Fails(f.Public.InvokeAsync("SetUserSettings", new JsonObject { ["AccessToken"] = "not-a-token", ["MFAOptions"] = Sms() }), "NotAuthorizedException");
    }
}
