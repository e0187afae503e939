using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;
using Cognate.Server.ManagedLogin;
using Cognate.Server.OAuth.Authorize;
using Cognate.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>
/// <c>/oauth2/authorize</c> and the <c>authorization_code</c> grant over the wire (reference §9.2, §9.4; docs/design/oauth-server.md
/// §5 items 1–7 and 12). The managed-login session a sign-in through the pages would write is written here by sealing the
/// cookie with the Development master key the test server runs with: no test-only route in the product.
/// </summary>
public sealed class AuthorizeFlowTests(ServerFixture f) : IDisposable
{
    const string Cb = "https://app.example.com/callback";
    const string Password = "Passw0rd!x";
    const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    const string State = "st+a/te=%41&ü";

    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    sealed record App(string Pool, string ClientId, string? Secret, string Email, string Sub);

    async Task<App> AppAsync(bool secret = false, JsonObject? extra = null)
    {
        var pool = await f.CreatePoolAsync();
        var req = extra ?? [];
        req["AllowedOAuthFlowsUserPoolClient"] ??= true;
        req["AllowedOAuthFlows"] ??= new JsonArray("code");
        req["AllowedOAuthScopes"] ??= new JsonArray("openid", "email", "profile", "aws.cognito.signin.user.admin");
        req["CallbackURLs"] ??= new JsonArray(Cb);
        req["SupportedIdentityProviders"] ??= new JsonArray("COGNITO");
        var (client, clientSecret) = await f.CreateClientAsync(pool, secret, req);
        var email = ServerFixture.NewEmail();
        var sub = await f.CreateConfirmedUserAsync(client, email, Password, email, clientSecret);
        return new App(pool, client, clientSecret, email, sub);
    }

    static string SessionCookie(App app, DateTimeOffset authTime)
    {
        using var protector = MasterKeyProtector.FromBase64(MasterKeyProtector.DevelopmentMasterKeyBase64);
        var value = ManagedLoginSessions.Seal(protector, new ManagedLoginSession(app.Pool, app.Sub, authTime, authTime + ManagedLoginSessions.Lifetime));
        return ManagedLoginSessions.CookieName(app.Pool) + "=" + value;
    }

    static string Query(App app, params (string Name, string Value)[] extra)
    {
        var q = new Dictionary<string, string?> { ["client_id"] = app.ClientId, ["response_type"] = "code", ["redirect_uri"] = Cb, ["state"] = State };
        foreach (var (n, v) in extra) q[n] = v;
        return QueryHelpers.AddQueryString("", q);
    }

