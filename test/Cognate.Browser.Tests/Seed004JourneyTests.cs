using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>
/// Seed 004 end to end through samples/HostedLoginApp: Register on the hosted sign-up page, the emailed code, back in the app signed in
/// ("Hello {email}", after the app validated the ID and access tokens), Logout through the hosted /logout, Sign in again.
/// </summary>
public sealed class Seed004JourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Register_ConfirmLogoutAndSignInAgain_AppSaysHelloEachTime()
    {
        var email = BrowserFixture.NewEmail();
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();

        var signUp = await home.RegisterAsync();
        var confirm = await signUp.SignUpAsync(email, BrowserFixture.Password);
        await confirm.ConfirmAsync(await Fixture.CodeFromOutboxAsync(email));
        await home.WaitForSignedInAsync(email);

        await home.LogoutAsync();
        await Assertions.Expect(home.Greeting).ToHaveCountAsync(0);

        var login = await home.SignInAsync();
        await login.SignInAsync(email, BrowserFixture.Password);
        await home.WaitForSignedInAsync(email);
    }

    [Fact]
    public async Task SignIn_LiveManagedLoginSession_ReturnsToTheAppWithoutTheLoginPage()
    {
        var email = await Fixture.ConfirmedUserAsync();
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        await (await home.SignInAsync()).SignInAsync(email, BrowserFixture.Password);
        await home.WaitForSignedInAsync(email);

        // Only the app forgets the user; the hosted session cookie (on Cognate's host) stays, so authorize answers with a code at once.
        await Context.ClearCookiesAsync(new BrowserContextClearCookiesOptions { Domain = "localhost" });
        await home.GotoAsync();
        await home.WaitForSignedOutAsync();
        await home.SignInButton.ClickAsync();

        await home.WaitForSignedInAsync(email);
    }

    [Fact]
    public async Task Session_AccessTokenExpiring_RefreshedThenEndedOnceTheRefreshTokenIsRevoked()
    {
        var time = new ShiftableTime();
        var appBase = new Uri($"http://localhost:{BrowserFixture.FreePort()}/");
        var (clientId, secret) = await Fixture.CreateOAuthClientAsync(Fixture.PoolId, [new Uri(appBase, "callback").ToString()], [appBase.ToString()], userAuth: false);
        await using var app = await HostedApp.StartAsync(appBase, Fixture.Server.Endpoint, Fixture.PoolId, clientId, secret, time);
        var email = await Fixture.ConfirmedUserAsync();
        var home = await new AppHomePage(Page, appBase).GotoAsync();
        await (await home.SignInAsync()).SignInAsync(email, BrowserFixture.Password);
        await home.WaitForSignedInAsync(email);

        var fresh = await Page.ReloadAsync();
        (await fresh!.HeaderValueAsync("set-cookie") ?? "").ShouldNotContain("hostedloginapp.session");

        // Two hours on, the access token (1 h) has expired: the app redeems the refresh token and renews its cookie.
        time.Offset = TimeSpan.FromHours(2);
        var refreshed = await Page.ReloadAsync();
        (await refreshed!.HeaderValueAsync("set-cookie") ?? "").ShouldContain("hostedloginapp.session=");
        await home.WaitForSignedInAsync(email);

        // GlobalSignOut revokes the refresh token: the next renewal is refused and the app's session ends.
        await Fixture.Admin.InvokeAsync("AdminUserGlobalSignOut", new System.Text.Json.Nodes.JsonObject { ["UserPoolId"] = Fixture.PoolId, ["Username"] = email });
        time.Offset = TimeSpan.FromHours(4);
        await Page.ReloadAsync();
        await home.WaitForSignedOutAsync();
    }

    [Fact]
    public async Task SignUp_ExistingEmail_ShowsUsernameExistsOnThePage()
    {
        var email = await Fixture.ConfirmedUserAsync();
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        var signUp = await home.RegisterAsync();

        await signUp.SubmitAsync(email, BrowserFixture.Password);

        await signUp.WaitForAlertAsync("An account with the given email already exists.");
        await Assertions.Expect(signUp.Username).ToBeVisibleAsync();
    }
}
