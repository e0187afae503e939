using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.SignIn;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP and SELECT_CHALLENGE through the engine,
/// with the session rules S1–S7 of docs/design/sign-in-engine.md §1.</summary>
public sealed class ChallengeTests
{
    // ---- NEW_PASSWORD_REQUIRED (S1) ----

    static async Task<(SignInHarness H, string Session)> NewPasswordAsync(Action<SignInHarness>? configure = null)
    {
        var h = new SignInHarness();
        configure?.Invoke(h);
        h.AddUser(configure: u => u.Status = UserStatus.ForceChangePassword);
        var issued = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("NEW_PASSWORD_REQUIRED");
        return (h, issued.Session!);
    }

    [Fact]
    public async Task NewPasswordRequired_WeakPassword_RetryKeepsSession()
    {
        var (h, session) = await NewPasswordAsync();
        var retry = (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice", ["NEW_PASSWORD"] = "short" }, session)))
            .ShouldBeOfType<SignInResult.Retry>();
        retry.Error.Type.ShouldBe("InvalidPasswordException");
        retry.Error.Message.ShouldStartWith("Password does not conform to policy: ");
        (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice", ["NEW_PASSWORD"] = "N3w-Passw0rd!" }, session)))
            .ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task NewPasswordRequired_MissingNewPassword_Retry()
    {
        var (h, session) = await NewPasswordAsync();
        (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice" }, session))).ShouldBeOfType<SignInResult.Retry>()
            .Error.Message.ShouldBe("Missing required parameter NEW_PASSWORD");
        (await h.PeekAsync(session)).ShouldNotBeNull();
    }

    [Fact]
    public async Task NewPasswordRequired_WrongUser_Fail()
    {
        var (h, session) = await NewPasswordAsync();
        h.AddUser("bob");
        (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "bob", ["NEW_PASSWORD"] = "N3w-Passw0rd!" }, session)))
            .ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Invalid session for the user.");
        (await h.PeekAsync(session)).ShouldBeNull();
    }

    [Fact]
    public async Task NewPasswordRequired_BadSecretHash_Fail()
    {
        var h = new SignInHarness();
        h.Client = h.Client with { ClientSecret = "s3cr3t" };
        h.AddUser(configure: u => u.Status = UserStatus.ForceChangePassword);
        var s = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "NEW_PASSWORD_REQUIRED", Stage = SignInStages.Password });
        (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice", ["NEW_PASSWORD"] = "N3w-Passw0rd!", ["SECRET_HASH"] = "bad" }, s)))
            .ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe($"Unable to verify secret hash for client {h.Client.ClientId}");
        (await h.PeekAsync(s)).ShouldBeNull();
    }

    [Fact]
    public async Task NewPasswordRequired_ValidAnswer_ConfirmedThenSecondFactor()
    {
        var (h, session) = await NewPasswordAsync();
        h.PoolMfa("ON", totp: true);
        var next = (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice", ["NEW_PASSWORD"] = "N3w-Passw0rd!" }, session)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        next.ChallengeName.ShouldBe("MFA_SETUP");
        var user = (await h.Users.FindAsync(h.Pool, "alice"))!;
        user.Status.ShouldBe(UserStatus.Confirmed);
        UserService.CheckPassword(h.Pool, user, "N3w-Passw0rd!").ShouldBeTrue();
    }

    [Fact]
    public async Task NewPasswordRequired_MalformedAttribute_RetryKeepsSession()
    {
        var (h, session) = await NewPasswordAsync();
        (await h.Engine.RespondAsync(h.Request("NEW_PASSWORD_REQUIRED", new() { ["USERNAME"] = "alice", ["NEW_PASSWORD"] = "N3w-Passw0rd!", ["userAttributes.email"] = "not-an-email" }, session)))
            .ShouldBeOfType<SignInResult.Retry>().Error.Message.ShouldBe("Invalid email address format.");
    }

    // ---- SOFTWARE_TOKEN_MFA (S4) ----

    static async Task<(SignInHarness H, string Session, byte[] Secret)> TotpAsync()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", totp: true);
        var user = h.AddUser();
        var secret = Totp.NewSecret();
        h.SetMfa(user, m => { m.SoftwareTokenEnabled = true; m.TotpSecret = secret; });
        var issued = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("SOFTWARE_TOKEN_MFA");
        return (h, issued.Session!, secret);
    }

    static SignInRequest TotpAnswer(SignInHarness h, string session, string code) =>
        h.Request("SOFTWARE_TOKEN_MFA", new() { ["USERNAME"] = "alice", ["SOFTWARE_TOKEN_MFA_CODE"] = code }, session);

