using System.Text.Json.Nodes;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>
/// The managed-login sign-up page links the app client's terms documents (CreateTerms) once it has both a terms-of-use and a
/// privacy-policy document: the link of the page's <c>lang</c>, else <c>cognito:default</c>; URLs are escaped in the markup.
/// </summary>
public sealed class SignUpTermsTests(ServerFixture f)
{
    const string Callback = "https://app.example.com/callback";

    async Task<(string Pool, string Client, string Query)> AppAsync()
    {
        var pool = await f.CreatePoolAsync();
        var (client, _) = await f.CreateClientAsync(pool, extra: new JsonObject
        {
            ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid", "email"),
            ["CallbackURLs"] = new JsonArray(Callback), ["AllowedOAuthFlowsUserPoolClient"] = true, ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        return (pool, client, $"?client_id={client}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid");
    }

    Task<JsonObject> Terms(string pool, string client, string name, JsonObject links) => f.Admin.InvokeAsync("CreateTerms", new JsonObject
    {
        ["UserPoolId"] = pool, ["ClientId"] = client, ["TermsName"] = name, ["TermsSource"] = "LINK", ["Enforcement"] = "NONE", ["Links"] = links,
    });

    [Fact]
    public async Task SignUpPage_BothDocuments_LinksThemInThePagesLanguage()
    {
        var (pool, client, query) = await AppAsync();
        using var b = new LoginBrowser(f.Server.Endpoint);
        (await b.GetAsync("/signup" + query)).Document!.QuerySelector("[data-testid=terms]").ShouldBeNull();

        await Terms(pool, client, "terms-of-use", new JsonObject { ["cognito:default"] = "https://example.com/terms", ["cognito:french"] = "https://example.com/fr/terms" });
        (await b.GetAsync("/signup" + query)).Document!.QuerySelector("[data-testid=terms]").ShouldBeNull();

        await Terms(pool, client, "privacy-policy", new JsonObject { ["cognito:default"] = "https://example.com/privacy" });
        var terms = (await b.GetAsync("/signup" + query)).Document!.QuerySelector("[data-testid=terms]")!;
        terms.QuerySelectorAll("a").Select(a => (a.TextContent, a.GetAttribute("href"), a.GetAttribute("rel"))).ShouldBe(
            [("Terms of use", "https://example.com/terms", "noopener noreferrer"), ("Privacy policy", "https://example.com/privacy", "noopener noreferrer")]);

        var french = (await b.GetAsync("/signup" + query + "&lang=fr")).Document!.QuerySelector("[data-testid=terms]")!;
        french.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldBe(["https://example.com/fr/terms", "https://example.com/privacy"]);

        // Still shown after a refused sign-up.
        var refused = await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Username"] = "tia", ["Password"] = "short", ["Email"] = ServerFixture.NewEmail() });
        refused.Alert.ShouldNotBeNull();
        refused.Document!.QuerySelector("[data-testid=terms]").ShouldNotBeNull();
    }

    [Fact]
    public async Task SignUpPage_MarkupInLink_IsEscaped()
    {
        var (pool, client, query) = await AppAsync();
        await Terms(pool, client, "terms-of-use", new JsonObject { ["cognito:default"] = "https://example.com/t?x=\"><script>alert(1)</script>" });
        await Terms(pool, client, "privacy-policy", new JsonObject { ["cognito:default"] = "https://example.com/p'onmouseover='alert(1)" });
        using var b = new LoginBrowser(f.Server.Endpoint);
        var page = await b.GetAsync("/signup" + query);
        page.Document!.QuerySelectorAll("script").Length.ShouldBe(0);
        var links = page.Document.QuerySelector("[data-testid=terms]")!.QuerySelectorAll("a");
        links.Length.ShouldBe(2);
        links.ShouldAllBe(a => a.GetAttribute("onmouseover") == null);
        links[0].GetAttribute("href")!.ShouldStartWith("https://example.com/t?x=");
    }
}
