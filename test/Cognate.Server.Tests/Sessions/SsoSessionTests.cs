using System.Net;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Server.Tests.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Sessions;

/// <summary>
/// Managed-login SSO sessions in a pool with session tracking: a hosted sign-in is listed as an SSO session and its tokens'
/// session carries OriginSessionId; the browser is signed in silently while the session lives and the client's
/// SSOSession.MaxValidityMinutes allows it; a revoked (or logged-out) SSO session sends the browser back to the sign-in page;
/// LINKED revocation takes the token sessions that came through it.
/// </summary>
public sealed class SsoSessionTests(ServerFixture f)
{
    const string Callback = "https://app.example.com/callback";
    const string Password = "Correct-horse1!";

    sealed record App(string PoolId, string ClientId, string Username);

    static JsonObject HostedClient() => new()
    {
        ["AllowedOAuthFlows"] = new JsonArray("code"),
        ["AllowedOAuthScopes"] = new JsonArray("openid", "email"),
        ["CallbackURLs"] = new JsonArray(Callback),
        ["LogoutURLs"] = new JsonArray("https://app.example.com/bye"),
        ["AllowedOAuthFlowsUserPoolClient"] = true,
        ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
    };

    async Task<App> AppAsync()
    {
        var poolId = await f.CreatePoolAsync();
        var (clientId, _) = await f.CreateClientAsync(poolId, extra: HostedClient());
        var username = "sso" + Guid.NewGuid().ToString("N")[..8];
        await f.CreateConfirmedUserAsync(clientId, username, Password, ServerFixture.NewEmail());
        await f.Admin.InvokeAsync("SetUserPoolSessionConfiguration", new JsonObject
        {
            ["UserPoolId"] = poolId, ["UserSessionTracking"] = "ENABLED", ["TokenSession"] = new JsonObject { ["MaxPerUser"] = 20 },
        });
        return new App(poolId, clientId, username);
    }

    static string Authorize(string clientId, string state = "s1") =>
        $"/oauth2/authorize?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid&state={state}";

