using Cognate.Core.Mfa;
using Cognate.Core.SignIn;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.SignIn;

/// <summary>Every row of SecondFactor's decision table (docs/design/sign-in-engine.md §2).</summary>
public sealed class SecondFactorTests
{
    static async Task<StepResult> NextAsync(SignInHarness h, Core.Users.User user) =>
        await h.SecondFactor.NextAsync(h.Request("USER_PASSWORD_AUTH", []), user, default);

    [Fact]
    public async Task MfaOff_AnyUser_SignedIn()
    {
        var h = new SignInHarness();
        var user = h.AddUser();
        h.SetMfa(user, m => m.SmsEnabled = true);
        var result = (await NextAsync(h, user)).ShouldBeOfType<StepResult.SignedIn>();
        result.Tokens.ShouldBeNull(); // managed-login door
        result.AuthTime.ShouldBe(SignInHarness.T0);
    }

    [Fact]
    public async Task Optional_NoFactor_SignedIn()
    {
        var h = new SignInHarness();
        h.PoolMfa("OPTIONAL", sms: true, totp: true);
        (await NextAsync(h, h.AddUser())).ShouldBeOfType<StepResult.SignedIn>();
    }

    [Fact]
    public async Task On_NoFactorWithPhoneAndPoolSms_SmsMfaCodeSent()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true, totp: true);
        var user = h.AddUser(configure: u => u.Attributes["phone_number"] = "+15555550123");
        var c = (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("SMS_MFA");
        c.Parameters["CODE_DELIVERY_DELIVERY_MEDIUM"].ShouldBe("SMS");
        c.Parameters["USER_ID_FOR_SRP"].ShouldBe("alice");
        h.Sender.Messages.ShouldHaveSingleItem().To.ShouldBe("+15555550123");
        h.LastCode.Length.ShouldBe(6);
        c.State!.CodeHash.ShouldNotBeNull();
        c.State.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task On_NoFactorNoPhone_MfaSetupListsTotpAndEmail()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true, totp: true, email: true);
        var c = (await NextAsync(h, h.AddUser())).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("MFA_SETUP");
        c.Parameters["MFAS_CAN_SETUP"].ShouldBe("[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]");
        c.State!.Stage.ShouldBe(SignInStages.Setup);
        c.State.Options.ShouldBe(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]);
    }

    [Fact]
    public async Task On_NothingSettable_FailInvalidUserPoolConfiguration()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true);
        var fail = (await NextAsync(h, h.AddUser())).ShouldBeOfType<StepResult.Fail>();
        fail.Error.Type.ShouldBe("InvalidUserPoolConfigurationException");
    }

    [Fact]
    public async Task OneFactor_Totp_ChallengeWithFriendlyDeviceName()
    {
        var h = new SignInHarness();
        h.PoolMfa("OPTIONAL", totp: true);
        var user = h.AddUser();
        h.SetMfa(user, m => { m.SoftwareTokenEnabled = true; m.TotpSecret = Totp.NewSecret(); m.TotpDeviceName = "phone"; });
        var c = (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("SOFTWARE_TOKEN_MFA");
        c.Parameters.ShouldBe(new Dictionary<string, string> { ["USER_ID_FOR_SRP"] = "alice", ["FRIENDLY_DEVICE_NAME"] = "phone" });
        h.Sender.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task OneFactor_Email_EightDigitCodeSent()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", email: true);
        var user = h.AddUser(configure: u => u.Attributes["email"] = "alice@example.com");
        h.SetMfa(user, m => m.EmailEnabled = true);
        var c = (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("EMAIL_OTP");
        c.Parameters["CODE_DELIVERY_DELIVERY_MEDIUM"].ShouldBe("EMAIL");
        h.LastCode.Length.ShouldBe(8);
    }

    [Fact]
    public async Task TwoFactors_PreferredUsable_PreferredChallenge()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true, totp: true);
        var user = h.AddUser(configure: u => u.Attributes["phone_number"] = "+15555550123");
        h.SetMfa(user, m => { m.SmsEnabled = true; m.SoftwareTokenEnabled = true; m.TotpSecret = Totp.NewSecret(); m.Preferred = MfaFactor.SoftwareToken; });
        (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>().Name.ShouldBe("SOFTWARE_TOKEN_MFA");
    }

    [Fact]
    public async Task TwoFactors_NoPreference_SelectMfaTypeInCognitoOrder()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true, totp: true, email: true);
        var user = h.AddUser(configure: u => { u.Attributes["phone_number"] = "+15555550123"; u.Attributes["email"] = "a@example.com"; });
        h.SetMfa(user, m => { m.EmailEnabled = true; m.SmsEnabled = true; m.SoftwareTokenEnabled = true; m.TotpSecret = Totp.NewSecret(); });
        var c = (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("SELECT_MFA_TYPE");
        c.Parameters["MFAS_CAN_CHOOSE"].ShouldBe("[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]");
        c.State!.Options.ShouldBe(["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]);
    }

    [Fact]
    public async Task PreferredNotDeliverable_SelectMfaType()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true, totp: true, email: true);
        // SMS preferred but no phone number: the two usable factors are offered.
        var user = h.AddUser(configure: u => u.Attributes["email"] = "a@example.com");
        h.SetMfa(user, m => { m.SmsEnabled = true; m.EmailEnabled = true; m.SoftwareTokenEnabled = true; m.TotpSecret = Totp.NewSecret(); m.Preferred = MfaFactor.Sms; });
        var c = (await NextAsync(h, user)).ShouldBeOfType<StepResult.Challenge>();
        c.Name.ShouldBe("SELECT_MFA_TYPE");
        c.Parameters["MFAS_CAN_CHOOSE"].ShouldBe("[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]");
    }

    [Fact]
    public async Task CodeDeliveryFails_FailCodeDeliveryFailure()
    {
        var h = new SignInHarness();
        h.PoolMfa("ON", sms: true);
        h.Sender.Fail = true;
        var user = h.AddUser(configure: u => u.Attributes["phone_number"] = "+15555550123");
        (await NextAsync(h, user)).ShouldBeOfType<StepResult.Fail>().Error.Type.ShouldBe("CodeDeliveryFailureException");
    }
}
