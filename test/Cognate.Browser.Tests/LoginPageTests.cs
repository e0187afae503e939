using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>The hosted /login page as the pages contract fixes it: labels, button, links.</summary>
public sealed class LoginPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Authorize_NoSession_ShowsLoginWithEmailPasswordAndLinks()
    {
        await Page.GotoAsync(AuthorizeUrl());
        var login = await new LoginPage(Page).WaitAtLoginPathAsync();

        await Assertions.Expect(login.Username).ToBeEditableAsync();
        await Assertions.Expect(login.Password).ToHaveAttributeAsync("type", "password");
        await Assertions.Expect(login.SignInButton).ToBeEnabledAsync();
        await Assertions.Expect(login.SignUpLink).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/signup\\?"));
        await Assertions.Expect(login.ForgotPasswordLink).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/forgotPassword\\?"));
    }
}
