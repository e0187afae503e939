using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>What the user sees when something is wrong: never a redirect to an unregistered URL, Cognito's messages on the page.</summary>
public sealed class ErrorPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_ErrorPage400WithoutRedirect()
    {
        var evil = "http://localhost:9/steal";
        var requests = new List<string>();
        Page.Request += (_, r) => requests.Add(r.Url);

        var response = await Page.GotoAsync(AuthorizeUrl(redirectUri: evil));

        await new ErrorPage(Page).WaitAsync();
        response!.Status.ShouldBe(400);
        requests.ShouldNotContain(u => u.StartsWith(evil, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authorize_UnknownClient_ErrorPage400()
    {
        var response = await Page.GotoAsync(AuthorizeUrl(clientId: "nosuchclient0000000000000"));

        await new ErrorPage(Page).WaitAsync();
        response!.Status.ShouldBe(400);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsCognitoMessageAndStays()
    {
        var email = await Fixture.ConfirmedUserAsync();
        await Page.GotoAsync(AuthorizeUrl());
        var login = await new LoginPage(Page).WaitAsync();

        await login.SignInAsync(email, "Wrong-Password-1");

        await login.WaitForAlertAsync("Incorrect username or password.");
        await login.WaitAsync();
        (await Page.ContentAsync()).ShouldNotContain("Exception");
    }

    [Fact]
    public async Task Login_RepeatedWrongPasswords_LockoutMessage()
    {
        var email = await Fixture.ConfirmedUserAsync();
        await Page.GotoAsync(AuthorizeUrl());
        var login = await new LoginPage(Page).WaitAsync();

        for (var attempt = 0; attempt < 12; attempt++)
        {
            await login.SignInAsync(email, "Wrong-Password-1");
            await Assertions.Expect(login.Alert).ToBeVisibleAsync();
            if ((await login.Alert.InnerTextAsync()).Contains("Password attempts exceeded", StringComparison.Ordinal)) return;
        }
        await login.WaitForAlertAsync("Password attempts exceeded");
    }

    [Fact]
    public async Task Login_PostWithoutCsrfToken_Returns400()
    {
        await Page.GotoAsync(AuthorizeUrl());
        await new LoginPage(Page).WaitAsync();

        var response = await Page.APIRequest.PostAsync(Page.Url, new APIRequestContextOptions
        {
            Form = Context.APIRequest.CreateFormData().Set("username", "someone@example.com").Set("password", "Wrong-Password-1"),
        });

        response.Status.ShouldBe(400);
    }
}
