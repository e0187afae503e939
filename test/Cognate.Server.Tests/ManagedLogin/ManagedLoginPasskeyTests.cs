using System.Net;
using System.Text.Json.Nodes;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>
/// Passkeys on the managed-login pages over a real server, with a software authenticator standing in for the browser's
/// WebAuthn: the offer of <c>/passkeys/add</c> after a password sign-in, registration through the page, <c>Skip</c>, the
/// <c>Sign in with passkey</c> button → the passkey page → the redirect with a code, and the attacks: no session, no CSRF
/// token, a credential for another origin, a replayed assertion, a form without a credential.
/// </summary>
public sealed class ManagedLoginPasskeyTests(ServerFixture f)
{
    const string Callback = "https://app.example.com/callback";
    const string Password = "Correct-horse1!";
    const string Origin = "http://localhost:5173";

    sealed record App(string PoolId, string ClientId, string Query);

    async Task<App> AppAsync(bool passkeys = true)
    {
        var poolId = await f.CreatePoolAsync(new JsonObject
        {
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = passkeys ? new JsonArray("PASSWORD", "WEB_AUTHN") : new JsonArray("PASSWORD") } },
        });
        if (passkeys)
        {
            await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
            {
                ["UserPoolId"] = poolId,
                ["WebAuthnConfiguration"] = new JsonObject { ["RelyingPartyId"] = "localhost", ["UserVerification"] = "required" },
            });
        }
        var (clientId, _) = await f.CreateClientAsync(poolId, false, new JsonObject
        {
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
            ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", "email"),
            ["CallbackURLs"] = new JsonArray(Callback),
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        return new App(poolId, clientId, $"?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&state=st8&scope=openid");
    }

    LoginBrowser Browser() => new(f.Server.Endpoint);

    static void ShouldBeSignedIn(PageAnswer answer)
    {
        answer.Status.ShouldBe(HttpStatusCode.Redirect, answer.Alert ?? answer.Document?.Body?.TextContent);
        answer.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Callback);
        answer.LocationParameter("code").ShouldNotBeNullOrEmpty();
        answer.LocationParameter("state").ShouldBe("st8");
    }

    static string Options(PageAnswer page) => page.Document!.QuerySelector("form[data-passkey]")!.GetAttribute("data-options")!;

    static Action<List<KeyValuePair<string, string>>> WithCredential(string credential) => fields =>
    {
        fields.RemoveAll(p => p.Key == "credential");
        fields.Add(new("credential", credential));
    };

    /// <summary>Signs <paramref name="username"/> in with the password and lands on /passkeys/add.</summary>
    static async Task<PageAnswer> PasswordThenOfferAsync(LoginBrowser b, App app, string username)
    {
        await b.GetAsync("/login" + app.Query);
        var signedIn = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = username, ["Password"] = Password });
        signedIn.Status.ShouldBe(HttpStatusCode.Redirect, signedIn.Alert);
        signedIn.Location!.OriginalString.ShouldStartWith("/passkeys/add?client_id=" + app.ClientId);
        return await b.GetAsync(signedIn.Location.OriginalString);
    }

    [Fact]
    public async Task Passkeys_RegisterOnAddPage_ThenSignInWithPasskeyButton_RedirectsWithCode()
    {
        var app = await AppAsync();
        var username = "pk" + Guid.NewGuid().ToString("N")[..8];
        await f.CreateConfirmedUserAsync(app.ClientId, username, Password, ServerFixture.NewEmail());
        using var authenticator = new SoftwareAuthenticator();

        using (var b = Browser())
        {
            var login = await b.GetAsync("/login" + app.Query);
            login.Buttons.ShouldBe(["Sign in", "Sign in with passkey"]);
            login.ContentSecurityPolicy!.ShouldNotContain("script-src");

            var add = await PasswordThenOfferAsync(b, app, username);
            add.Status.ShouldBe(HttpStatusCode.OK);
            add.Document!.QuerySelector("h1")!.TextContent.ShouldBe("Add a passkey");
            add.Buttons.ShouldBe(["Add passkey"]);
            add.Links.ShouldContain("Skip");
            add.ContentSecurityPolicy!.ShouldContain("script-src 'self'");
            add.Document.QuerySelector("script")!.GetAttribute("src").ShouldBe("/managedlogin/passkey.js");
            var options = JsonNode.Parse(Options(add))!.AsObject();
            ((string?)options["rp"]!["id"]).ShouldBe("localhost");

            var credential = authenticator.Create(options, Origin).ToJsonString();
            ShouldBeSignedIn(await b.SubmitAsync("Add passkey", tamper: WithCredential(credential)));
        }

        var script = await new HttpClient().GetAsync(new Uri(f.Server.Endpoint, "/managedlogin/passkey.js"));
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        (await script.Content.ReadAsStringAsync()).ShouldContain("navigator.credentials.get");

        using (var b = Browser())
        {
            await b.GetAsync("/login" + app.Query);
            var challenge = await b.SubmitAsync("Sign in with passkey", new Dictionary<string, string> { ["Username"] = username });
            challenge.Status.ShouldBe(HttpStatusCode.OK, challenge.Alert);
            challenge.Buttons.ShouldBe(["Sign in with passkey"]);
            challenge.ContentSecurityPolicy!.ShouldContain("script-src 'self'");
            var assertion = authenticator.Get(Options(challenge), Origin);

            // A form sent without a credential keeps the session: the same page with the missing-parameter message.
            var empty = await b.SubmitAsync("Sign in with passkey");
            empty.Status.ShouldBe(HttpStatusCode.OK);
            empty.Alert.ShouldNotBeNullOrEmpty();
            empty.Buttons.ShouldBe(["Sign in with passkey"]);

            var state = empty.Document!.QuerySelector("input[name=_state]")!.GetAttribute("value")!;
            var signedIn = await b.SubmitAsync("Sign in with passkey", tamper: WithCredential(assertion));
            ShouldBeSignedIn(signedIn); // the user has a passkey now: no offer of /passkeys/add

            // The same assertion posted again with the same flow state: the engine's session is used up.
            await b.GetAsync("/login" + app.Query);
            var challenge2 = await b.SubmitAsync("Sign in with passkey", new Dictionary<string, string> { ["Username"] = username });
            var replay = await b.SubmitAsync("Sign in with passkey", tamper: fields =>
            {
                WithCredential(assertion)(fields);
                fields.RemoveAll(p => p.Key == "_state");
                fields.Add(new("_state", state));
            });
            replay.Status.ShouldBe(HttpStatusCode.OK);
            replay.Location.ShouldBeNull();
            replay.Alert.ShouldNotBeNullOrEmpty();
            challenge2.Status.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task PasskeysAdd_Skip_RedirectsWithCode_AndNoPasskeyIsStored()
    {
        var app = await AppAsync();
        var username = "pk" + Guid.NewGuid().ToString("N")[..8];
        await f.CreateConfirmedUserAsync(app.ClientId, username, Password, ServerFixture.NewEmail());
        using var b = Browser();
        var add = await PasswordThenOfferAsync(b, app, username);
        var skip = add.Document!.QuerySelectorAll("a").First(a => a.TextContent.Trim() == "Skip").GetAttribute("href")!;
        skip.ShouldStartWith("/oauth2/authorize?client_id=" + app.ClientId);
        ShouldBeSignedIn(await b.GetAsync(skip));
        // Still no passkey: the next password sign-in offers the page again.
        using var again = Browser();
        await PasswordThenOfferAsync(again, app, username);
    }

    [Fact]
    public async Task PasskeysAdd_Attacks_NoSessionNoCsrfWrongOrigin_Refused()
    {
        var app = await AppAsync();
        var username = "pk" + Guid.NewGuid().ToString("N")[..8];
        await f.CreateConfirmedUserAsync(app.ClientId, username, Password, ServerFixture.NewEmail());
        using var authenticator = new SoftwareAuthenticator();

        // No managed-login session: the page sends the browser to sign in, a POST registers nothing.
        using (var anonymous = Browser())
        {
            var get = await anonymous.GetAsync("/passkeys/add" + app.Query);
            get.Status.ShouldBe(HttpStatusCode.Redirect);
            get.Location!.OriginalString.ShouldStartWith("/login?client_id=" + app.ClientId);
            await anonymous.GetAsync("/login" + app.Query); // a CSRF cookie and token of this browser
            var token = anonymous.Last.Document!.QuerySelector("input[name=_csrf]")!.GetAttribute("value")!;
            using var post = await new HttpClient(new HttpClientHandler { CookieContainer = anonymous.Cookies, AllowAutoRedirect = false })
                .PostAsync(new Uri(f.Server.Endpoint, "/passkeys/add" + app.Query), new FormUrlEncodedContent([new("_csrf", token), new("credential", "{}")]));
            post.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            post.Headers.Location!.OriginalString.ShouldStartWith("/login?");
        }

        using var b = Browser();
        var add = await PasswordThenOfferAsync(b, app, username);
        var options = JsonNode.Parse(Options(add))!.AsObject();

        var noCsrf = await b.SubmitAsync("Add passkey", tamper: fields =>
        {
            WithCredential(authenticator.Create(options, Origin).ToJsonString())(fields);
            fields.RemoveAll(p => p.Key == "_csrf");
        });
        noCsrf.Status.ShouldBe(HttpStatusCode.BadRequest);

        add = await b.GetAsync("/passkeys/add" + app.Query);
        options = JsonNode.Parse(Options(add))!.AsObject();
        var wrongOrigin = await b.SubmitAsync("Add passkey", tamper: WithCredential(authenticator.Create(options, "http://127.0.0.1:5173").ToJsonString()));
        wrongOrigin.Status.ShouldBe(HttpStatusCode.OK);
        wrongOrigin.Location.ShouldBeNull();
        wrongOrigin.Alert.ShouldNotBeNullOrEmpty();
        wrongOrigin.Buttons.ShouldBe(["Add passkey"]);

        var garbage = await b.SubmitAsync("Add passkey", tamper: WithCredential("{not json"));
        garbage.Status.ShouldBe(HttpStatusCode.OK);
        garbage.Alert.ShouldNotBeNullOrEmpty();

        // Nothing was stored: the passkey button leads to the password, not to a passkey page.
        using var later = Browser();
        await later.GetAsync("/login" + app.Query);
        var next = await later.SubmitAsync("Sign in with passkey", new Dictionary<string, string> { ["Username"] = username });
        next.Status.ShouldBe(HttpStatusCode.OK);
        next.Labels.ShouldContain("Password");
        next.Document!.QuerySelector("form[data-passkey]").ShouldBeNull();
    }

    [Fact]
    public async Task Login_PoolWithoutWebAuthn_NoPasskeyButtonNoOffer()
    {
        var app = await AppAsync(passkeys: false);
        await f.CreateConfirmedUserAsync(app.ClientId, "nopk", Password, ServerFixture.NewEmail());
        using var b = Browser();
        var login = await b.GetAsync("/login" + app.Query);
        login.Buttons.ShouldBe(["Sign in"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "nopk", ["Password"] = Password }));
        var add = await b.GetAsync("/passkeys/add" + app.Query);
        add.Alert.ShouldNotBeNullOrEmpty(); // WebAuthnNotEnabledException's message on the error page
    }
}