    [Fact]
    public async Task SoftwareTokenMfa_SameStepTwice_ExpiredCodeRetry()
    {
        var (h, session, secret) = await TotpAsync();
        var code = Totp.Compute(secret, Totp.StepOf(h.Time.Now));
        (await h.Engine.RespondAsync(TotpAnswer(h, session, code))).ShouldBeOfType<SignInResult.SignedIn>();
        var (h2, session2, _) = (h, (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>().Session!, secret);
        var retry = (await h2.Engine.RespondAsync(TotpAnswer(h2, session2, code))).ShouldBeOfType<SignInResult.Retry>();
        retry.Error.Type.ShouldBe("ExpiredCodeException");
    }

    [Fact]
    public async Task SoftwareTokenMfa_SkewWindow_PlusMinus30sAccepted()
    {
        var (h, session, secret) = await TotpAsync();
        var previous = Totp.Compute(secret, Totp.StepOf(h.Time.Now) - 1);
        (await h.Engine.RespondAsync(TotpAnswer(h, session, previous))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task SoftwareTokenMfa_NoSecret_FailSoftwareTokenNotFound()
    {
        var (h, session, _) = await TotpAsync();
        h.MfaStore.State[(h.Pool.Id, "alice")].TotpSecret = null;
        (await h.Engine.RespondAsync(TotpAnswer(h, session, "123456"))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("SoftwareTokenMFANotFoundException");
        (await h.PeekAsync(session)).ShouldBeNull();
    }

    // ---- SELECT_MFA_TYPE ----

    static async Task<(SignInHarness H, string Session)> SelectMfaAsync()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", totp: true, email: true);
        var user = h.AddUser(configure: u => u.Attributes["email"] = "a@example.com");
        h.SetMfa(user, m => { m.EmailEnabled = true; m.SoftwareTokenEnabled = true; m.TotpSecret = Totp.NewSecret(); });
        var issued = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("SELECT_MFA_TYPE");
        return (h, issued.Session!);
    }

    [Fact]
    public async Task SelectMfaType_EmailMfaAlias_EmailOtp()
    {
        var (h, session) = await SelectMfaAsync();
        (await h.Engine.RespondAsync(h.Request("SELECT_MFA_TYPE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "EMAIL_MFA" }, session)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>().ChallengeName.ShouldBe("EMAIL_OTP");
    }

    [Fact]
    public async Task SelectMfaType_NotOffered_Retry()
    {
        var (h, session) = await SelectMfaAsync();
        (await h.Engine.RespondAsync(h.Request("SELECT_MFA_TYPE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "SMS_MFA" }, session)))
            .ShouldBeOfType<SignInResult.Retry>().Error.Message.ShouldBe("The MFA type SMS_MFA is not available for the user.");
    }

    // ---- MFA_SETUP (S5, S6) ----

    static async Task<(SignInHarness H, string Session)> SetupAsync()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", totp: true, email: true);
        h.AddUser();
        var issued = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("MFA_SETUP");
        return (h, issued.Session!);
    }

    [Fact]
    public async Task MfaSetup_Incomplete_Retry()
    {
        var (h, session) = await SetupAsync();
        (await h.Engine.RespondAsync(h.Request("MFA_SETUP", new() { ["USERNAME"] = "alice" }, session))).ShouldBeOfType<SignInResult.Retry>()
            .Error.Message.ShouldStartWith("MFA_SETUP is not complete");
    }

    [Fact]
    public async Task MfaSetup_EmailInvalid_Retry()
    {
        var (h, session) = await SetupAsync();
        (await h.Engine.RespondAsync(h.Request("MFA_SETUP", new() { ["USERNAME"] = "alice", ["EMAIL"] = "nope" }, session))).ShouldBeOfType<SignInResult.Retry>()
            .Error.Message.ShouldBe("Invalid email address format.");
    }

    [Fact]
    public async Task MfaSetup_AssociateVerify_RotatesSessionThenSignedIn()
    {
        var (h, session) = await SetupAsync();
        var associated = await h.MfaSetup.AssociateAsync(session);
        associated.Error.ShouldBeNull();
        associated.Session.ShouldNotBe(session);
        (await h.PeekAsync(session)).ShouldBeNull();
        Totp.TryFromBase32(associated.SecretCode, out var secret).ShouldBeTrue();

        var wrong = await h.MfaSetup.VerifyAsync(associated.Session!, "000000" == Totp.Compute(secret, Totp.StepOf(h.Time.Now)) ? "111111" : "000000", "phone");
        wrong.Error!.Type.ShouldBe("EnableSoftwareTokenMFAException"); // S5: the session survives
        (await h.PeekAsync(associated.Session!)).ShouldNotBeNull();

        var verified = await h.MfaSetup.VerifyAsync(associated.Session!, Totp.Compute(secret, Totp.StepOf(h.Time.Now)), "phone");
        verified.Error.ShouldBeNull();
        (await h.PeekAsync(verified.Session!))!.State.TotpVerified.ShouldBeTrue();
        h.MfaStore.State[(h.Pool.Id, "alice")].Preferred.ShouldBe(MfaFactor.SoftwareToken);
        (await h.Engine.RespondAsync(h.Request("MFA_SETUP", new() { ["USERNAME"] = "alice" }, verified.Session))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task MfaSetup_NonSetupSession_SurvivesNotAuthorized()
    {
        var h = new SignInHarness();
        h.AddUser();
        var other = await h.NewSessionAsync(new SignInState { Username = "alice", ChallengeName = "SMS_MFA" });
        var answer = await h.MfaSetup.AssociateAsync(other);
        answer.Error!.Message.ShouldBe("Invalid session for the user.");
        (await h.PeekAsync(other)).ShouldNotBeNull();
    }

    [Fact]
    public async Task MfaSetup_StaleSession_NotAuthorizedExpired()
    {
        var h = new SignInHarness();
        var answer = await h.MfaSetup.VerifyAsync("no-such-session", "123456", null);
        answer.Error!.Message.ShouldBe("Invalid session for the user, session is expired.");
    }

    // ---- SELECT_CHALLENGE (S7) ----

    static async Task<(SignInHarness H, string Session)> SelectChallengeAsync()
    {
        var h = new SignInHarness();
        h.Pool = h.Pool with { Config = h.Pool.Config with { Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP"] } } } };
        h.AddUser(configure: u => { u.Attributes["email"] = "a@example.com"; u.Attributes["email_verified"] = "true"; });
        var issued = (await h.Engine.StartAsync(h.Request("USER_AUTH", new() { ["USERNAME"] = "alice" }))).ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("SELECT_CHALLENGE");
        issued.AvailableChallenges.ShouldBe(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
        return (h, issued.Session!);
    }

    [Fact]
    public async Task SelectChallenge_PasswordAnswer_WrongPassword_Fail()
    {
        var (h, session) = await SelectChallengeAsync();
        (await h.Engine.RespondAsync(h.Request("SELECT_CHALLENGE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "PASSWORD", ["PASSWORD"] = "wrong" }, session)))
            .ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Incorrect username or password.");
        (await h.PeekAsync(session)).ShouldBeNull();
    }

    [Fact]
    public async Task SelectChallenge_Unavailable_Retry()
    {
        var (h, session) = await SelectChallengeAsync();
        (await h.Engine.RespondAsync(h.Request("SELECT_CHALLENGE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "SMS_OTP" }, session)))
            .ShouldBeOfType<SignInResult.Retry>().Error.Message.ShouldBe("The challenge SMS_OTP is not available for this user.");
    }

    [Fact]
    public async Task SelectChallenge_WebAuthnWithoutPasskey_RetryNotAvailable()
    {
        var (h, session) = await SelectChallengeAsync();
        (await h.Engine.RespondAsync(h.Request("SELECT_CHALLENGE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "WEB_AUTHN" }, session)))
            .ShouldBeOfType<SignInResult.Retry>().Error.Message.ShouldBe("The challenge WEB_AUTHN is not available for this user.");
    }

    [Fact]
    public async Task SelectChallenge_PasswordAsChallengeName_Accepted()
    {
        var (h, session) = await SelectChallengeAsync();
        (await h.Engine.RespondAsync(h.Request("PASSWORD", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" }, session)))
            .ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task SelectChallenge_EmailOtp_CodeThenSignedIn()
    {
        var (h, session) = await SelectChallengeAsync();
        var otp = (await h.Engine.RespondAsync(h.Request("SELECT_CHALLENGE", new() { ["USERNAME"] = "alice", ["ANSWER"] = "EMAIL_OTP" }, session)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        otp.ChallengeName.ShouldBe("EMAIL_OTP");
        otp.Parameters.ContainsKey("USER_ID_FOR_SRP").ShouldBeFalse();
        (await h.Engine.RespondAsync(h.Request("EMAIL_OTP", new() { ["USERNAME"] = "alice", ["EMAIL_OTP_CODE"] = h.LastCode }, otp.Session)))
            .ShouldBeOfType<SignInResult.SignedIn>();
    }
}