    async Task<HttpResponseMessage> AuthorizeAsync(string query, string? cookie = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(f.Server.Endpoint, "/oauth2/authorize" + query));
        if (cookie is not null) req.Headers.Add("Cookie", cookie);
        return await http.SendAsync(req);
    }

    /// <summary>Signs in by session cookie and returns the query (or fragment) parameters of the redirect to the app.</summary>
    async Task<Dictionary<string, string>> RedirectParametersAsync(HttpResponseMessage r, bool fragment = false)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync());
        var location = r.Headers.Location!.OriginalString;
        location.ShouldStartWith(Cb + (fragment ? "#" : "?"));
        var part = fragment ? location[(location.IndexOf('#') + 1)..] : location[(location.IndexOf('?') + 1)..];
        return QueryHelpers.ParseQuery(part).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    async Task<string> CodeAsync(App app, params (string Name, string Value)[] extra)
    {
        using var r = await AuthorizeAsync(Query(app, [("code_challenge", Challenge), ("code_challenge_method", "S256"), .. extra]), SessionCookie(app, DateTimeOffset.UtcNow.AddMinutes(-2)));
        var p = await RedirectParametersAsync(r);
        p["state"].ShouldBe(State);
        return p["code"];
    }

    async Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form, string? basicId = null, string? basicSecret = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        if (basicId is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(basicId) + ":" + Uri.EscapeDataString(basicSecret ?? ""))));
        }
        return await http.SendAsync(req);
    }

    static Dictionary<string, string> Exchange(App app, string code, string? verifier = Verifier, string redirectUri = Cb)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["client_id"] = app.ClientId, ["code"] = code, ["redirect_uri"] = redirectUri };
        if (verifier is not null) form["code_verifier"] = verifier;
        return form;
    }

    static async Task<JsonObject> OkBody(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        r.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
        return JsonNode.Parse(text)!.AsObject();
    }

    static async Task<string> ErrorOf(HttpResponseMessage r)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        body.Count.ShouldBe(1);
        return (string)body["error"]!;
    }

    [Fact]
    public async Task Authorize_UnknownClientOrUnregisteredRedirect_ErrorPageNoRedirect()
    {
        var app = await AppAsync();
        foreach (var query in new[]
        {
            Query(app, ("client_id", "nosuchclient0000000000000a")),
            Query(app, ("client_id", "")),
            Query(app, ("redirect_uri", Cb + "/")),
            Query(app, ("redirect_uri", "https://app.example.com@evil.example/callback")),
            Query(app, ("redirect_uri", "https://evil.example/callback")),
        })
        {
            using var r = await AuthorizeAsync(query);
            r.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            r.Headers.Location.ShouldBeNull();
            r.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            var html = await r.Content.ReadAsStringAsync();
            html.ShouldContain("role=\"alert\"");
            html.ShouldNotContain("evil");
        }
    }

    [Fact]
    public async Task Authorize_ErrorsAfterRedirectValidated_RedirectToAppWithState()
    {
        var app = await AppAsync();
        async Task<Dictionary<string, string>> ErrorRedirect(string query, bool fragment = false)
        {
            using var r = await AuthorizeAsync(query);
            var p = await RedirectParametersAsync(r, fragment);
            p["state"].ShouldBe(State);
            return p;
        }
        (await ErrorRedirect(Query(app, ("response_type", "token")), fragment: true))["error"].ShouldBe("unauthorized_client"); // implicit not allowed
        (await ErrorRedirect(Query(app, ("code_challenge", Challenge), ("code_challenge_method", "plain"))))["error"].ShouldBe("invalid_request");
        (await ErrorRedirect(Query(app, ("code_challenge", Challenge))))["error"].ShouldBe("invalid_request");
        (await ErrorRedirect(Query(app, ("scope", "phone https://other/scope"))))["error"].ShouldBe("invalid_scope");
        (await ErrorRedirect(Query(app, ("response_type", "id_token"))))["error"].ShouldBe("unsupported_response_type");
        (await ErrorRedirect(Query(app, ("prompt", "none"))))["error"].ShouldBe("login_required");
        (await ErrorRedirect(Query(app) + "&scope=openid&scope=email"))["error"].ShouldBe("invalid_request"); // repeated
    }

    [Fact]
    public async Task Authorize_NoSession_RedirectsToLoginWithTheSameQuery()
    {
        var app = await AppAsync();
        var query = Query(app, ("scope", "openid email"), ("nonce", "n1"));
        using var r = await AuthorizeAsync(query);
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.OriginalString.ShouldBe("/login" + query);

        // A session for another pool, a forged cookie or an expired session are no session.
        var other = await AppAsync();
        using var forged = await AuthorizeAsync(query, ManagedLoginSessions.CookieName(app.Pool) + "=" + SessionCookie(other, DateTimeOffset.UtcNow).Split('=', 2)[1]);
        forged.Headers.Location!.OriginalString.ShouldStartWith("/login?");
        using var expired = await AuthorizeAsync(query, SessionCookie(app, DateTimeOffset.UtcNow.AddHours(-2)));
        expired.Headers.Location!.OriginalString.ShouldStartWith("/login?");
        using var garbage = await AuthorizeAsync(query, ManagedLoginSessions.CookieName(app.Pool) + "=not-a-sealed-value");
        garbage.Headers.Location!.OriginalString.ShouldStartWith("/login?");
        using var promptLogin = await AuthorizeAsync(Query(app, ("prompt", "login")), SessionCookie(app, DateTimeOffset.UtcNow));
        promptLogin.Headers.Location!.OriginalString.ShouldStartWith("/login?");
    }

    [Fact]
    public async Task CodeFlow_SessionAndPkce_TokensWithHostedClaims()
    {
        var app = await AppAsync();
        var authTime = DateTimeOffset.UtcNow.AddMinutes(-3);
        using var r = await AuthorizeAsync(Query(app, ("scope", "openid email aws.cognito.signin.user.admin"), ("nonce", "nonce-123"),
            ("code_challenge", Challenge), ("code_challenge_method", "S256")), SessionCookie(app, authTime));
        var p = await RedirectParametersAsync(r);
        p["state"].ShouldBe(State); // byte for byte, through the encoding
        p.Keys.Order().ShouldBe(["code", "state"]);
        r.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var setCookie = r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ManagedLoginSessions.CookieName(app.Pool) + "=", StringComparison.Ordinal)).ToLowerInvariant();
        setCookie.ShouldContain("httponly");
        setCookie.ShouldContain("samesite=lax");
        setCookie.ShouldContain("path=/");
        setCookie.ShouldNotContain("secure"); // plain http

        var body = await OkBody(await TokenAsync(Exchange(app, p["code"])));
        body.Select(x => x.Key).Order().ShouldBe(["access_token", "expires_in", "id_token", "refresh_token", "token_type"]);
        ((string?)body["token_type"], (int?)body["expires_in"]).ShouldBe(("Bearer", 3600));
        var access = TestJwt.Claims((string)body["access_token"]!);
        var id = TestJwt.Claims((string)body["id_token"]!);
        ((string?)access["scope"], (string?)access["username"], (int?)access["version"], (string?)access["token_use"]).ShouldBe(("openid email aws.cognito.signin.user.admin", app.Email, 2, "access"));
        ((long?)access["auth_time"]).ShouldBe(authTime.ToUnixTimeSeconds());
        ((string?)id["nonce"], (string?)id["email"], (string?)id["aud"], (string?)id["sub"]).ShouldBe(("nonce-123", app.Email, app.ClientId, app.Sub));
        ((long?)id["auth_time"]).ShouldBe(authTime.ToUnixTimeSeconds());
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes((string)body["access_token"]!));
        ((string?)id["at_hash"]).ShouldBe(Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        ((string?)access["origin_jti"]).ShouldBe((string?)id["origin_jti"]);

        // The access token works with the user APIs (it has aws.cognito.signin.user.admin) and the refresh token refreshes.
        var user = await f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)body["access_token"]! });
        ((string?)user["Username"]).ShouldBe(app.Email);
        var refreshed = await OkBody(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)body["refresh_token"]! }));
        refreshed["access_token"].ShouldNotBeNull();
    }

    [Fact]
    public async Task CodeFlow_NoOpenIdScope_NoIdToken()
    {
        var app = await AppAsync();
        var code = await CodeAsync(app, ("scope", "aws.cognito.signin.user.admin"));
        var body = await OkBody(await TokenAsync(Exchange(app, code)));
        body.Select(x => x.Key).Order().ShouldBe(["access_token", "expires_in", "refresh_token", "token_type"]);
        ((string?)TestJwt.Claims((string)body["access_token"]!)["scope"]).ShouldBe("aws.cognito.signin.user.admin");
    }

    [Fact]
    public async Task CodeReuse_SecondExchange_InvalidGrantAndFirstRefreshTokenDies()
    {
        var app = await AppAsync();
        var code = await CodeAsync(app);
        var first = await OkBody(await TokenAsync(Exchange(app, code)));

        (await ErrorOf(await TokenAsync(Exchange(app, code)))).ShouldBe("invalid_grant");

        (await ErrorOf(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)first["refresh_token"]! }))).ShouldBe("invalid_grant");
        var ex = await Should.ThrowAsync<Cognate.Client.CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)first["access_token"]! }));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
    }

    [Fact]
    public async Task CodeExchange_ConcurrentRedeemers_AtMostOneAnswerAndNoLiveTokens()
    {
        // Ten exchanges of one code at once: the store lets exactly one redeem (the 50-way specification test shows it), and
        // every other one is a replay, which revokes what the winner issued (or makes the winner refuse, if the replay came
        // before its tokens were recorded). Either way no token of this code stays alive.
        var app = await AppAsync();
        var code = await CodeAsync(app);
        var bodies = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var r = await TokenAsync(Exchange(app, code));
            return (r.StatusCode, Text: await r.Content.ReadAsStringAsync());
        }));
        bodies.Count(b => b.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
        bodies.Count(b => b.StatusCode == HttpStatusCode.BadRequest).ShouldBeGreaterThanOrEqualTo(9);
        foreach (var ok in bodies.Where(b => b.StatusCode == HttpStatusCode.OK))
        {
            var refresh = (string)JsonNode.Parse(ok.Text)!["refresh_token"]!;
            (await ErrorOf(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = refresh }))).ShouldBe("invalid_grant");
        }
    }

    [Fact]
    public async Task CodeExchange_WrongMissingOrUnexpectedVerifier_InvalidGrant()
    {
        var app = await AppAsync();
        (await ErrorOf(await TokenAsync(Exchange(app, await CodeAsync(app), verifier: Verifier[..^1] + "A")))).ShouldBe("invalid_grant");
        (await ErrorOf(await TokenAsync(Exchange(app, await CodeAsync(app), verifier: null)))).ShouldBe("invalid_grant");
        (await ErrorOf(await TokenAsync(Exchange(app, await CodeAsync(app), verifier: Challenge)))).ShouldBe("invalid_grant");

        // A code issued without a challenge refuses a verifier (PKCE downgrade) and works without one.
        using var r = await AuthorizeAsync(Query(app), SessionCookie(app, DateTimeOffset.UtcNow));
        var noPkce = (await RedirectParametersAsync(r))["code"];
        (await ErrorOf(await TokenAsync(Exchange(app, noPkce, verifier: Verifier)))).ShouldBe("invalid_grant");
        using var r2 = await AuthorizeAsync(Query(app), SessionCookie(app, DateTimeOffset.UtcNow));
        await OkBody(await TokenAsync(Exchange(app, (await RedirectParametersAsync(r2))["code"], verifier: null)));
    }

    /// <summary>Runs <paramref name="sql"/> on the test server's own database (SQLite file, or its PostgreSQL database).</summary>
    async Task ExecuteOnServerDatabaseAsync(string sql, string clientId)
    {
        if (f.Server.Environment.TryGetValue("ConnectionStrings__Cognate", out var pg))
        {
            await using var connection = new Npgsql.NpgsqlConnection(pg);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("c", clientId);
            await command.ExecuteNonQueryAsync();
            return;
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(f.Server.DataDirectory, "cognate.db")}");
        await sqlite.OpenAsync();
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 5000; " + sql.Replace("@c", "$c", StringComparison.Ordinal);
        cmd.Parameters.AddWithValue("$c", clientId);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task CodeExchange_ExpiredCode_InvalidGrant()
    {
        // The code's 5 minutes are over (expiry moved into the past in the store the server reads on every exchange).
        var app = await AppAsync();
        var code = await CodeAsync(app);
        await ExecuteOnServerDatabaseAsync("UPDATE authorization_codes SET expires_at = 1 WHERE client_id = @c", app.ClientId);
        (await ErrorOf(await TokenAsync(Exchange(app, code)))).ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task CodeExchange_OtherClientOrRedirectOrMissingParameters_Refused()
    {
        var app = await AppAsync();
        var (other, _) = await f.CreateClientAsync(app.Pool, extra: new JsonObject
        {
            ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("code"), ["AllowedOAuthScopes"] = new JsonArray("openid"),
            ["CallbackURLs"] = new JsonArray(Cb), ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        var stolen = Exchange(app, await CodeAsync(app));
        stolen["client_id"] = other;
        (await ErrorOf(await TokenAsync(stolen))).ShouldBe("invalid_grant");
        (await ErrorOf(await TokenAsync(Exchange(app, await CodeAsync(app), redirectUri: Cb + "/")))).ShouldBe("invalid_grant");
        (await ErrorOf(await TokenAsync(Exchange(app, "made-up-code")))).ShouldBe("invalid_grant");
        var noRedirect = Exchange(app, await CodeAsync(app));
        noRedirect.Remove("redirect_uri");
        (await ErrorOf(await TokenAsync(noRedirect))).ShouldBe("invalid_request");
        var noCode = Exchange(app, "x");
        noCode.Remove("code");
        (await ErrorOf(await TokenAsync(noCode))).ShouldBe("invalid_request");
    }

    [Fact]
    public async Task CodeExchange_ConfidentialClient_SecretRequired()
    {
        var app = await AppAsync(secret: true);
        var code = await CodeAsync(app);
        var form = Exchange(app, code);
        (await ErrorOf(await TokenAsync(form, app.ClientId, app.Secret + "x"))).ShouldBe("invalid_client");
        (await ErrorOf(await TokenAsync(form))).ShouldBe("invalid_client"); // no secret at all
        await OkBody(await TokenAsync(form, app.ClientId, app.Secret)); // the failed attempts did not consume the code
    }

    [Fact]
    public async Task CodeExchange_UserDisabledAfterAuthorize_InvalidGrant()
    {
        var app = await AppAsync();
        var code = await CodeAsync(app);
        await f.Admin.InvokeAsync("AdminDisableUser", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Email });
        (await ErrorOf(await TokenAsync(Exchange(app, code)))).ShouldBe("invalid_grant");

        // And a disabled user's session no longer completes: back to /login.
        using var r = await AuthorizeAsync(Query(app), SessionCookie(app, DateTimeOffset.UtcNow));
        r.Headers.Location!.OriginalString.ShouldStartWith("/login?");
    }

    [Fact]
    public async Task CodeExchange_ClientWithoutCodeFlow_UnauthorizedClient()
    {
        var app = await AppAsync();
        var code = await CodeAsync(app);
        await f.Admin.InvokeAsync("UpdateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = app.Pool, ["ClientId"] = app.ClientId, ["AllowedOAuthFlowsUserPoolClient"] = true, ["AllowedOAuthFlows"] = new JsonArray("implicit"),
            ["AllowedOAuthScopes"] = new JsonArray("openid"), ["CallbackURLs"] = new JsonArray(Cb), ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        });
        (await ErrorOf(await TokenAsync(Exchange(app, code)))).ShouldBe("unauthorized_client");
    }

    [Fact]
    public async Task Implicit_SessionAndAllowedFlow_TokensInFragment()
    {
        var app = await AppAsync(extra: new JsonObject { ["AllowedOAuthFlows"] = new JsonArray("implicit") });
        var authTime = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var r = await AuthorizeAsync(Query(app, ("response_type", "token"), ("scope", "openid profile aws.cognito.signin.user.admin"), ("nonce", "imp")), SessionCookie(app, authTime));
        var p = await RedirectParametersAsync(r, fragment: true);
        p.Keys.Order().ShouldBe(["access_token", "expires_in", "id_token", "state", "token_type"]);
        (p["token_type"], p["expires_in"], p["state"]).ShouldBe(("Bearer", "3600", State));
        var id = TestJwt.Claims(p["id_token"]);
        ((string?)id["nonce"], (string?)id["at_hash"]).ShouldBe(("imp", Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(p["access_token"])), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        ((string?)TestJwt.Claims(p["access_token"])["scope"]).ShouldBe("openid profile aws.cognito.signin.user.admin");
        ((long?)TestJwt.Claims(p["access_token"])["auth_time"]).ShouldBe(authTime.ToUnixTimeSeconds());

        // GlobalSignOut reaches implicit tokens too.
        var getUser = new JsonObject { ["AccessToken"] = p["access_token"] };
        await f.Public.InvokeAsync("GetUser", getUser.DeepClone().AsObject());
        await f.Admin.InvokeAsync("AdminUserGlobalSignOut", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Email });
        var ex = await Should.ThrowAsync<Cognate.Client.CognitoServiceException>(() => f.Public.InvokeAsync("GetUser", getUser));
        ex.ErrorType.ShouldBe("NotAuthorizedException");
    }

    async Task<JsonObject> TokensAsync(App app, string scope)
    {
        var code = await CodeAsync(app, ("scope", scope));
        return await OkBody(await TokenAsync(Exchange(app, code)));
    }

    async Task<HttpResponseMessage> UserInfoAsync(string accessToken, HttpMethod? method = null)
    {
        using var req = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(f.Server.Endpoint, "/oauth2/userInfo"));
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(req);
    }

    [Fact]
    public async Task UserInfo_EmailScope_SubEmailVerifiedAsStringAndUsername()
    {
        var app = await AppAsync();
        await f.Admin.InvokeAsync("AdminUpdateUserAttributes", new JsonObject
        {
            ["UserPoolId"] = app.Pool, ["Username"] = app.Email, ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "name", ["Value"] = "Ann Example" }),
        });
        var tokens = await TokensAsync(app, "openid email");
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            var info = await OkBody(await UserInfoAsync((string)tokens["access_token"]!, method));
            info.Select(p => p.Key).Order().ShouldBe(["email", "email_verified", "sub", "username"]);
            ((string?)info["sub"], (string?)info["email"], (string?)info["username"]).ShouldBe((app.Sub, app.Email, app.Email));
            info["email_verified"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
            ((string?)info["email_verified"]).ShouldBe("true");
        }

        // openid alone, or profile: every readable attribute.
        foreach (var scope in new[] { "openid", "openid profile" })
        {
            var all = await OkBody(await UserInfoAsync((string)(await TokensAsync(app, scope))["access_token"]!));
            ((string?)all["name"], (string?)all["email"], (string?)all["email_verified"]).ShouldBe(("Ann Example", app.Email, "true"));
        }
    }

    [Fact]
    public async Task UserInfo_WithoutOpenIdOrRevoked_InvalidToken()
    {
        var app = await AppAsync();
        var adminOnly = await TokensAsync(app, "aws.cognito.signin.user.admin");
        using (var r = await UserInfoAsync((string)adminOnly["access_token"]!))
        {
            r.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            r.Headers.WwwAuthenticate.ToString().ShouldContain("error=\"invalid_token\"");
        }
        var tokens = await TokensAsync(app, "openid email");
        (await UserInfoAsync((string)tokens["access_token"]!)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var revoked = new HttpRequestMessage(HttpMethod.Post, new Uri(f.Server.Endpoint, "/oauth2/revoke"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = app.ClientId, ["token"] = (string)tokens["refresh_token"]! }),
        };
        (await http.SendAsync(revoked)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await UserInfoAsync((string)tokens["access_token"]!)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await UserInfoAsync("not.a.jwt")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshGrant_HostedRefreshToken_KeepsScopesAndUserInfoWorks()
    {
        var app = await AppAsync();
        var first = await TokensAsync(app, "openid email");
        var refreshed = await OkBody(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)first["refresh_token"]!, ["scope"] = "profile" }));
        refreshed.Select(p => p.Key).Order().ShouldBe(["access_token", "expires_in", "id_token", "token_type"]);
        var access = TestJwt.Claims((string)refreshed["access_token"]!);
        ((string?)access["scope"], (string?)access["origin_jti"]).ShouldBe(("openid email", (string?)TestJwt.Claims((string)first["access_token"]!)["origin_jti"]));
        (await OkBody(await UserInfoAsync((string)refreshed["access_token"]!)))["email"].ShouldNotBeNull();

        // Without openid, a refresh answers no ID token either.
        var noId = await TokensAsync(app, "aws.cognito.signin.user.admin");
        var r2 = await OkBody(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)noId["refresh_token"]! }));
        r2.ContainsKey("id_token").ShouldBeFalse();

        // GlobalSignOut kills hosted-flow refresh tokens.
        await f.Admin.InvokeAsync("AdminUserGlobalSignOut", new JsonObject { ["UserPoolId"] = app.Pool, ["Username"] = app.Email });
        (await ErrorOf(await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["refresh_token"] = (string)first["refresh_token"]! }))).ShouldBe("invalid_grant");
    }

    [Fact]
    public void ErrorPage_Html_EncodesAndAnnouncesTheMessage()
    {
        var html = ErrorPage.Html("<script>x</script>");
        html.ShouldContain("<p role=\"alert\">&lt;script&gt;x&lt;/script&gt;</p>");
        html.ShouldContain("<html lang=\"en\">");
        AuthorizeRequestValidator.RedirectMismatchMessage.ShouldStartWith("redirect_mismatch");
    }
}
