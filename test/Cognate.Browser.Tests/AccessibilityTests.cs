using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>axe-core on every hosted page (no serious or critical violation) and the login page on a 375×667 phone viewport.</summary>
public sealed class AccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions() => new(base.ContextOptions()) { BypassCSP = true };

    [Theory]
    [InlineData("oauth2/authorize")]
    [InlineData("signup")]
    [InlineData("forgotPassword")]
    public async Task Page_Opened_NoSeriousAxeViolations(string path)
    {
        await Page.GotoAsync(AuthorizeUrl(path));
        await Assertions.Expect(Page.GetByRole(AriaRole.Button).First).ToBeVisibleAsync();

        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ErrorPage_Opened_NoSeriousAxeViolations()
    {
        await Page.GotoAsync(AuthorizeUrl(clientId: "nosuchclient0000000000000"));
        await new ErrorPage(Page).WaitAsync();

        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ChallengePages_ConfirmNewPasswordMfaAndError_NoSeriousAxeViolations()
    {
        // Confirmation code page, after a sign-up.
        await Page.GotoAsync(AuthorizeUrl("signup"));
        await new SignUpPage(Page).SignUpAsync(BrowserFixture.NewEmail(), BrowserFixture.Password);
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();

        // A step's error message on the login page.
        await Page.GotoAsync(AuthorizeUrl());
        var login = await new LoginPage(Page).WaitAsync();
        await login.SignInAsync(BrowserFixture.NewEmail(), "Wrong-Password-1");
        await Assertions.Expect(login.Alert).ToBeVisibleAsync();
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();

        // NEW_PASSWORD_REQUIRED.
        var temporary = await Fixture.UserWithTemporaryPasswordAsync("Temp-Pass-123");
        await Page.GotoAsync(AuthorizeUrl());
        await new LoginPage(Page).SignInAsync(temporary, "Temp-Pass-123");
        await new NewPasswordPage(Page).WaitAsync();
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();

        // TOTP code page.
        var (email, _) = await Fixture.TotpUserAsync();
        await Page.GotoAsync(AuthorizeUrl());
        await new LoginPage(Page).SignInAsync(email, BrowserFixture.Password);
        await new MfaCodePage(Page).WaitAsync();
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();

        // Confirm forgot password.
        var forgotten = await Fixture.ConfirmedUserAsync();
        await Page.GotoAsync(AuthorizeUrl("forgotPassword"));
        await new ForgotPasswordPage(Page).RequestCodeAsync(forgotten);
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ChoiceAndEmailCodePages_NoSeriousAxeViolations()
    {
        var email = await Fixture.ConfirmedUserAsync();
        await Page.GotoAsync(AuthorizeUrl(clientId: Fixture.PasswordlessClientId, redirectUri: BrowserFixture.PasswordlessCallbackUrl));
        var choice = await new LoginPage(Page).StartWithUsernameAsync(email);
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();

        await choice.EmailMeACodeAsync();
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }

    [Fact]
    public async Task MfaSetupPage_NoSeriousAxeViolations()
    {
        var (poolId, clientId, _) = await Fixture.MfaRequiredPoolAsync();
        var email = await Fixture.ConfirmedUserAsync(poolId: poolId);
        await Page.GotoAsync(AuthorizeUrl(clientId: clientId, redirectUri: BrowserFixture.PasswordlessCallbackUrl));
        await new LoginPage(Page).SignInAsync(email, BrowserFixture.Password);
        await new MfaSetupPage(Page).WaitAsync();

        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }
}

/// <summary>The login page on a phone: 375×667, touch, no horizontal scrolling, every control inside the viewport.</summary>
public sealed class MobileViewportTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions() => new(base.ContextOptions())
    {
        ViewportSize = new ViewportSize { Width = 375, Height = 667 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
    };

    [Fact]
    public async Task LoginPage_375x667_NoHorizontalScrollAndControlsInside()
    {
        await Page.GotoAsync(AuthorizeUrl());
        var login = await new LoginPage(Page).WaitAsync();

        (await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(375);
        foreach (var control in new[] { login.Username, login.Password, login.SignInButton })
        {
            var box = (await control.BoundingBoxAsync()).ShouldNotBeNull();
            box.X.ShouldBeGreaterThanOrEqualTo(0);
            (box.X + box.Width).ShouldBeLessThanOrEqualTo(375);
            box.Height.ShouldBeGreaterThanOrEqualTo(24);  // a finger-sized target
        }
        var email = await Fixture.ConfirmedUserAsync();
        await login.Username.TapAsync();
        await login.SignInAsync(email, BrowserFixture.Password);
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(Fixture.CallbackUrl) + "\\?code="));
    }
}
