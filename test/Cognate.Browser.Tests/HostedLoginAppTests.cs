using Cognate.Browser.Tests.Infrastructure;
using Cognate.Browser.Tests.Pages;

namespace Cognate.Browser.Tests;

/// <summary>The seed 004 app itself (samples/HostedLoginApp): its page and the authorize requests its buttons send.</summary>
public sealed class HostedLoginAppTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    protected override BrowserNewContextOptions ContextOptions() => new(base.ContextOptions()) { BypassCSP = true };

    [Fact]
    public async Task Home_SignedOut_ShowsSignInRegisterAndLogoutWithoutAccessibilityViolations()
    {
        var home = await new AppHomePage(Page, Fixture.AppBase).GotoAsync();

        await Assertions.Expect(home.SignInButton).ToBeVisibleAsync();
        await Assertions.Expect(home.RegisterButton).ToBeVisibleAsync();
        await Assertions.Expect(home.LogoutButton).ToBeVisibleAsync();
        await Assertions.Expect(home.SignedOutStatus).ToHaveTextAsync("You are not signed in.");
        (await Axe.SeriousViolationsAsync(Page)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Sign in", "/oauth2/authorize")]
    [InlineData("Register", "/signup")]
    public async Task Button_Clicked_SendsCodeWithPkceS256ToTheHostedPage(string button, string path)
    {
        await new AppHomePage(Page, Fixture.AppBase).GotoAsync();
        var request = await Page.RunAndWaitForRequestAsync(
            () => Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync(),
            r => r.Url.StartsWith(Fixture.Server.Endpoint.ToString(), StringComparison.Ordinal));

        var url = new Uri(request.Url);
        url.AbsolutePath.ShouldBe(path);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        query["response_type"].ShouldBe("code");
        query["client_id"].ShouldBe(Fixture.ClientId);
        query["redirect_uri"].ShouldBe(Fixture.CallbackUrl);
        query["scope"].ShouldBe("openid email");
        query["code_challenge_method"].ShouldBe("S256");
        query["code_challenge"].ShouldNotBeNullOrEmpty();
        query["code_challenge"]!.Length.ShouldBe(43);
        query["state"].ShouldNotBeNullOrEmpty();
        query["nonce"].ShouldNotBeNullOrEmpty();
        query["response_mode"].ShouldBeNull();
        query["client_secret"].ShouldBeNull();
    }

    [Fact]
    public async Task Logout_WithoutCsrfToken_Returns400()
    {
        var response = await Page.APIRequest.PostAsync(new Uri(Fixture.AppBase, "logout").ToString());

        response.Status.ShouldBe(400);
    }

    [Fact]
    public async Task ApiMe_AccessTokenOfTheAppClient_ReturnsTheUser()
    {
        var email = await Fixture.ConfirmedUserAsync();
        using var anonymous = Fixture.Server.AnonymousClient();
        var signIn = await anonymous.InvokeAsync("InitiateAuth", new System.Text.Json.Nodes.JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["ClientId"] = Fixture.ClientId,
            ["AuthParameters"] = new System.Text.Json.Nodes.JsonObject { ["USERNAME"] = email, ["PASSWORD"] = BrowserFixture.Password, ["SECRET_HASH"] = Fixture.SecretHash(email) },
        });
        var access = (string)signIn["AuthenticationResult"]!["AccessToken"]!;

        var me = await Page.APIRequest.GetAsync(new Uri(Fixture.AppBase, "api/me").ToString(), new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + access },
        });
        var anonymousCall = await Page.APIRequest.GetAsync(new Uri(Fixture.AppBase, "api/me").ToString());
        var idTokenCall = await Page.APIRequest.GetAsync(new Uri(Fixture.AppBase, "api/me").ToString(), new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + (string)signIn["AuthenticationResult"]!["IdToken"]! },
        });

        me.Status.ShouldBe(200);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await me.TextAsync())!;
        ((string?)body["client_id"]).ShouldBe(Fixture.ClientId);
        ((string?)body["sub"]).ShouldNotBeNullOrEmpty();
        anonymousCall.Status.ShouldBe(401);
        idTokenCall.Status.ShouldBe(401);
    }
}
