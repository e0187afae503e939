using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>The sign-in engine's challenges rendered by the hosted pages: TOTP MFA, NEW_PASSWORD_REQUIRED, forgot password, email OTP.</summary>
public sealed class ChallengeTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task SignIn_TotpMfa_CodeFromOathtoolSignsIn()
    {
        var (email, secret) = await Fixture.TotpUserAsync();
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        await (await home.SignInAsync()).SignInAsync(email, BrowserFixture.Password);

        var mfa = await new MfaCodePage(Page).WaitAsync();
        await mfa.SubmitAsync("000000" == await Oath.NextCodeAsync(secret) ? "111111" : "000000");
        await mfa.WaitForAlertAsync("Invalid verification code provided, please try again.");
        await mfa.SubmitAsync(await Oath.NextCodeAsync(secret));

        await home.WaitForSignedInAsync(email);
    }

    [Fact]
    public async Task SignIn_PoolMfaOnUserWithoutMfa_TotpSetupPageThenCode()
    {
        var (poolId, clientId, secret) = await Fixture.MfaRequiredPoolAsync();
        var email = await Fixture.ConfirmedUserAsync(poolId: poolId);
        await InterceptCallbackAsync(BrowserFixture.PasswordlessCallbackUrl);
        await Page.GotoAsync(AuthorizeUrl(clientId: clientId, redirectUri: BrowserFixture.PasswordlessCallbackUrl));
        await new LoginPage(Page).SignInAsync(email, BrowserFixture.Password);

        var setup = await new MfaSetupPage(Page).WaitAsync();
        var totpSecret = await setup.SecretAsync();
        totpSecret.ShouldMatch("^[A-Z2-7]+=*$");
        await Assertions.Expect(Page.Locator("svg, img[src^='data:image']").First).ToBeVisibleAsync();  // the QR code of the otpauth URI
        await setup.VerifyAsync(await Oath.NextCodeAsync(totpSecret));

        var code = await WaitForCodeAsync(BrowserFixture.PasswordlessCallbackUrl);
        var (status, tokens) = await Fixture.RedeemAsync(clientId, secret, code, BrowserFixture.PasswordlessCallbackUrl);
        status.ShouldBe(200, tokens.ToJsonString());
        ((string?)tokens["access_token"]).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task SignIn_TemporaryPassword_NewPasswordPageThenSignedIn()
    {
        var email = await Fixture.UserWithTemporaryPasswordAsync("Temp-Pass-123");
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        await (await home.SignInAsync()).SignInAsync(email, "Temp-Pass-123");

        var newPassword = await new NewPasswordPage(Page).WaitAsync();
        await newPassword.ChangePasswordAsync("short");
        await Assertions.Expect(newPassword.Alert).ToBeVisibleAsync();
        await newPassword.ChangePasswordAsync("Brand-New-Pass-4");

        await home.WaitForSignedInAsync(email);
    }

    [Fact]
    public async Task ForgotPassword_CodeFromOutbox_NewPasswordSignsIn()
    {
        var email = await Fixture.ConfirmedUserAsync();
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        var login = await home.SignInAsync();

        var forgot = await login.GoToForgotPasswordAsync();
        var confirm = await forgot.RequestCodeAsync(email);
        var code = await Fixture.CodeFromOutboxAsync(email);
        await confirm.ChangePasswordAsync(code == "000000" ? "111111" : "000000", "Reset-Pass-567");
        await confirm.WaitForAlertAsync("Invalid verification code provided, please try again.");
        await confirm.ChangePasswordAsync(code, "Reset-Pass-567");

        login = await new LoginPage(Page).WaitAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password has been changed.");
        await login.SignInAsync(email, "Reset-Pass-567");
        await home.WaitForSignedInAsync(email);
    }

    [Fact]
    public async Task SignIn_EmailOtpChoice_CodeFromOutboxGivesAnAuthorizationCodeThatRedeems()
    {
        var email = await Fixture.ConfirmedUserAsync();
        await InterceptCallbackAsync(BrowserFixture.PasswordlessCallbackUrl);
        await Page.GotoAsync(AuthorizeUrl(clientId: Fixture.PasswordlessClientId, redirectUri: BrowserFixture.PasswordlessCallbackUrl));
        var login = await new LoginPage(Page).WaitAsync();
        await Assertions.Expect(login.Password).ToHaveCountAsync(0);

        var choice = await login.StartWithUsernameAsync(email);
        await Assertions.Expect(choice.PasswordButton).ToBeVisibleAsync();
        await Assertions.Expect(choice.SmsCodeButton).ToHaveCountAsync(0);
        var codePage = await choice.EmailMeACodeAsync();
        await codePage.SubmitAsync(await Fixture.CodeFromOutboxAsync(email));

        var code = await WaitForCodeAsync(BrowserFixture.PasswordlessCallbackUrl);
        var (status, tokens) = await Fixture.RedeemAsync(Fixture.PasswordlessClientId, Fixture.PasswordlessClientSecret, code, BrowserFixture.PasswordlessCallbackUrl);
        status.ShouldBe(200, tokens.ToJsonString());
        ((string?)tokens["id_token"]).ShouldNotBeNullOrEmpty();
        ((string?)tokens["access_token"]).ShouldNotBeNullOrEmpty();
    }
}
