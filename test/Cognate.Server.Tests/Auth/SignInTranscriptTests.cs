using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Auth;

/// <summary>
/// Byte-for-byte answers of InitiateAuth / RespondToAuthChallenge / Associate- and VerifySoftwareToken (the Session path)
/// over every flow and challenge, errors included, compared with the committed files in <c>Auth/Transcripts/</c>
/// (docs/design/sign-in-engine.md §7 commit 0). The files were recorded on main before the sign-in engine replaced
/// AuthService / SignInFlows, so a green run means the JSON doors answer exactly as before.
/// </summary>
public sealed class SignInTranscriptTests(ServerFixture f)
{
    const string Password = "Passw0rd!";
    static readonly string[] Volatile = ["Session", "AccessToken", "IdToken", "RefreshToken", "SECRET_BLOCK", "SRP_B", "SALT", "SecretCode"];
    static readonly MediaTypeHeaderValue JsonType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");

    /// <summary>Calls a public (unsigned) action and returns the status, the raw body and the parsed body.</summary>
    async Task<(int Status, string Body, JsonObject Json)> CallAsync(string action, JsonObject request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, f.Server.Endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.ToJsonString())) };
        message.Content.Headers.ContentType = JsonType;
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
        using var response = await f.Server.Http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body, body.Length > 0 && JsonNode.Parse(body) is JsonObject o ? o : []);
    }

    async Task<JsonObject> StepAsync(Transcript t, string step, string action, JsonObject request)
    {
        var (status, body, json) = await CallAsync(action, request);
        t.Add(step, status, body, Volatile);
        return json;
    }

    Task<JsonObject> InitiateAsync(Transcript t, string step, string client, string flow, JsonObject p, string? session = null)
    {
        var req = new JsonObject { ["ClientId"] = client, ["AuthFlow"] = flow, ["AuthParameters"] = p };
        if (session is not null) req["Session"] = session;
        return StepAsync(t, step, "InitiateAuth", req);
    }

    Task<JsonObject> RespondAsync(Transcript t, string step, string client, string challenge, string? session, JsonObject responses)
    {
        var req = new JsonObject { ["ClientId"] = client, ["ChallengeName"] = challenge, ["ChallengeResponses"] = responses };
        if (session is not null) req["Session"] = session;
        return StepAsync(t, step, "RespondToAuthChallenge", req);
    }

    async Task<(string Pool, string Client, string? Secret)> PoolAsync(Transcript t, JsonObject? pool = null, bool secret = false)
    {
        var id = await f.CreatePoolAsync(pool);
        var (client, sec) = await f.CreateClientAsync(id, secret, new JsonObject
        {
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        });
        t.Mask(id, "<PoolId>");
        t.Mask(client, "<ClientId>");
        return (id, client, sec);
    }

    async Task UserAsync(string pool, string username, string email, string? temporaryPassword = null)
    {
        var attrs = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" });
        var create = new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["UserAttributes"] = attrs, ["MessageAction"] = "SUPPRESS" };
        if (temporaryPassword is not null) create["TemporaryPassword"] = temporaryPassword;
        await f.Admin.InvokeAsync("AdminCreateUser", create);
        if (temporaryPassword is null)
        {
            await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
        }
    }

    static void Pass(Transcript t) => t.Compare().ShouldBeNull();

    [Fact]
    public async Task PasswordSrpRefreshAndSessionErrors_SameBytes()
    {
        var t = new Transcript("password-srp-refresh");
        var (pool, client, _) = await PoolAsync(t);
        var email = ServerFixture.NewEmail();
        t.Mask(email, "<Email>");
        await UserAsync(pool, "paula", email);
        JsonObject Pw(string user, string password) => new() { ["USERNAME"] = user, ["PASSWORD"] = password };

        var signedIn = await InitiateAsync(t, "USER_PASSWORD_AUTH ok", client, "USER_PASSWORD_AUTH", Pw("paula", Password));
        await InitiateAsync(t, "USER_PASSWORD_AUTH wrong password", client, "USER_PASSWORD_AUTH", Pw("paula", "Wrong-pass1"));
        await InitiateAsync(t, "USER_PASSWORD_AUTH unknown user", client, "USER_PASSWORD_AUTH", Pw("nobody", Password));
        await InitiateAsync(t, "USER_PASSWORD_AUTH missing PASSWORD", client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "paula" });
        await InitiateAsync(t, "ADMIN_NO_SRP_AUTH on the public API", client, "ADMIN_NO_SRP_AUTH", Pw("paula", Password));
        await InitiateAsync(t, "CUSTOM_AUTH not enabled", client, "CUSTOM_AUTH", new JsonObject { ["USERNAME"] = "paula" });
        await InitiateAsync(t, "USER_SRP_AUTH", client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "paula", ["SRP_A"] = "1" + new string('a', 128) });
        await InitiateAsync(t, "USER_SRP_AUTH bad SRP_A", client, "USER_SRP_AUTH", new JsonObject { ["USERNAME"] = "paula", ["SRP_A"] = "zz" });
        await RespondAsync(t, "PASSWORD_VERIFIER garbage block", client, "PASSWORD_VERIFIER", null, new JsonObject
        {
            ["USERNAME"] = "paula", ["PASSWORD_CLAIM_SECRET_BLOCK"] = "AAAA", ["PASSWORD_CLAIM_SIGNATURE"] = "AAAA", ["TIMESTAMP"] = "Sat Dec 5 08:00:00 UTC 2026",
        });
        var refresh = (string)signedIn["AuthenticationResult"]!["RefreshToken"]!;
        await InitiateAsync(t, "REFRESH_TOKEN_AUTH ok", client, "REFRESH_TOKEN_AUTH", new JsonObject { ["REFRESH_TOKEN"] = refresh });
        await InitiateAsync(t, "REFRESH_TOKEN_AUTH unknown", client, "REFRESH_TOKEN_AUTH", new JsonObject { ["REFRESH_TOKEN"] = "nope" });
        await RespondAsync(t, "respond without Session", client, "SMS_MFA", null, new JsonObject { ["USERNAME"] = "paula", ["SMS_MFA_CODE"] = "123456" });
        await RespondAsync(t, "respond unknown Session", client, "SMS_MFA", "AYABeNotASession", new JsonObject { ["USERNAME"] = "paula", ["SMS_MFA_CODE"] = "123456" });
        await RespondAsync(t, "respond unknown challenge", client, "CUSTOM_CHALLENGE", "AYABeNotASession", new JsonObject { ["USERNAME"] = "paula" });
        await RespondAsync(t, "respond WEB_AUTHN", client, "WEB_AUTHN", "AYABeNotASession", new JsonObject { ["USERNAME"] = "paula" });
        Pass(t);
    }

    [Fact]
    public async Task NewPasswordRequired_SameBytes()
    {
        var t = new Transcript("new-password-required");
        var (pool, client, _) = await PoolAsync(t);
        var email = ServerFixture.NewEmail();
        t.Mask(email, "<Email>");
        await UserAsync(pool, "nora", email, temporaryPassword: "Temp-pass1!");
        var c = await InitiateAsync(t, "USER_PASSWORD_AUTH temporary password", client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "nora", ["PASSWORD"] = "Temp-pass1!" });
        var session = (string)c["Session"]!;
        await RespondAsync(t, "wrong challenge name", client, "SMS_MFA", session, new JsonObject { ["USERNAME"] = "nora", ["SMS_MFA_CODE"] = "123456" });
        await RespondAsync(t, "missing NEW_PASSWORD", client, "NEW_PASSWORD_REQUIRED", session, new JsonObject { ["USERNAME"] = "nora" });
        await RespondAsync(t, "weak password", client, "NEW_PASSWORD_REQUIRED", session, new JsonObject { ["USERNAME"] = "nora", ["NEW_PASSWORD"] = "short" });
        await RespondAsync(t, "malformed attribute", client, "NEW_PASSWORD_REQUIRED", session, new JsonObject { ["USERNAME"] = "nora", ["NEW_PASSWORD"] = "N3w-Passw0rd!", ["userAttributes.email"] = "nope" });
        await RespondAsync(t, "new password", client, "NEW_PASSWORD_REQUIRED", session, new JsonObject { ["USERNAME"] = "nora", ["NEW_PASSWORD"] = "N3w-Passw0rd!" });
        await RespondAsync(t, "replayed session", client, "NEW_PASSWORD_REQUIRED", session, new JsonObject { ["USERNAME"] = "nora", ["NEW_PASSWORD"] = "N3w-Passw0rd!" });
        Pass(t);
    }

    [Fact]
    public async Task MfaSetupTotpAndSoftwareTokenMfa_SameBytes()
    {
        var t = new Transcript("mfa-setup-totp");
        var (pool, client, _) = await PoolAsync(t);
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = pool, ["MfaConfiguration"] = "ON", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Code {####}", ["Subject"] = "Code" },
        });
        var email = ServerFixture.NewEmail();
        t.Mask(email, "<Email>");
        await UserAsync(pool, "tom", email);
        var c = await InitiateAsync(t, "MFA_SETUP issued", client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "tom", ["PASSWORD"] = Password });
        var session = (string)c["Session"]!;
        await RespondAsync(t, "MFA_SETUP incomplete", client, "MFA_SETUP", session, new JsonObject { ["USERNAME"] = "tom" });
        await RespondAsync(t, "MFA_SETUP bad email", client, "MFA_SETUP", session, new JsonObject { ["USERNAME"] = "tom", ["EMAIL"] = "nope" });
        var assoc = await StepAsync(t, "AssociateSoftwareToken", "AssociateSoftwareToken", new JsonObject { ["Session"] = session });
        await StepAsync(t, "AssociateSoftwareToken spent session", "AssociateSoftwareToken", new JsonObject { ["Session"] = session });
        var secret = (string)assoc["SecretCode"]!;
        await StepAsync(t, "VerifySoftwareToken wrong code", "VerifySoftwareToken", new JsonObject { ["Session"] = assoc["Session"]!.DeepClone(), ["UserCode"] = Otp.Code(secret, -150) });
        var verified = await StepAsync(t, "VerifySoftwareToken", "VerifySoftwareToken", new JsonObject { ["Session"] = assoc["Session"]!.DeepClone(), ["UserCode"] = Otp.Code(secret), ["FriendlyDeviceName"] = "phone" });
        await RespondAsync(t, "MFA_SETUP complete", client, "MFA_SETUP", (string)verified["Session"]!, new JsonObject { ["USERNAME"] = "tom" });
        var again = await InitiateAsync(t, "SOFTWARE_TOKEN_MFA issued", client, "USER_PASSWORD_AUTH", new JsonObject { ["USERNAME"] = "tom", ["PASSWORD"] = Password });
        var s2 = (string)again["Session"]!;
        await RespondAsync(t, "SOFTWARE_TOKEN_MFA wrong code", client, "SOFTWARE_TOKEN_MFA", s2, new JsonObject { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = Otp.Code(secret, -150) });
        await RespondAsync(t, "SOFTWARE_TOKEN_MFA missing code", client, "SOFTWARE_TOKEN_MFA", s2, new JsonObject { ["USERNAME"] = "tom" });
        await RespondAsync(t, "SOFTWARE_TOKEN_MFA next step", client, "SOFTWARE_TOKEN_MFA", s2, new JsonObject { ["USERNAME"] = "tom", ["SOFTWARE_TOKEN_MFA_CODE"] = Otp.Code(secret, 30) });
        Pass(t);
    }

    [Fact]
    public async Task UserAuthSelectChallengeAndEmailOtp_SameBytes()
    {
        var t = new Transcript("user-auth-email-otp");
        var (pool, client, _) = await PoolAsync(t, new JsonObject
        {
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        });
        var email = ServerFixture.NewEmail();
        t.Mask(email, "<Email>");
        await UserAsync(pool, "ulla", email);
        var select = await InitiateAsync(t, "USER_AUTH select", client, "USER_AUTH", new JsonObject { ["USERNAME"] = "ulla" });
        var session = (string)select["Session"]!;
        await RespondAsync(t, "SELECT_CHALLENGE unavailable", client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = "ulla", ["ANSWER"] = "SMS_OTP" });
        await RespondAsync(t, "SELECT_CHALLENGE WEB_AUTHN", client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = "ulla", ["ANSWER"] = "WEB_AUTHN" });
        await RespondAsync(t, "SELECT_CHALLENGE missing ANSWER", client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = "ulla" });
        await RespondAsync(t, "SELECT_CHALLENGE missing USERNAME", client, "SELECT_CHALLENGE", session, new JsonObject { ["ANSWER"] = "EMAIL_OTP" });
        var otp = await RespondAsync(t, "SELECT_CHALLENGE EMAIL_OTP", client, "SELECT_CHALLENGE", session, new JsonObject { ["USERNAME"] = "ulla", ["ANSWER"] = "EMAIL_OTP" });
        var code = (string)(await f.Server.LatestMessageAsync(email))["code"]!;
        var s2 = (string)otp["Session"]!;
        await RespondAsync(t, "EMAIL_OTP wrong code", client, "EMAIL_OTP", s2, new JsonObject { ["USERNAME"] = "ulla", ["EMAIL_OTP_CODE"] = code == "00000000" ? "11111111" : "00000000" });
        await RespondAsync(t, "EMAIL_OTP right code", client, "EMAIL_OTP", s2, new JsonObject { ["USERNAME"] = "ulla", ["EMAIL_OTP_CODE"] = code });
        await InitiateAsync(t, "USER_AUTH preferred PASSWORD", client, "USER_AUTH", new JsonObject { ["USERNAME"] = "ulla", ["PREFERRED_CHALLENGE"] = "PASSWORD", ["PASSWORD"] = Password });
        await InitiateAsync(t, "USER_AUTH preferred WEB_AUTHN", client, "USER_AUTH", new JsonObject { ["USERNAME"] = "ulla", ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" });
        var select2 = await InitiateAsync(t, "USER_AUTH select again", client, "USER_AUTH", new JsonObject { ["USERNAME"] = "ulla" });
        await RespondAsync(t, "PASSWORD as challenge name, wrong password", client, "PASSWORD", (string)select2["Session"]!, new JsonObject { ["USERNAME"] = "ulla", ["PASSWORD"] = "Wrong-pass1" });
        await RespondAsync(t, "after a wrong password the session is gone", client, "PASSWORD", (string)select2["Session"]!, new JsonObject { ["USERNAME"] = "ulla", ["PASSWORD"] = Password });
        Pass(t);
    }
}
