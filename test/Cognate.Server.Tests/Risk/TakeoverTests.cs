using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cognate.Client;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Risk;

/// <summary>
/// Account-takeover protection over HTTP: the risk level from the user's sign-in history (new source IP, given to the admin
/// sign-in as <c>ContextData.IpAddress</c>) and the configured action per level (BLOCK, MFA_IF_CONFIGURED, MFA_REQUIRED,
/// NO_ACTION) in ENFORCED mode; AUDIT records the level only.
/// </summary>
public sealed class TakeoverTests(RiskServerFixture f) : IClassFixture<RiskServerFixture>
{
    const string Password = "Passw0rd!";
    const string HomeIp = "203.0.113.5";
    const string OtherIp = "198.51.100.7";

    static async Task<CognitoServiceException> Fails(Task t, string type, string? message = null)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        if (message is not null) ex.Message.ShouldContain(message);
        return ex;
    }

    async Task<(string Pool, string Client)> PoolAsync(string mode, JsonObject takeover, bool emailMfa = false)
    {
        var id = (string)(await f.Admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "ato-" + Guid.NewGuid().ToString("N")[..8],
            ["UserPoolAddOns"] = new JsonObject { ["AdvancedSecurityMode"] = mode },
        }))["UserPool"]!["Id"]!;
        var client = (string)(await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = id, ["ClientName"] = "c",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        if (emailMfa)
        {
            await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
            {
                ["UserPoolId"] = id, ["MfaConfiguration"] = "OPTIONAL",
                ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Email code {####}", ["Subject"] = "Sign-in code" },
            });
        }
        await f.Admin.InvokeAsync("SetRiskConfiguration", new JsonObject { ["UserPoolId"] = id, ["AccountTakeoverRiskConfiguration"] = takeover });
        return (id, client);
    }

    static JsonObject Takeover(string highAction, bool notify = false, string? lowAction = null) => new()
    {
        ["NotifyConfiguration"] = new JsonObject
        {
            ["SourceArn"] = "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            ["BlockEmail"] = new JsonObject { ["Subject"] = "Blocked {username}", ["TextBody"] = "From {ip-address}. Not mine: {one-click-link-invalid}" },
            ["MfaEmail"] = new JsonObject { ["Subject"] = "MFA {username}", ["TextBody"] = "From {ip-address}. Mine: {one-click-link-valid}" },
            ["NoActionEmail"] = new JsonObject { ["Subject"] = "Signed in {username}", ["TextBody"] = "From {ip-address}. Mine: {one-click-link-valid}" },
        },
        ["Actions"] = new JsonObject
        {
            ["LowAction"] = new JsonObject { ["Notify"] = false, ["EventAction"] = lowAction ?? "NO_ACTION" },
            ["HighAction"] = new JsonObject { ["Notify"] = notify, ["EventAction"] = highAction },
        },
    };

    async Task<string> UserAsync(string pool, string username)
    {
        var email = $"u{Guid.NewGuid():N}@example.com";
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = username, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
        return email;
    }

    Task<JsonObject> SignInAsync(string pool, string client, string username, string ip, string password = Password) =>
        f.Admin.InvokeAsync("AdminInitiateAuth", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["AuthFlow"] = "ADMIN_USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = password },
            ["ContextData"] = new JsonObject { ["IpAddress"] = ip, ["ServerName"] = "app.example.com", ["ServerPath"] = "/login", ["HttpHeaders"] = new JsonArray() },
        });

    async Task<JsonObject> LatestEventAsync(string pool, string username) =>
        (await f.Admin.InvokeAsync("AdminListUserAuthEvents", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username }))["AuthEvents"]!.AsArray()[0]!.AsObject();

    static void ShouldBeRisk(JsonObject ev, string response, string decision, string level, string ip)
    {
        ((string?)ev["EventResponse"]).ShouldBe(response);
        ((string?)ev["EventRisk"]!["RiskDecision"]).ShouldBe(decision);
        ((string?)ev["EventRisk"]!["RiskLevel"]).ShouldBe(level);
        ((string?)ev["EventContextData"]!["IpAddress"]).ShouldBe(ip);
    }

    [Fact]
    public async Task NewIp_HighRisk_Block_NotifiesWithFeedbackLink_KnownIpStillSignsIn()
    {
        var (pool, client) = await PoolAsync("ENFORCED", Takeover("BLOCK", notify: true));
        var email = await UserAsync(pool, "ana");
        (await SignInAsync(pool, client, "ana", HomeIp))["AuthenticationResult"].ShouldNotBeNull(); // no history: Low
        ShouldBeRisk(await LatestEventAsync(pool, "ana"), "Pass", "NoRisk", "Low", HomeIp);
        (await SignInAsync(pool, client, "ana", HomeIp))["AuthenticationResult"].ShouldNotBeNull(); // known IP: Low

        // attack: the right password from a new address is refused; a wrong one gets the usual answer (nothing learned)
        await Fails(SignInAsync(pool, client, "ana", OtherIp), "NotAuthorizedException", "Unable to login because of security reasons.");
        var blocked = await LatestEventAsync(pool, "ana");
        ShouldBeRisk(blocked, "Fail", "AccountTakeover", "High", OtherIp);
        await Fails(SignInAsync(pool, client, "ana", OtherIp, "Wrong-pass1!"), "NotAuthorizedException", "Incorrect username or password.");
        // the blocked attempt did not make the address known
        await Fails(SignInAsync(pool, client, "ana", OtherIp), "NotAuthorizedException", "security reasons");

        var message = await f.Server.LatestMessageAsync(email);
        ((string?)message["subject"]).ShouldBe("Blocked ana");
        var text = (string)message["body"]!;
        text.ShouldContain($"From {OtherIp}.");
        Regex.IsMatch(text, @"event_id=[0-9a-f-]+&feedback_token=").ShouldBeTrue(text);

        (await SignInAsync(pool, client, "ana", HomeIp))["AuthenticationResult"].ShouldNotBeNull();
    }

    [Fact]
    public async Task NewIp_MfaIfConfigured_ChallengesEmailOtp_EvenThoughUserHasNoMfaEnabled()
    {
        var (pool, client) = await PoolAsync("ENFORCED", Takeover("MFA_IF_CONFIGURED", notify: true), emailMfa: true);
        var email = await UserAsync(pool, "bea");
        (await SignInAsync(pool, client, "bea", HomeIp))["AuthenticationResult"].ShouldNotBeNull(); // pool MFA OPTIONAL, none enabled

        var challenge = await SignInAsync(pool, client, "bea", OtherIp);
        ((string?)challenge["ChallengeName"]).ShouldBe("EMAIL_OTP");
        ShouldBeRisk(await LatestEventAsync(pool, "bea"), "InProgress", "AccountTakeover", "High", OtherIp);
        var notice = await f.Server.LatestMessageAsync(email);
        ((string?)notice["subject"]).ShouldBe("Sign-in code"); // the code comes after the MfaEmail
        await Fails(f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "EMAIL_OTP", ["Session"] = challenge["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "bea", ["EMAIL_OTP_CODE"] = "00000000" },
        }), "CodeMismatchException");
        var done = await f.Admin.InvokeAsync("AdminRespondToAuthChallenge", new JsonObject
        {
            ["UserPoolId"] = pool, ["ClientId"] = client, ["ChallengeName"] = "EMAIL_OTP", ["Session"] = challenge["Session"]!.DeepClone(),
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = "bea", ["EMAIL_OTP_CODE"] = (string)notice["code"]! },
        });
        done["AuthenticationResult"].ShouldNotBeNull();
        // the challenged address is not learned: the next sign-in from it is challenged again
        ((string?)(await SignInAsync(pool, client, "bea", OtherIp))["ChallengeName"]).ShouldBe("EMAIL_OTP");
        (await SignInAsync(pool, client, "bea", HomeIp))["AuthenticationResult"].ShouldNotBeNull();
    }

    [Fact]
    public async Task NewIp_MfaRequired_WithoutAnyFactor_Blocks_MfaIfConfigured_WithoutFactor_Passes()
    {
        var (pool, client) = await PoolAsync("ENFORCED", Takeover("MFA_REQUIRED")); // the pool offers no MFA: no factor
        await UserAsync(pool, "cal");
        await SignInAsync(pool, client, "cal", HomeIp);
        await Fails(SignInAsync(pool, client, "cal", OtherIp), "NotAuthorizedException", "security reasons");
        ShouldBeRisk(await LatestEventAsync(pool, "cal"), "Fail", "AccountTakeover", "High", OtherIp);

        var (pool2, client2) = await PoolAsync("ENFORCED", Takeover("MFA_IF_CONFIGURED"));
        await UserAsync(pool2, "cal");
        await SignInAsync(pool2, client2, "cal", HomeIp);
        (await SignInAsync(pool2, client2, "cal", OtherIp))["AuthenticationResult"].ShouldNotBeNull();
        ShouldBeRisk(await LatestEventAsync(pool2, "cal"), "Pass", "AccountTakeover", "High", OtherIp);
    }

    [Fact]
    public async Task NoAction_PassesAndSendsNoActionEmail_Audit_NeverBlocks()
    {
        var (pool, client) = await PoolAsync("ENFORCED", Takeover("NO_ACTION", notify: true));
        var email = await UserAsync(pool, "dan");
        await SignInAsync(pool, client, "dan", HomeIp);
        (await SignInAsync(pool, client, "dan", OtherIp))["AuthenticationResult"].ShouldNotBeNull();
        ShouldBeRisk(await LatestEventAsync(pool, "dan"), "Pass", "AccountTakeover", "High", OtherIp);
        ((string?)(await f.Server.LatestMessageAsync(email))["subject"]).ShouldBe("Signed in dan");

        var (audit, auditClient) = await PoolAsync("AUDIT", Takeover("BLOCK", notify: true, lowAction: "BLOCK"));
        var auditEmail = await UserAsync(audit, "eve");
        (await SignInAsync(audit, auditClient, "eve", HomeIp))["AuthenticationResult"].ShouldNotBeNull();
        (await SignInAsync(audit, auditClient, "eve", OtherIp))["AuthenticationResult"].ShouldNotBeNull();
        ShouldBeRisk(await LatestEventAsync(audit, "eve"), "Pass", "AccountTakeover", "High", OtherIp);
        await Should.ThrowAsync<InvalidOperationException>(f.Server.LatestMessageAsync(auditEmail)); // AUDIT sends nothing
    }

    [Fact]
    public async Task ModeOff_NoRiskRecorded_SignInFromAnyAddressPasses()
    {
        var id = (string)(await f.Admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "ato-off" }))["UserPool"]!["Id"]!;
        var client = (string)(await f.Admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = id, ["ClientName"] = "c", ["ExplicitAuthFlows"] = new JsonArray("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        await UserAsync(id, "fay");
        await SignInAsync(id, client, "fay", HomeIp);
        (await SignInAsync(id, client, "fay", OtherIp))["AuthenticationResult"].ShouldNotBeNull();
        (await LatestEventAsync(id, "fay")).ContainsKey("EventRisk").ShouldBeFalse();
    }
}