    /// <summary>Signs in on the pages; returns the authorization code.</summary>
    static async Task<string> SignInAsync(LoginBrowser b, App app)
    {
        var handOff = await b.GetAsync(Authorize(app.ClientId));
        handOff.Location!.OriginalString.ShouldStartWith("/login?");
        await b.GetAsync(handOff.Location.OriginalString);
        var done = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = app.Username, ["Password"] = Password });
        done.Status.ShouldBe(HttpStatusCode.Redirect, done.Alert);
        return done.LocationParameter("code")!;
    }

    /// <summary>The next authorization request: the code when the browser is signed in silently, null when sent to /login.</summary>
    static async Task<string?> SilentCodeAsync(LoginBrowser b, string clientId, string state = "again")
    {
        var answer = await b.GetAsync(Authorize(clientId, state));
        answer.Status.ShouldBe(HttpStatusCode.Redirect);
        if (answer.Location!.OriginalString.StartsWith("/login?", StringComparison.Ordinal)) return null;
        answer.Location.GetLeftPart(UriPartial.Path).ShouldBe(Callback);
        return answer.LocationParameter("code");
    }

    async Task<JsonNode> ExchangeAsync(string clientId, string code)
    {
        using var token = await f.Server.Http.PostAsync(new Uri(f.Server.Endpoint, "/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = Callback,
        }));
        var text = await token.Content.ReadAsStringAsync();
        token.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    async Task<HttpStatusCode> RefreshStatusAsync(string clientId, string refreshToken)
    {
        using var r = await f.Server.Http.PostAsync(new Uri(f.Server.Endpoint, "/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken,
        }));
        return r.StatusCode;
    }

    async Task<List<JsonNode>> SessionsAsync(App app) =>
        (await f.Admin.InvokeAsync("AdminListUserSessions", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = app.Username }))["Sessions"]!
            .AsArray().Select(s => s!).ToList();

    Task<JsonObject> RevokeAsync(App app, string sessionId, string associated = "NONE") =>
        f.Admin.InvokeAsync("AdminRevokeUserSession", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = app.Username, ["SessionId"] = sessionId, ["RevokeAssociatedSessions"] = associated,
        });

    [Fact]
    public async Task HostedSignIn_ListedAsSsoWithOriginOnTokens_RevokedSsoPromptsAgainTokensLive()
    {
        var app = await AppAsync();
        using var b = new LoginBrowser(f.Server.Endpoint);
        var tokens = await ExchangeAsync(app.ClientId, await SignInAsync(b, app));

        var sessions = await SessionsAsync(app);
        sessions.Count.ShouldBe(2);
        var sso = sessions.Single(s => (string?)s["SessionType"] == "SSO");
        var ssoId = (string)sso["SessionId"]!;
        ssoId.ShouldMatch("^sso[a-z2-7]{25}$");
        ((string?)sso["ClientId"]).ShouldBe(app.ClientId);
        ((string?)sso["LastIPAddress"]).ShouldBe("127.0.0.1");
        ((string?)sso["DeviceType"]).ShouldBe("unknown"); // the test browser sends no User-Agent
        sso["OriginSessionId"].ShouldBeNull();
        var token = sessions.Single(s => (string?)s["SessionType"] == "TOKEN");
        ((string?)token["OriginSessionId"]).ShouldBe(ssoId);

        // Silent reuse while the SSO session lives: a code without the sign-in page, its tokens from the same SSO session.
        var second = await ExchangeAsync(app.ClientId, (await SilentCodeAsync(b, app.ClientId))!);
        (await SessionsAsync(app)).Count(s => (string?)s["OriginSessionId"] == ssoId).ShouldBe(2);

        // Revoked (NONE): the SSO session is gone from the list and the browser must sign in again; its token sessions live.
        await RevokeAsync(app, ssoId);
        var left = await SessionsAsync(app);
        left.ShouldAllBe(s => (string?)s["SessionType"] == "TOKEN");
        left.Count.ShouldBe(2);
        (await SilentCodeAsync(b, app.ClientId)).ShouldBeNull();
        (await RefreshStatusAsync(app.ClientId, (string)tokens["refresh_token"]!)).ShouldBe(HttpStatusCode.OK);
        (await RefreshStatusAsync(app.ClientId, (string)second["refresh_token"]!)).ShouldBe(HttpStatusCode.OK);
        (await Should.ThrowAsync<CognitoServiceException>(() => RevokeAsync(app, ssoId))).ErrorType.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task RevokeLinked_SsoSession_TakesItsTokenSessions_AndTokenSessionLinkedTakesItsSso()
    {
        var app = await AppAsync();
        using var b = new LoginBrowser(f.Server.Endpoint);
        var tokens = await ExchangeAsync(app.ClientId, await SignInAsync(b, app));
        var ssoId = (string)(await SessionsAsync(app)).Single(s => (string?)s["SessionType"] == "SSO")["SessionId"]!;
        await RevokeAsync(app, ssoId, "LINKED");
        (await SessionsAsync(app)).ShouldBeEmpty();
        (await RefreshStatusAsync(app.ClientId, (string)tokens["refresh_token"]!)).ShouldBe(HttpStatusCode.BadRequest);

        // From the token side: LINKED revokes the parent SSO session too.
        using var b2 = new LoginBrowser(f.Server.Endpoint);
        await ExchangeAsync(app.ClientId, await SignInAsync(b2, app));
        var tokenSession = (await SessionsAsync(app)).Single(s => (string?)s["SessionType"] == "TOKEN");
        await RevokeAsync(app, (string)tokenSession["SessionId"]!, "LINKED");
        (await SessionsAsync(app)).ShouldBeEmpty();
        (await SilentCodeAsync(b2, app.ClientId)).ShouldBeNull();
    }

    [Fact]
    public async Task MaxValidityMinutes_ZeroAlwaysPrompts_OtherClientStillReuses()
    {
        var app = await AppAsync();
        var (strict, _) = await f.CreateClientAsync(app.PoolId, extra: HostedClient());
        await f.Admin.InvokeAsync("SetUserPoolClientSessionConfiguration", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["ClientId"] = strict, ["SSOSession"] = new JsonObject { ["MaxValidityMinutes"] = 0 },
        });
        using var b = new LoginBrowser(f.Server.Endpoint);
        await SignInAsync(b, app);
        (await SilentCodeAsync(b, strict)).ShouldBeNull();           // 0: this client always prompts
        (await SilentCodeAsync(b, app.ClientId)).ShouldNotBeNull();  // the default 60 minutes: the session is reused

        // Signing in again in that browser replaces its cookie: the SSO session the old cookie named ends, one stays listed.
        var first = (string)(await SessionsAsync(app)).Single(s => (string?)s["SessionType"] == "SSO")["SessionId"]!;
        await SignInAsync(b, app with { ClientId = strict });
        var now = (await SessionsAsync(app)).Where(s => (string?)s["SessionType"] == "SSO").Select(s => (string)s["SessionId"]!).ToList();
        now.Count.ShouldBe(1);
        now[0].ShouldNotBe(first);
    }

    [Fact]
    public async Task Logout_EndsTheSsoSession()
    {
        var app = await AppAsync();
        using var b = new LoginBrowser(f.Server.Endpoint);
        await SignInAsync(b, app);
        var cookie = b.Cookies.GetCookies(f.Server.Endpoint).Single(c => c.Name.StartsWith("cognate-session-", StringComparison.Ordinal)).Value;
        (await SessionsAsync(app)).Count(s => (string?)s["SessionType"] == "SSO").ShouldBe(1);
        var bye = await b.GetAsync($"/logout?client_id={app.ClientId}&logout_uri={Uri.EscapeDataString("https://app.example.com/bye")}");
        bye.Status.ShouldBe(HttpStatusCode.Redirect);
        (await SessionsAsync(app)).ShouldAllBe(s => (string?)s["SessionType"] == "TOKEN");

        // The old cookie, replayed after the logout, no longer signs the browser in (its SSO session is revoked server-side).
        using var replay = new LoginBrowser(f.Server.Endpoint);
        replay.Cookies.Add(f.Server.Endpoint, new Cookie(ManagedLoginSessionsCookie(app.PoolId), cookie));
        (await SilentCodeAsync(replay, app.ClientId)).ShouldBeNull();
    }

    static string ManagedLoginSessionsCookie(string poolId) => Cognate.Server.ManagedLogin.ManagedLoginSessions.CookieName(poolId);
}
