using Cognate.Core.Mfa;
using Cognate.Core.SignIn;
using Cognate.Core.Stores;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>EMAIL_OTP / SMS_OTP / SMS_MFA through the engine: attempts, the 3-strikes rule, the user's second-factor lockout.</summary>
public sealed class CodeChallengeTests
{
    /// <summary>An SMS_MFA challenge issued through the engine: returns its Session and the code sent.</summary>
    static async Task<(SignInHarness H, string Session, string Code)> SmsMfaAsync()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true);
        var user = h.AddUser(configure: u => u.Attributes["phone_number"] = "+15555550123");
        h.SetMfa(user, m => m.SmsEnabled = true);
        var issued = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        issued.ChallengeName.ShouldBe("SMS_MFA");
        return (h, issued.Session!, h.LastCode);
    }

    static SignInRequest Answer(SignInHarness h, string session, string code) =>
        h.Request("SMS_MFA", new() { ["USERNAME"] = "alice", ["SMS_MFA_CODE"] = code }, session);

    static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task WrongCode_RetryAttemptsPlusOne()
    {
        var (h, session, code) = await SmsMfaAsync();
        var retry = (await h.Engine.RespondAsync(Answer(h, session, Wrong(code)))).ShouldBeOfType<SignInResult.Retry>();
        retry.Error.Type.ShouldBe("CodeMismatchException");
        retry.Session.ShouldBe(session);
        (await h.PeekAsync(session))!.State.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task ThirdWrongCode_FailSessionGone()
    {
        var (h, session, code) = await SmsMfaAsync();
        await h.Engine.RespondAsync(Answer(h, session, Wrong(code)));
        await h.Engine.RespondAsync(Answer(h, session, Wrong(code)));
        (await h.Engine.RespondAsync(Answer(h, session, Wrong(code)))).ShouldBeOfType<SignInResult.Failed>().Error.Type.ShouldBe("CodeMismatchException");
        (await h.PeekAsync(session)).ShouldBeNull();
        (await h.Engine.RespondAsync(Answer(h, session, code))).ShouldBeOfType<SignInResult.Failed>()
            .Error.Message.ShouldBe("Invalid session for the user, session is expired.");
    }

    [Fact]
    public async Task RightCode_SignedIn()
    {
        var (h, session, code) = await SmsMfaAsync();
        (await h.Engine.RespondAsync(Answer(h, session, code))).ShouldBeOfType<SignInResult.SignedIn>().User.Username.ShouldBe("alice");
        (await h.PeekAsync(session)).ShouldBeNull();
    }

    [Fact]
    public async Task RightCodeAfterTwoWrong_SignedIn()
    {
        var (h, session, code) = await SmsMfaAsync();
        await h.Engine.RespondAsync(Answer(h, session, Wrong(code)));
        await h.Engine.RespondAsync(Answer(h, session, Wrong(code)));
        (await h.Engine.RespondAsync(Answer(h, session, code))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task WrongChallengeName_Retry()
    {
        var (h, session, code) = await SmsMfaAsync();
        var retry = (await h.Engine.RespondAsync(h.Request("EMAIL_OTP", new() { ["USERNAME"] = "alice", ["EMAIL_OTP_CODE"] = code }, session)))
            .ShouldBeOfType<SignInResult.Retry>();
        retry.Error.Message.ShouldBe("Invalid challenge name for the current session.");
        (await h.Engine.RespondAsync(Answer(h, session, code))).ShouldBeOfType<SignInResult.SignedIn>();
    }

    [Fact]
    public async Task MissingCode_RetryWithoutAttempt()
    {
        var (h, session, _) = await SmsMfaAsync();
        (await h.Engine.RespondAsync(h.Request("SMS_MFA", new() { ["USERNAME"] = "alice" }, session))).ShouldBeOfType<SignInResult.Retry>()
            .Error.Message.ShouldBe("Missing required parameter SMS_MFA_CODE");
        (await h.PeekAsync(session))!.State.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task UserMfaLocked_Fail()
    {
        var (h, session, code) = await SmsMfaAsync();
        h.Lockouts.States[(h.Pool.Id, "alice", LockoutKind.SecondFactor)] = new LockoutState(6, h.Time.Now, h.Time.Now.AddMinutes(1));
        (await h.Engine.RespondAsync(Answer(h, session, code))).ShouldBeOfType<SignInResult.Failed>().Error.Message.ShouldBe("Password attempts exceeded");
        (await h.PeekAsync(session)).ShouldBeNull();
    }

    [Fact]
    public async Task SetupStage_RightCode_EnablesEmailMfaAndVerifiesEmail()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", email: true);
        h.AddUser();
        var setup = (await h.Engine.StartAsync(h.Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = "alice", ["PASSWORD"] = "Passw0rd!" })))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        setup.ChallengeName.ShouldBe("MFA_SETUP");
        var otp = (await h.Engine.RespondAsync(h.Request("MFA_SETUP", new() { ["USERNAME"] = "alice", ["EMAIL"] = "alice@example.com" }, setup.Session)))
            .ShouldBeOfType<SignInResult.ChallengeIssued>();
        otp.ChallengeName.ShouldBe("EMAIL_OTP");
        (await h.PeekAsync(otp.Session!))!.State.Stage.ShouldBe(SignInStages.Setup);
        var done = (await h.Engine.RespondAsync(h.Request("EMAIL_OTP", new() { ["USERNAME"] = "alice", ["EMAIL_OTP_CODE"] = h.LastCode }, otp.Session)))
            .ShouldBeOfType<SignInResult.SignedIn>();
        done.User.Get("email").ShouldBe("alice@example.com");
        done.User.IsVerified("email").ShouldBeTrue();
        var mfa = h.MfaStore.State[(h.Pool.Id, "alice")];
        mfa.EmailEnabled.ShouldBeTrue();
        mfa.Preferred.ShouldBe(MfaFactor.Email);
    }
}
